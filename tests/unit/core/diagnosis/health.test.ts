import { describe, expect, test } from 'vitest';
import {
  appendBounded,
  decodeHealth,
  HEALTH_VALUES_PER_LAYER,
  healthVectorLength,
  kernelSizes,
  smoothSamples,
  thin,
  type TrainSample,
} from '../../../../src/core/diagnosis/health';
import type { Activation } from '../../../../src/core/network/spec';

describe('the health vector layout', () => {
  test('five numbers per Dense layer (hidden layers and the output layer), then the clipped share', () => {
    expect(HEALTH_VALUES_PER_LAYER).toBe(5);
    expect(healthVectorLength(0)).toBe(6); // 784 -> 10: one Dense layer
    expect(healthVectorLength(1)).toBe(11);
    expect(healthVectorLength(4)).toBe(26);
  });

  test('kernel sizes run 784 -> hidden widths -> 10', () => {
    expect(kernelSizes([])).toEqual([7840]);
    expect(kernelSizes([32])).toEqual([784 * 32, 32 * 10]);
    expect(kernelSizes([100, 50, 20])).toEqual([784 * 100, 100 * 50, 50 * 20, 20 * 10]);
  });
});

describe('decoding the health vector', () => {
  // 784 -> 20 (sigmoid) -> 6 (relu) -> 10; plain SGD at 0.05 scales the gradients by -0.05.
  const units = [20, 6];
  const activations: Activation[] = ['sigmoid', 'relu'];
  const sizes = [784 * 20, 20 * 6, 6 * 10];
  const lr = 0.05;
  // Per layer [Σg², ΣΔW², ΣW², mean activation, share], with g already times -lr.
  const blocks = [
    [3.2e-4, 2.5e-5, 36, 0.41, 0.83],
    [1.8e-3, 4.0e-6, 4, 0.27, 0.5],
    [9.0e-2, 1.0e-4, 0, 0.62, 0],
  ];
  const clipped = 0.125;
  const vector = [...blocks.flat(), clipped];

  test('the vector has the documented length for this network', () => {
    expect(vector).toHaveLength(healthVectorLength(units.length));
  });

  test('gradient RMS is sqrt(Σg² / kernel size) divided by |gradientScale|', () => {
    const h = decodeHealth(vector, 0, activations, units, -lr, 1.5);
    expect(h.layers).toHaveLength(3);
    h.layers.forEach((layer, l) => {
      const block = blocks[l] as number[];
      expect(layer.gradRms).toBeCloseTo(Math.sqrt((block[0] as number) / (sizes[l] as number)) / lr, 12);
    });
    // A positive scale (Adam, RMSprop: 1) gives the same magnitudes as its negative.
    const adam = decodeHealth(vector, 0, activations, units, 1, 1.5);
    expect(adam.layers[0]?.gradRms).toBeCloseTo(Math.sqrt(3.2e-4 / (784 * 20)), 12);
    expect(decodeHealth(vector, 0, activations, units, lr, 1.5).layers[1]?.gradRms).toBeCloseTo(
      h.layers[1]?.gradRms ?? NaN,
      12,
    );
  });

  test('update ratio is |ΔW| / |W|, and 0 for a kernel whose weights are all zero', () => {
    const h = decodeHealth(vector, 0, activations, units, -lr, 1.5);
    expect(h.layers[0]?.updateRatio).toBeCloseTo(Math.sqrt(2.5e-5) / 6, 12);
    expect(h.layers[1]?.updateRatio).toBeCloseTo(Math.sqrt(4.0e-6) / 2, 12);
    expect(h.layers[2]?.updateRatio).toBe(0); // ΣW² = 0: no ratio, not Infinity or NaN
  });

  test('saturated only for sigmoid/tanh, dead only for ReLU, neither for linear or the output layer', () => {
    const h = decodeHealth(vector, 0, activations, units, -lr, 1.5);
    expect(h.layers[0]).toMatchObject({ actMean: 0.41, saturated: 0.83, dead: null });
    expect(h.layers[1]).toMatchObject({ actMean: 0.27, saturated: null, dead: 0.5 });
    expect(h.layers[2]).toMatchObject({ actMean: 0.62, saturated: null, dead: null });

    const tanh = decodeHealth(vector, 0, ['tanh', 'linear'], units, -lr, 0);
    expect(tanh.layers[0]).toMatchObject({ saturated: 0.83, dead: null });
    expect(tanh.layers[1]).toMatchObject({ saturated: null, dead: null });
    expect(tanh.layers[2]).toMatchObject({ saturated: null, dead: null });
  });

  test('the clipped share is read from the last entry, and x is passed through', () => {
    const h = decodeHealth(vector, 0, activations, units, -lr, 2.25);
    expect(h.clipped).toBe(0.125);
    expect(h.x).toBe(2.25);
  });

  test('reads from `offset`, as the loop does after the two loss sums', () => {
    const withSums = Float32Array.from([123.4, 56, ...vector, 7, 8, 9]);
    const atOffset = decodeHealth(withSums, 2, activations, units, -lr, 1);
    const plain = decodeHealth(Float32Array.from(vector), 0, activations, units, -lr, 1);
    expect(atOffset).toEqual(plain);
    expect(atOffset.clipped).toBeCloseTo(0.125, 6);
    expect(atOffset.layers[0]?.saturated).toBeCloseTo(0.83, 6);
    // Without the offset the sums would be read as the first layer's numbers.
    expect(decodeHealth(withSums, 0, activations, units, -lr, 1)).not.toEqual(plain);
  });

  test('a network without hidden layers has only the output layer', () => {
    const h = decodeHealth([4e-4, 1e-6, 25, 0.3, 0, 0.5], 0, [], [], 1, 0.5);
    expect(h.layers).toHaveLength(1);
    expect(h.layers[0]?.gradRms).toBeCloseTo(Math.sqrt(4e-4 / 7840), 12);
    expect(h.layers[0]?.updateRatio).toBeCloseTo(1e-3 / 5, 12);
    expect(h.layers[0]).toMatchObject({ saturated: null, dead: null });
    expect(h.clipped).toBe(0.5);
  });
});

describe('appendBounded', () => {
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  test('appends without dropping anything while there is room', () => {
    expect(appendBounded([1, 2], [3, 4], 10)).toEqual([1, 2, 3, 4]);
    expect(appendBounded([], [], 10)).toEqual([]);
  });

  test('returns a new array and leaves its inputs alone', () => {
    const list = [1, 2, 3];
    const out = appendBounded(list, [4], 10);
    expect(out).not.toBe(list);
    expect(list).toEqual([1, 2, 3]);
  });

  test('over many appends: never more than max, the first item kept, the newest last, in order', () => {
    for (const max of [3, 4, 7, 100]) {
      let list: number[] = [];
      for (let next = 0; next < 1000;) {
        const add = range(next, next + 1 + (next % 5)); // batches of 1..5 items
        next += add.length;
        list = appendBounded(list, add, max);
        expect(list.length).toBeLessThanOrEqual(max);
        expect(list[0]).toBe(0);
        expect(list.at(-1)).toBe(next - 1);
        expect(list.every((v, i) => i === 0 || v > (list[i - 1] as number))).toBe(true);
      }
    }
  });

  test('the newer half is kept whole; the older half gets coarser', () => {
    const out = appendBounded(range(0, 100), [100], 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.slice(-50)).toEqual(range(51, 101));
    expect(out.slice(0, 3)).toEqual([0, 2, 4]);
  });

  // Once a bug: with max <= 2 the loop never ended (3 items, max 2: the older half is one item,
  // which the thinning keeps). A max that counts its own comparisons turns a hang into an error.
  test('a small max (2) still returns at most max items', () => {
    let comparisons = 0;
    const max = {
      valueOf: () => {
        if (++comparisons > 1000) throw new Error('appendBounded did not terminate');
        return 2;
      },
    } as unknown as number;
    const out = appendBounded([1, 2], [3], max);
    expect(out.length).toBeLessThanOrEqual(2);
    expect(out.at(-1)).toBe(3);
  });

  test('one append far bigger than max is cut down too', () => {
    const out = appendBounded([], range(0, 5000), 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.length).toBeGreaterThan(100);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(4999);
  });
});

describe('smoothSamples', () => {
  const s = (x: number, loss: number, acc: number): TrainSample => ({ x, loss, acc });

  test('the first smoothed value is the first sample; then an EMA with weight alpha on the newest', () => {
    const out = smoothSamples([s(0.1, 2, 0.2), s(0.2, 1, 0.6), s(0.3, 0.5, 0.8)], 0.5);
    expect(out.map((o) => o.x)).toEqual([0.1, 0.2, 0.3]);
    expect(out[0]).toEqual({ x: 0.1, loss: 2, acc: 0.2 });
    expect(out[1]?.loss).toBeCloseTo(1.5, 12);
    expect(out[1]?.acc).toBeCloseTo(0.4, 12);
    expect(out[2]?.loss).toBeCloseTo(1.0, 12);
    expect(out[2]?.acc).toBeCloseTo(0.6, 12);
  });

  test('the default alpha is 0.3', () => {
    const out = smoothSamples([s(1, 1, 0), s(2, 0, 1)]);
    expect(out[1]?.loss).toBeCloseTo(0.7, 12);
    expect(out[1]?.acc).toBeCloseTo(0.3, 12);
  });

  test('a constant series stays constant, across epoch boundaries', () => {
    const series = Array.from({ length: 50 }, (_, i) => s(i / 10, 0.42, 0.9));
    for (const o of smoothSamples(series)) {
      expect(o.loss).toBeCloseTo(0.42, 12);
      expect(o.acc).toBeCloseTo(0.9, 12);
    }
  });

  test('a jump is followed gradually, not at once', () => {
    const out = smoothSamples([s(1, 1, 0), s(2, 1, 0), s(3, 0, 1), s(4, 0, 1)]);
    expect(out[2]?.loss).toBeGreaterThan(0.5);
    expect(out[3]?.loss).toBeLessThan(out[2]?.loss ?? 0);
    expect(out[3]?.loss).toBeGreaterThan(0);
  });

  test('no samples, no points', () => {
    expect(smoothSamples([])).toEqual([]);
  });
});

describe('thin', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);

  test('at most max items, keeping the first and the last, in order and without repeats', () => {
    for (const max of [2, 3, 10, 240, 999]) {
      const out = thin(items, max);
      expect(out).toHaveLength(max);
      expect(out[0]).toBe(0);
      expect(out.at(-1)).toBe(999);
      for (let i = 1; i < out.length; i++) expect(out[i] as number).toBeGreaterThan(out[i - 1] as number);
    }
  });

  test('evenly spaced', () => {
    expect(thin(items.slice(0, 11), 6)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  // Doubtful: the doc says "at most max items", but a max below 2 returns everything.
  test('max 1 gives at most one item', () => {
    expect(thin(items, 1).length).toBeLessThanOrEqual(1);
  });

  test('a short series comes back whole (as a copy)', () => {
    const short = [5, 6, 7];
    expect(thin(short, 3)).toEqual([5, 6, 7]);
    expect(thin(short, 240)).toEqual([5, 6, 7]);
    expect(thin(short, 240)).not.toBe(short);
    expect(thin([], 10)).toEqual([]);
  });
});
