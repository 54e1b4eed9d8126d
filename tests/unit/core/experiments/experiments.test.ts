import { describe, expect, test } from 'vitest';
import {
  configLabel,
  EXPERIMENT_IDS,
  EXPERIMENTS,
  experimentById,
  experimentPlan,
  experimentRunConfig,
  QUICK_SUBSET,
  type Experiment,
  type ExperimentConfig,
  type ExperimentId,
} from '../../../../src/core/experiments/experiments';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

/** The shape of a config as ARTICLE.md states it: [depth, width, epochs, batch, article]. */
type Row = [depth: number, width: number, epochs: number, batch: number, article: number | null];

const rows = (e: Experiment): Row[] => e.configs.map((c) => [c.depth, c.width, c.epochs, c.batchSize, c.article]);

const config = (overrides: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  key: 'k',
  depth: 1,
  width: 32,
  epochs: 5,
  batchSize: 128,
  article: null,
  ...overrides,
});

describe('EXPERIMENTS: the article\u2019s six, in order', () => {
  test('ids and numbers 1..6 in the article\u2019s order', () => {
    expect(EXPERIMENT_IDS).toEqual([
      'first',
      'depth',
      'depth40',
      'width',
      'grid',
      'batch16',
      'budget',
      'budget100k',
      'history',
    ]);
    expect(EXPERIMENTS.map((e) => e.id)).toEqual(['first', 'depth', 'depth40', 'width', 'grid', 'batch16']);
    expect(EXPERIMENTS.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('experimentById finds each one and throws on an unknown id', () => {
    for (const id of EXPERIMENT_IDS) expect(experimentById(id).id).toBe(id);
    expect(experimentById('grid').number).toBe(5);
    expect(() => experimentById('nope' as ExperimentId)).toThrow(/nope/);
  });

  test('every experiment has a title, a question and the article\u2019s words', () => {
    for (const e of EXPERIMENTS) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.question.length).toBeGreaterThan(0);
      expect(e.articleSays.length).toBeGreaterThan(0);
      expect(e.configs.length).toBeGreaterThan(0);
    }
  });

  test('keys are unique within each experiment', () => {
    for (const e of EXPERIMENTS) {
      const keys = e.configs.map((c) => c.key);
      expect(new Set(keys).size, e.id).toBe(keys.length);
    }
  });

  test('1, first: one layer of 32, 5 epochs, batch 128, 0.87', () => {
    expect(rows(experimentById('first'))).toEqual([[1, 32, 5, 128, 0.87]]);
  });

  test('2, depth: 1..4 layers of 32 at 5 epochs: 0.888, 0.767, 0.438, 0.114', () => {
    const e = experimentById('depth');
    expect(rows(e)).toEqual([
      [1, 32, 5, 128, 0.888],
      [2, 32, 5, 128, 0.767],
      [3, 32, 5, 128, 0.438],
      [4, 32, 5, 128, 0.114],
    ]);
    expect(e.chart).toBe('depth');
  });

  test('3, depth40: three layers of 32 for 40 epochs: 0.886', () => {
    expect(rows(experimentById('depth40'))).toEqual([[3, 32, 40, 128, 0.886]]);
  });

  test('4, width: one layer of 32..2048 at 5 epochs: 0.886..0.950', () => {
    const e = experimentById('width');
    expect(rows(e)).toEqual([
      [1, 32, 5, 128, 0.886],
      [1, 64, 5, 128, 0.904],
      [1, 128, 5, 128, 0.916],
      [1, 256, 5, 128, 0.926],
      [1, 512, 5, 128, 0.934],
      [1, 2048, 5, 128, 0.95],
    ]);
    expect(e.chart).toBe('width');
  });

  test('5, grid: widths 32/128/512 x depth 1..5, 10 epochs per layer, only 512x1 has a number (0.947)', () => {
    const e = experimentById('grid');
    expect(e.configs).toHaveLength(15);
    const expected: Row[] = [32, 128, 512].flatMap((w) =>
      [1, 2, 3, 4, 5].map((d): Row => [d, w, 10 * d, 128, w === 512 && d === 1 ? 0.947 : null]),
    );
    expect(rows(e)).toEqual(expected);
    expect(e.configs.filter((c) => c.article !== null).map((c) => [c.depth, c.width, c.article])).toEqual([
      [1, 512, 0.947],
    ]);
    expect(e.chart).toBe('grid');
  });

  test('6, batch16: five layers of 32, batch 16, 50 epochs: 0.827', () => {
    expect(rows(experimentById('batch16'))).toEqual([[5, 32, 50, 16, 0.827]]);
  });
});

describe('experimentRunConfig: the article\u2019s fixed setup with the config\u2019s shape', () => {
  test('trains where the person chose (a named backend in the URL), auto otherwise: the setup is the same', () => {
    const c = config({ depth: 1, width: 32, epochs: 5, batchSize: 128 });
    expect(experimentRunConfig(c, 1, { quick: false, dataset: 'mnist' }).backend).toBe('auto');
    expect(experimentRunConfig(c, 1, { quick: false, dataset: 'mnist', backend: 'webgl' }).backend).toBe('webgl');
    expect(experimentRunConfig(c, 1, { quick: false, dataset: 'mnist', backend: 'wasm' })).toEqual({
      ...experimentRunConfig(c, 1, { quick: false, dataset: 'mnist' }),
      backend: 'wasm',
    });
  });
  test('sigmoid layers, raw inputs, SGD 0.01, validation 0.1, batch and epochs from the config, seed = repeat', () => {
    const c = config({ depth: 3, width: 128, epochs: 30, batchSize: 16 });
    const run = experimentRunConfig(c, 4, { quick: false, dataset: 'mnist' });
    const expected: TrainConfig = {
      layers: [
        { units: 128, activation: 'sigmoid' },
        { units: 128, activation: 'sigmoid' },
        { units: 128, activation: 'sigmoid' },
      ],
      epochs: 30,
      batchSize: 16,
      learningRate: 0.01,
      optimizer: 'sgd',
      validationSplit: 0.1,
      preprocessing: 'raw',
      seed: 4,
      dataset: 'mnist',
      backend: DEFAULT_CONFIG.backend,
      subset: null,
      init: 'glorot_uniform',
      l2: 0,
      l1: 0,
      maxNorm: 0,
      inputDropout: 0,
      earlyPatience: null,
      earlyMonitor: 'val_loss',
      schedule: 'const',
      warmup: 0,
      loss: 'ce',
      augment: 'none',
    };
    expect(run).toEqual(expected);
  });

  test('quick mode trains on QUICK_SUBSET (6000) images; full mode on all', () => {
    expect(QUICK_SUBSET).toBe(6000);
    expect(experimentRunConfig(config(), 1, { quick: true, dataset: 'mnist' }).subset).toBe(6000);
    expect(experimentRunConfig(config(), 1, { quick: false, dataset: 'mnist' }).subset).toBeNull();
  });

  test('the dataset is passed through', () => {
    expect(experimentRunConfig(config(), 1, { quick: false, dataset: 'fashion' }).dataset).toBe('fashion');
    expect(experimentRunConfig(config(), 1, { quick: true, dataset: 'mnist' }).dataset).toBe('mnist');
  });

  test('the first experiment\u2019s run is exactly the article\u2019s first network (DEFAULT_CONFIG)', () => {
    const first = experimentById('first').configs[0] as ExperimentConfig;
    expect(experimentRunConfig(first, 1, { quick: false, dataset: 'mnist' })).toEqual(DEFAULT_CONFIG);
  });

  test('batch16 keeps its batch of 16 and 50 epochs', () => {
    const c = experimentById('batch16').configs[0] as ExperimentConfig;
    const run = experimentRunConfig(c, 2, { quick: false, dataset: 'mnist' });
    expect(run.batchSize).toBe(16);
    expect(run.epochs).toBe(50);
    expect(run.layers).toHaveLength(5);
    expect(run.seed).toBe(2);
  });
});

describe('experimentPlan: the queue\u2019s order', () => {
  test('config by config, repeats together, seeds 1..repeats', () => {
    const plan = experimentPlan(experimentById('depth'), { repeats: 3, quick: false, dataset: 'mnist' });
    expect(plan).toHaveLength(12);
    expect(plan.map((p) => [p.config.layers.length, p.config.seed])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [2, 1],
      [2, 2],
      [2, 3],
      [3, 1],
      [3, 2],
      [3, 3],
      [4, 1],
      [4, 2],
      [4, 3],
    ]);
  });

  test('each item is experimentRunConfig of its config and repeat', () => {
    const e = experimentById('grid');
    const plan = experimentPlan(e, { repeats: 2, quick: true, dataset: 'fashion' });
    expect(plan).toHaveLength(30);
    e.configs.forEach((c, i) => {
      for (const r of [1, 2]) {
        expect(plan[2 * i + r - 1]?.config).toEqual(experimentRunConfig(c, r, { quick: true, dataset: 'fashion' }));
      }
    });
  });

  test('tags carry experiment, key, repeat and quick', () => {
    const e = experimentById('width');
    const quick = experimentPlan(e, { repeats: 2, quick: true, dataset: 'mnist' });
    expect(quick.map((p) => p.tag)).toEqual(
      e.configs.flatMap((c) => [1, 2].map((repeat) => ({ experiment: 'width', key: c.key, repeat, quick: true }))),
    );
    const full = experimentPlan(e, { repeats: 1, quick: false, dataset: 'mnist' });
    expect(full.every((p) => p.tag.quick === false)).toBe(true);
    expect(full.map((p) => p.config.subset)).toEqual(e.configs.map(() => null));
    expect(quick.every((p) => p.config.subset === QUICK_SUBSET)).toBe(true);
  });

  test.each([
    [0, 1],
    [-5, 1],
    [1, 1],
    [2.9, 2],
    [10, 10],
    [11, 10],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
    [1000, 10],
  ])('repeats %s is clamped to %s', (repeats, used) => {
    const plan = experimentPlan(experimentById('first'), { repeats, quick: false, dataset: 'mnist' });
    expect(plan).toHaveLength(used);
    expect(plan.map((p) => p.config.seed)).toEqual(Array.from({ length: used }, (_, i) => i + 1));
  });
});

describe('configLabel', () => {
  test('one layer: its width; more: depth×width', () => {
    expect(configLabel(config({ depth: 1, width: 512 }))).toBe('512');
    expect(configLabel(config({ depth: 2, width: 32 }))).toBe('2×32');
    expect(configLabel(config({ depth: 5, width: 128 }))).toBe('5×128');
  });

  test('labels are unique within each experiment', () => {
    for (const e of EXPERIMENTS) {
      const labels = e.configs.map(configLabel);
      expect(new Set(labels).size, e.id).toBe(labels.length);
    }
  });
});
