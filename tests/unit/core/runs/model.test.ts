import { describe, expect, test } from 'vitest';
import { checkModel, diverging, weightTile, type TrainedModel } from '../../../../src/core/runs/model';
import type { HiddenLayer } from '../../../../src/core/network/spec';

/** A model whose every weight says where it is: kernel i, entry j holds i * 1e6 + j. */
function model(
  units: readonly number[],
  tweak?: (kernels: Float32Array[], biases: Float32Array[]) => void,
): TrainedModel {
  const layers: HiddenLayer[] = units.map((u) => ({ units: u, activation: 'relu' }));
  const widths = [784, ...units, 10];
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const rows = widths[i] as number;
    const cols = widths[i + 1] as number;
    kernels.push(Float32Array.from({ length: rows * cols }, (_, j) => i * 1e6 + j));
    biases.push(new Float32Array(cols));
  }
  tweak?.(kernels, biases);
  return { layers, preprocessing: 'raw', kernels, biases };
}

describe('checkModel', () => {
  test('accepts arrays of the sizes the layers call for, with or without hidden layers', () => {
    expect(() => checkModel(model([32]))).not.toThrow();
    expect(() => checkModel(model([]))).not.toThrow();
    expect(() => checkModel(model([5, 3, 1]))).not.toThrow();
  });

  test('rejects a kernel of the wrong size', () => {
    expect(() => checkModel(model([32], (k) => (k[0] = new Float32Array(784 * 31))))).toThrow(
      /kernel 1 has the wrong size/,
    );
    expect(() => checkModel(model([32], (k) => (k[1] = new Float32Array(32 * 10 + 1))))).toThrow(
      /kernel 2 has the wrong size/,
    );
    expect(() => checkModel(model([], (k) => (k[0] = new Float32Array(786 * 10))))).toThrow(/kernel 1/);
    // A middle kernel sized for another width.
    expect(() => checkModel(model([4, 6], (k) => (k[1] = new Float32Array(4 * 5))))).toThrow(/kernel 2/);
  });

  test('rejects a bias of the wrong size', () => {
    expect(() => checkModel(model([32], (_, b) => (b[0] = new Float32Array(31))))).toThrow(/bias 1 has the wrong size/);
    expect(() => checkModel(model([32], (_, b) => (b[1] = new Float32Array(11))))).toThrow(/bias 2 has the wrong size/);
  });

  test('rejects the wrong number of kernels or biases', () => {
    expect(() => checkModel(model([32], (k) => k.pop()))).toThrow(/wrong number of layers/);
    expect(() => checkModel(model([32], (_, b) => b.pop()))).toThrow(/wrong number of layers/);
    expect(() =>
      checkModel(model([32], (k, b) => (k.push(new Float32Array(100)), b.push(new Float32Array(10))))),
    ).toThrow(/wrong number of layers/);
    // Arrays for a network of one hidden layer, described as having two.
    const m = model([32]);
    expect(() => checkModel({ ...m, layers: [...m.layers, { units: 10, activation: 'relu' }] })).toThrow(
      /wrong number of layers/,
    );
    // Or as having a different width.
    expect(() => checkModel({ ...m, layers: [{ units: 16, activation: 'relu' }] })).toThrow(/kernel 1/);
  });
});

describe('weightTile', () => {
  test('column `unit` of the first kernel, one weight per pixel', () => {
    const m = model([16, 4]);
    for (const unit of [0, 7, 15]) {
      const tile = weightTile(m, unit);
      expect(tile).toBeInstanceOf(Float32Array);
      expect(tile).toHaveLength(784);
      // Entry [p, unit] of a [784, 16] kernel is at p * 16 + unit.
      expect(tile[0]).toBe(unit);
      expect(tile[1]).toBe(16 + unit);
      expect(tile[783]).toBe(783 * 16 + unit);
    }
  });

  test('is a copy: changing it leaves the model alone', () => {
    const m = model([8]);
    const tile = weightTile(m, 2);
    tile[0] = -1;
    expect(m.kernels[0]?.[2]).toBe(2);
  });

  test('with no hidden layer it is the weights of an output class', () => {
    const m = model([]);
    const tile = weightTile(m, 9);
    expect(tile).toHaveLength(784);
    expect(tile[0]).toBe(9);
    expect(tile[500]).toBe(5009);
    expect(() => weightTile(m, 10)).toThrow(/no unit 10/);
  });

  test('a unit the first layer does not have throws', () => {
    const m = model([16]);
    expect(() => weightTile(m, 16)).toThrow(/no unit 16/);
    expect(() => weightTile(m, -1)).toThrow(/no unit -1/);
    expect(() => weightTile({ ...m, kernels: [] }, 0)).toThrow(/no unit 0/);
  });
});

describe('diverging colours', () => {
  test('white at 0, RdBu red at +1 and blue at -1', () => {
    expect(diverging(0)).toEqual([255, 255, 255]);
    expect(diverging(-0)).toEqual([255, 255, 255]);
    expect(diverging(1)).toEqual([178, 24, 43]);
    expect(diverging(-1)).toEqual([33, 102, 172]);
  });

  test('positive values are reddish, negative bluish, deeper the further from 0', () => {
    for (const v of [0.1, 0.5, 0.9]) {
      const [r, g, b] = diverging(v);
      expect(r).toBeGreaterThan(b);
      expect(r).toBeGreaterThan(g);
      const [nr, , nb] = diverging(-v);
      expect(nb).toBeGreaterThan(nr);
    }
    const [, g1] = diverging(0.3);
    const [, g2] = diverging(0.7);
    expect(g2).toBeLessThan(g1);
    expect(diverging(0.5)).toEqual([
      255 - Math.round(0.5 * 77),
      255 - Math.round(0.5 * 231),
      255 - Math.round(0.5 * 212),
    ]);
  });

  test('values beyond ±1 are clamped', () => {
    expect(diverging(5)).toEqual(diverging(1));
    expect(diverging(1.0001)).toEqual(diverging(1));
    expect(diverging(-1e9)).toEqual(diverging(-1));
  });

  test('NaN is white, and every channel is a byte', () => {
    expect(diverging(NaN)).toEqual([255, 255, 255]);
    for (let v = -1.5; v <= 1.5; v += 0.05) {
      for (const c of diverging(v)) {
        expect(Number.isInteger(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(255);
      }
    }
  });
});
