import { describe, expect, test } from 'vitest';
import {
  BN_EPSILON,
  describeBatchNorm,
  encodeBatchNorms,
  foldNorm,
  hasBatchNorm,
  setBatchNorm,
} from '../../../../src/core/network/batchNorm';
import { setDropout } from '../../../../src/core/network/dropout';
import { DEFAULT_CONFIG, LIMITS, type TrainConfig } from '../../../../src/core/network/spec';
import { totalParams } from '../../../../src/core/network/params';
import { budgetLayers, budgetMiss } from '../../../../src/core/network/budget';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { readRunRecord, RUN_SCHEMA, toStored } from '../../../../src/core/runs/runSchema';
import { newRunRecord, setupKey } from '../../../../src/core/runs/runs';
import { describeConfig } from '../../../../src/core/runs/runNames';
import { runsToCsv } from '../../../../src/core/runs/runExport';
import { checkModel, type TrainedModel } from '../../../../src/core/runs/model';

const three: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [
    { units: 64, activation: 'sigmoid' },
    { units: 32, activation: 'sigmoid' },
    { units: 16, activation: 'sigmoid' },
  ],
};

describe('batch normalization in a config', () => {
  test('on in every layer or in one; dropout and batch normalization edit apart', () => {
    expect(hasBatchNorm(three)).toBe(false);
    const all = setBatchNorm(three, true);
    expect(all.layers.every((l) => l.batchNorm === true)).toBe(true);
    const one = setBatchNorm(three, true, 1);
    expect(one.layers.map((l) => l.batchNorm ?? false)).toEqual([false, true, false]);
    // Off leaves no field behind, as a layer that never had it.
    expect(setBatchNorm(all, false).layers).toEqual(three.layers);
    // Setting dropout keeps the layer's batch normalization, and the other way round.
    expect(setDropout(one, 0.5).layers[1]).toEqual({ units: 32, activation: 'sigmoid', batchNorm: true, dropout: 0.5 });
    expect(setBatchNorm(setDropout(three, 0.2), true, 0).layers[0]).toEqual({
      units: 64,
      activation: 'sigmoid',
      dropout: 0.2,
      batchNorm: true,
    });
  });
  test('its words: in the name, the setup key and the CSV', () => {
    expect(encodeBatchNorms(three.layers)).toBeNull();
    expect(describeBatchNorm(setBatchNorm(three, true))).toBe('batch norm');
    expect(describeBatchNorm(setBatchNorm(setBatchNorm(three, true, 0), true, 2))).toBe('batch norm in layers 1, 3');
    expect(describeBatchNorm(setBatchNorm(three, true, 1))).toBe('batch norm in layer 2');
    expect(describeConfig(setBatchNorm(three, true))).toContain(' · batch norm');
    expect(setupKey(setBatchNorm(three, true))).not.toBe(setupKey(three));
    expect(setupKey(setBatchNorm(three, true, 0))).not.toBe(setupKey(setBatchNorm(three, true, 1)));
    const csv = runsToCsv([
      {
        ...newRunRecord('r', 0, setBatchNorm(three, true, 1)),
        epochs: [{ epoch: 1, loss: 1, acc: 0.5, valLoss: null, valAcc: null, seconds: 1 }],
      },
    ]).split('\n');
    const header = (csv[0] ?? '').split(',');
    expect((csv[1] ?? '').split(',')[header.indexOf('batch_norm')]).toBe('0 1 0');
  });
});

describe('batch normalization and the parameter cap, budget mode and the kept model', () => {
  const big: TrainConfig = {
    ...DEFAULT_CONFIG,
    layers: [
      { units: 4096, activation: 'relu' },
      { units: 4086, activation: 'relu' },
    ],
  };
  test('it is refused where it would pass the cap (4 per unit, less the bias), by an edit or a link', () => {
    expect(totalParams(big.layers)).toBeLessThanOrEqual(LIMITS.maxParams);
    expect(setBatchNorm(big, true)).toBe(big);
    expect(setBatchNorm(DEFAULT_CONFIG, true).layers[0]?.batchNorm).toBe(true);
    const r = decodeConfig('layers=4096,4086&bn=1');
    expect(hasBatchNorm(r.config)).toBe(false);
    expect(r.notices.find((n) => n.param === 'bn')?.reason).toContain('more than this lab allows');
  });
  test("budget mode solves the widths with the normalization's cost, nearer the budget than the plain solution", () => {
    for (const depth of [1, 2, 4, 6]) {
      const layers = Array.from({ length: depth }, () => ({
        units: 32,
        activation: 'sigmoid' as const,
        batchNorm: true,
      }));
      const solved = budgetLayers(layers, 25_450);
      const plainWidths = budgetLayers(
        layers.map((l) => ({ units: l.units, activation: l.activation })),
        25_450,
      ).map((l, i) => ({ ...l, batchNorm: layers[i]?.batchNorm === true }));
      expect(budgetMiss(solved, 25_450), `depth ${depth}`).toBeLessThanOrEqual(budgetMiss(plainWidths, 25_450));
      // Depth 2: a unit of the first layer costs 3 % of the budget; the nearest is 31, 30 (+1.3 %).
      expect(budgetMiss(solved, 25_450), `depth ${depth}`).toBeLessThan(depth === 2 ? 0.014 : 0.01);
      expect(solved.every((l) => l.batchNorm === true)).toBe(true);
    }
  });
  test('a model whose layers say batch normalization but that carries none of its weights is refused', () => {
    const model: TrainedModel = {
      layers: [{ units: 2, activation: 'relu', batchNorm: true }],
      preprocessing: 'scaled',
      kernels: [new Float32Array(784 * 2), new Float32Array(20)],
      biases: [new Float32Array(2), new Float32Array(10)],
    };
    expect(() => checkModel(model)).toThrow(/without its weights/);
  });
});

describe('batch normalization in the link', () => {
  test('bn=1 for every layer, a list of 0 and 1 per layer; a link without it has none', () => {
    expect(decodeConfig('layers=64,32,16&bn=1').config.layers.map((l) => l.batchNorm ?? false)).toEqual([
      true,
      true,
      true,
    ]);
    expect(decodeConfig('layers=64,32,16&bn=0,1,0').config.layers).toEqual(setBatchNorm(three, true, 1).layers);
    expect(encodeConfig(three)).not.toMatch(/bn=/);
    expect(encodeConfig(setBatchNorm(three, true))).toContain('bn=1');
    expect(encodeConfig(setBatchNorm(three, true, 2))).toContain('bn=0,0,1');
    for (const c of [setBatchNorm(three, true), setBatchNorm(setDropout(three, 0.3, 0), true, 0)])
      expect(decodeConfig(encodeConfig(c)).config.layers).toEqual(c.layers);
  });
  test('a value other than 0 or 1, or a list of the wrong length, is noted with what was used', () => {
    const r = decodeConfig('layers=64,32,16&bn=1,yes');
    expect(r.config.layers.map((l) => l.batchNorm ?? false)).toEqual([true, false, false]);
    const note = r.notices.find((n) => n.param === 'bn');
    expect(note?.reason).toContain('"yes" is neither 0 nor 1');
    expect(note?.reason).toContain('2 values for 3 hidden layers');
    expect(note?.used).toBe('1,0,0');
  });
});

describe('batch normalization in the run record', () => {
  test('a record of schema 9 reads as without it; one with it reads back with it; a bad value is named', () => {
    expect(RUN_SCHEMA).toBe(10);
    const plain = newRunRecord('r1', 1000, three);
    const old = readRunRecord(JSON.parse(JSON.stringify({ ...toStored(plain), schema: 9 })));
    if (!old.ok) throw new Error(old.reason);
    expect(old.from).toBe(9);
    expect(hasBatchNorm(old.record.config)).toBe(false);
    const normed = newRunRecord('r2', 1000, setBatchNorm(three, true, 2));
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(normed))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(normed.config);
    const bad = {
      ...toStored(plain),
      config: { ...plain.config, layers: [{ units: 4, activation: 'relu', batchNorm: 1 }] },
    };
    const r = readRunRecord(bad);
    expect(r.ok ? 'read' : r.reason).toBe("layer 1's batch normalization 1 is neither true nor false");
  });
});

describe('a kept model with batch normalization', () => {
  test('foldNorm gives the layer at inference: γ (x·W − moving mean) / √(moving variance + ε) + β', () => {
    // 3 inputs, 2 units.
    const kernel = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const beta = Float32Array.from([0.5, -1]);
    const norm = {
      gamma: Float32Array.from([2, 0.5]),
      movingMean: Float32Array.from([1, -2]),
      movingVariance: Float32Array.from([4, 0.25]),
    };
    const x = [0.1, -0.2, 0.3];
    const { kernel: w, bias } = foldNorm(kernel, beta, norm);
    for (let u = 0; u < 2; u++) {
      const z = x.reduce((s, xi, i) => s + xi * (kernel[i * 2 + u] as number), 0);
      const want =
        ((norm.gamma[u] as number) * (z - (norm.movingMean[u] as number))) /
          Math.sqrt((norm.movingVariance[u] as number) + BN_EPSILON) +
        (beta[u] as number);
      const got = x.reduce((s, xi, i) => s + xi * (w[i * 2 + u] as number), 0) + (bias[u] as number);
      expect(got).toBeCloseTo(want, 5);
    }
  });
  test('checkModel wants γ and the moving statistics of every normalized layer, of its width', () => {
    const ones = (n: number) => new Float32Array(n).fill(1);
    const model: TrainedModel = {
      layers: [{ units: 2, activation: 'relu', batchNorm: true }],
      preprocessing: 'scaled',
      kernels: [new Float32Array(784 * 2), new Float32Array(20)],
      biases: [ones(2), ones(10)],
      norms: [{ gamma: ones(2), movingMean: ones(2), movingVariance: ones(2) }],
    };
    expect(() => checkModel(model)).not.toThrow();
    expect(() => checkModel({ ...model, norms: [null] })).toThrow(/batch normalization does not match/);
    expect(() =>
      checkModel({ ...model, norms: [{ gamma: ones(3), movingMean: ones(2), movingVariance: ones(2) }] }),
    ).toThrow(/wrong size/);
  });
});
