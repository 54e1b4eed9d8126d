import { describe, expect, test } from 'vitest';
import { articleSetup, learnsWellSetup, quickDrawConfig, whichSetup } from '../../../../src/core/network/presets';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

// A config far from both setups: every field differs from the defaults.
const custom: TrainConfig = {
  layers: [
    { units: 100, activation: 'relu' },
    { units: 50, activation: 'tanh' },
    { units: 20, activation: 'linear' },
  ],
  epochs: 7,
  batchSize: 32,
  learningRate: 0.3,
  optimizer: 'rmsprop',
  validationSplit: 0.2,
  preprocessing: 'scaled',
  seed: 42,
  dataset: 'fashion',
  backend: 'wasm',
  subset: 3000,
  init: 'he_normal',
  l2: 0.001,
  l1: 0.0001,
  maxNorm: 3,
  inputDropout: 0.2,
  earlyPatience: 2,
  earlyMonitor: 'val_loss',
  schedule: 'const',
  warmup: 0,
  loss: 'ce',
  augment: 'none',
};

/** The fields a setup must leave alone. */
const kept = ({ epochs, validationSplit, seed, dataset, backend, subset }: TrainConfig) => ({
  epochs,
  validationSplit,
  seed,
  dataset,
  backend,
  subset,
});

describe('the article setup', () => {
  test('sigmoid units at the same widths, raw inputs, plain SGD at 0.01, batch 128', () => {
    const a = articleSetup(custom);
    expect(a.layers).toEqual([
      { units: 100, activation: 'sigmoid' },
      { units: 50, activation: 'sigmoid' },
      { units: 20, activation: 'sigmoid' },
    ]);
    expect(a).toMatchObject({ preprocessing: 'raw', optimizer: 'sgd', learningRate: 0.01, batchSize: 128 });
  });

  test('keeps epochs, validation split, seed, dataset, backend and subset', () => {
    expect(kept(articleSetup(custom))).toEqual(kept(custom));
  });

  test('the default config already is the article setup', () => {
    expect(articleSetup(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
  });
});

describe('the setup that learns well', () => {
  test('ReLU units at the same widths, scaled inputs, Adam at 0.001, batch 128', () => {
    const w = learnsWellSetup({
      ...custom,
      layers: [
        { units: 32, activation: 'sigmoid' },
        { units: 16, activation: 'tanh' },
      ],
    });
    expect(w.layers).toEqual([
      { units: 32, activation: 'relu' },
      { units: 16, activation: 'relu' },
    ]);
    expect(w).toMatchObject({ preprocessing: 'scaled', optimizer: 'adam', learningRate: 0.001, batchSize: 128 });
  });

  test('keeps epochs, validation split, seed, dataset, backend and subset', () => {
    expect(kept(learnsWellSetup(custom))).toEqual(kept(custom));
    expect(kept(learnsWellSetup(DEFAULT_CONFIG))).toEqual(kept(DEFAULT_CONFIG));
  });

  test('does not change the config it is given', () => {
    const before = structuredClone(custom);
    learnsWellSetup(custom);
    articleSetup(custom);
    expect(custom).toEqual(before);
  });
});

describe('which setup a config is in', () => {
  test("the default config is the article's", () => {
    expect(whichSetup(DEFAULT_CONFIG)).toBe('article');
  });

  test('after learnsWellSetup it is learns-well, and back after articleSetup', () => {
    const w = learnsWellSetup(DEFAULT_CONFIG);
    expect(whichSetup(w)).toBe('learns-well');
    expect(whichSetup(articleSetup(w))).toBe('article');
    expect(whichSetup(learnsWellSetup(custom))).toBe('learns-well');
    expect(whichSetup(articleSetup(custom))).toBe('article');
  });

  test('widths, depth, epochs, seed and dataset do not matter', () => {
    const deep = {
      ...DEFAULT_CONFIG,
      layers: Array.from({ length: 4 }, () => ({ units: 32, activation: 'sigmoid' as const })),
      epochs: 20,
      seed: 3,
      dataset: 'fashion' as const,
    };
    expect(whichSetup(deep)).toBe('article');
    expect(whichSetup(learnsWellSetup(deep))).toBe('learns-well');
  });

  test("changing one layer's activation makes it custom", () => {
    const article = articleSetup({ ...custom });
    const oneRelu = {
      ...article,
      layers: article.layers.map((l, i) => (i === 1 ? { ...l, activation: 'relu' as const } : l)),
    };
    expect(whichSetup(oneRelu)).toBe('custom');
    const well = learnsWellSetup(custom);
    const oneTanh = {
      ...well,
      layers: well.layers.map((l, i) => (i === 2 ? { ...l, activation: 'tanh' as const } : l)),
    };
    expect(whichSetup(oneTanh)).toBe('custom');
  });

  test('changing the learning rate, optimizer, inputs or batch size makes it custom', () => {
    expect(whichSetup({ ...DEFAULT_CONFIG, learningRate: 0.1 })).toBe('custom');
    expect(whichSetup({ ...DEFAULT_CONFIG, optimizer: 'momentum' })).toBe('custom');
    expect(whichSetup({ ...DEFAULT_CONFIG, preprocessing: 'scaled' })).toBe('custom');
    expect(whichSetup({ ...DEFAULT_CONFIG, batchSize: 64 })).toBe('custom');
    expect(whichSetup({ ...learnsWellSetup(DEFAULT_CONFIG), learningRate: 0.01 })).toBe('custom');
    expect(whichSetup(custom)).toBe('custom');
  });

  test('a network without hidden layers matches on the rest', () => {
    const none = { ...DEFAULT_CONFIG, layers: [] };
    expect(whichSetup(none)).toBe('article');
    expect(whichSetup(learnsWellSetup(none))).toBe('learns-well');
  });
});

describe('the quick config for drawing', () => {
  test('128 ReLU units, scaled inputs, Adam at 0.001, 3 epochs of batch 128, with the given seed', () => {
    const q = quickDrawConfig(1234);
    expect(q.layers).toEqual([{ units: 128, activation: 'relu' }]);
    expect(q).toMatchObject({
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.001,
      epochs: 3,
      batchSize: 128,
      seed: 1234,
    });
    expect(quickDrawConfig(7).seed).toBe(7);
  });

  test('on all of MNIST with the default validation split and backend, and in the learns-well setup', () => {
    const q = quickDrawConfig(1);
    expect(q).toMatchObject({
      dataset: 'mnist',
      subset: null,
      validationSplit: DEFAULT_CONFIG.validationSplit,
      backend: DEFAULT_CONFIG.backend,
    });
    expect(whichSetup(q)).toBe('learns-well');
  });
});
