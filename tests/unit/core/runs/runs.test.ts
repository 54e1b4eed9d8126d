import { describe, expect, test } from 'vitest';
import { totalParams } from '../../../../src/core/network/params';
import {
  architectureLabel,
  makeRunId,
  markInterrupted,
  newestFirst,
  newRunRecord,
  runNames,
  secondsPerEpoch,
  type EpochLog,
  type RunRecord,
} from '../../../../src/core/runs/runs';
import { parseRunRecord, RUN_SCHEMA } from '../../../../src/core/runs/runSchema';
import { DEFAULT_CONFIG, type Activation, type HiddenLayer, type TrainConfig } from '../../../../src/core/network/spec';

const layers = (widths: number[], ...acts: Activation[]): HiddenLayer[] =>
  widths.map((units, i) => ({ units, activation: acts[i] ?? acts[0] ?? 'sigmoid' }));

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, ...overrides });

const epoch = (n: number, seconds: number, loss = 0.5): EpochLog => ({
  epoch: n,
  loss,
  acc: 0.9,
  valLoss: 0.4,
  valAcc: 0.91,
  seconds,
});

const record = (id: string, startedAt: number, overrides: Partial<RunRecord> = {}): RunRecord => ({
  ...newRunRecord(id, startedAt, overrides.config ?? DEFAULT_CONFIG),
  ...overrides,
});

describe('architectureLabel', () => {
  test('no hidden layer is plain softmax regression', () => {
    expect(architectureLabel([])).toBe('no hidden layer');
  });

  test('one layer: width and activation', () => {
    expect(architectureLabel(layers([32], 'sigmoid'))).toBe('32 sigmoid');
    expect(architectureLabel(layers([4096], 'linear'))).toBe('4096 linear');
  });

  test('three or more equal layers are counted, two are spelled out', () => {
    expect(architectureLabel(layers([32, 32, 32, 32], 'sigmoid'))).toBe('4×32 sigmoid');
    expect(architectureLabel(layers([64, 64, 64], 'relu'))).toBe('3×64 relu');
    expect(architectureLabel(layers([32, 32], 'sigmoid'))).toBe('2×32 sigmoid');
  });

  test('mixed widths with one activation are joined with dashes', () => {
    expect(architectureLabel(layers([512, 256], 'relu'))).toBe('512-256 relu');
    expect(architectureLabel(layers([64, 32, 32], 'tanh'))).toBe('64-32-32 tanh');
  });

  test('mixed activations name every layer', () => {
    expect(architectureLabel(layers([32, 16], 'relu', 'tanh'))).toBe('32 relu, 16 tanh');
    expect(architectureLabel(layers([8, 8, 8], 'relu', 'relu', 'linear'))).toBe('8 relu, 8 relu, 8 linear');
  });
});

describe('runNames', () => {
  test('runs of different architectures are named by their architecture alone', () => {
    const runs = [
      record('a', 1, { config: config({ layers: layers([32]) }) }),
      record('b', 2, { config: config({ layers: layers([512, 256], 'relu') }) }),
      record('c', 3, { config: config({ layers: [] }) }),
    ];
    expect(runNames(runs)).toEqual(['32 sigmoid', '512-256 relu', 'no hidden layer']);
  });

  test('twins differing only in the seed are told apart by it; other runs stay plain', () => {
    const runs = [
      record('a', 1, { config: config({ seed: 5 }) }),
      record('b', 2, { config: config({ layers: layers([64], 'relu') }) }),
      record('c', 3, { config: config({ seed: 6 }) }),
    ];
    expect(runNames(runs)).toEqual(['32 sigmoid · seed 5', '64 relu', '32 sigmoid · seed 6']);
  });

  test('the first differing setting wins: learning rate before seed', () => {
    const runs = [
      record('a', 1, { config: config({ learningRate: 0.01, seed: 1 }) }),
      record('b', 2, { config: config({ learningRate: 0.1, seed: 2 }) }),
    ];
    expect(runNames(runs)).toEqual(['32 sigmoid · sgd 0.01', '32 sigmoid · sgd 0.1']);
  });

  test('other distinguishers: batch size, subset, preprocessing', () => {
    expect(
      runNames([
        record('a', 1, { config: config({ batchSize: 32 }) }),
        record('b', 2, { config: config({ batchSize: 256 }) }),
      ]),
    ).toEqual(['32 sigmoid · batch 32', '32 sigmoid · batch 256']);
    expect(runNames([record('a', 1, { config: config({ subset: 5000 }) }), record('b', 2)])).toEqual([
      '32 sigmoid · 5000 images',
      '32 sigmoid · all images',
    ]);
    expect(runNames([record('a', 1, { config: config({ preprocessing: 'scaled' }) }), record('b', 2)])).toEqual([
      '32 sigmoid · scaled inputs',
      '32 sigmoid · raw inputs',
    ]);
  });

  test('identical twins are numbered in list order', () => {
    const runs = [
      record('a', 1),
      record('b', 2),
      record('c', 3, { config: config({ layers: layers([16]) }) }),
      record('d', 4),
    ];
    expect(runNames(runs)).toEqual(['32 sigmoid · #1', '32 sigmoid · #2', '16 sigmoid', '32 sigmoid · #3']);
  });

  test('three twins that one setting cannot tell apart get as many settings as it takes', () => {
    const runs = [
      record('a', 1, { config: config({ seed: 1 }) }),
      record('b', 2, { config: config({ seed: 2 }) }),
      record('c', 3, { config: config({ seed: 1, learningRate: 0.1 }) }),
    ];
    expect(runNames(runs)).toEqual([
      '32 sigmoid · sgd 0.01 · seed 1',
      '32 sigmoid · sgd 0.01 · seed 2',
      '32 sigmoid · sgd 0.1 · seed 1',
    ]);
    expect(new Set(runNames(runs)).size).toBe(3);
  });

  test('no runs, no names', () => {
    expect(runNames([])).toEqual([]);
  });
});

describe('secondsPerEpoch', () => {
  test('the median of the epochs after the first (odd count)', () => {
    expect(secondsPerEpoch({ epochs: [epoch(1, 9), epoch(2, 2), epoch(3, 4), epoch(4, 3)] })).toBe(3);
  });

  test('the median of the epochs after the first (even count: mean of the middle two)', () => {
    expect(secondsPerEpoch({ epochs: [epoch(1, 9), epoch(2, 2), epoch(3, 4), epoch(4, 3), epoch(5, 5)] })).toBe(3.5);
  });

  test('a single epoch is its own time', () => {
    expect(secondsPerEpoch({ epochs: [epoch(1, 7.25)] })).toBe(7.25);
  });

  test('no epoch, no time', () => {
    expect(secondsPerEpoch({ epochs: [] })).toBeNull();
  });

  test('zero and non-finite times are left out', () => {
    expect(secondsPerEpoch({ epochs: [epoch(1, 9), epoch(2, 0), epoch(3, Number.NaN), epoch(4, 2)] })).toBe(2);
    expect(secondsPerEpoch({ epochs: [epoch(1, 9), epoch(2, Number.POSITIVE_INFINITY)] })).toBeNull();
  });
});

describe('newestFirst', () => {
  test('sorts by start time, newest first, then by id; the input is untouched', () => {
    const runs = [record('b', 100), record('a', 300), record('c', 200), record('d', 200)];
    const sorted = newestFirst(runs);
    expect(sorted.map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
    expect(runs.map((r) => r.id)).toEqual(['b', 'a', 'c', 'd']);
  });
});

describe('makeRunId', () => {
  test('base-36 time padded to nine characters, a dash and four random characters', () => {
    expect(makeRunId(0, () => 0)).toBe('000000000-0000');
    expect(makeRunId(35, () => 0)).toBe('00000000z-0000');
    expect(makeRunId(36, () => 0.5)).toBe('000000010-i000');
    const id = makeRunId(1_700_000_000_000, () => 0.999999);
    expect(id).toMatch(/^[0-9a-z]{9}-[0-9a-z]{4}$/);
    expect(id.slice(0, 9)).toBe((1_700_000_000_000).toString(36).padStart(9, '0'));
    expect(makeRunId(-5, () => 0)).toBe('000000000-0000');
  });

  test('ids sort as their start times do, whatever the random part', () => {
    const times = [5, 35, 36, 1_295, 1_296, 1_600_000_000_000, 1_700_000_000_000, 1_700_000_000_001];
    const ids = times.map((t, i) => makeRunId(t, () => (times.length - i) / (times.length + 1)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('markInterrupted', () => {
  test('a run still marked running becomes stopped, everything else kept', () => {
    const running = record('a', 1, { epochs: [epoch(1, 3)], backend: 'webgl' });
    const fixed = markInterrupted(running);
    expect(fixed).toEqual({ ...running, status: 'stopped' });
    expect(running.status).toBe('running');
  });

  test('finished, stopped and failed runs are returned as they are', () => {
    for (const status of ['done', 'stopped', 'error'] as const) {
      const r = record('a', 1, { status });
      expect(markInterrupted(r)).toBe(r);
    }
  });
});

describe('parseRunRecord', () => {
  const goodConfig = config({
    layers: layers([128, 64], 'relu', 'tanh'),
    optimizer: 'adam',
    learningRate: 0.002,
    epochs: 3,
    batchSize: 64,
    seed: 42,
    subset: 5000,
    backend: 'webgl',
  });
  const good: RunRecord = {
    id: '0lq8x2k3c-ab12',
    startedAt: 1_700_000_000_000,
    config: goodConfig,
    status: 'error',
    epochs: [
      { epoch: 1, loss: 0.8, acc: 0.75, valLoss: 0.5, valAcc: 0.85, seconds: 4.5 },
      { epoch: 2, loss: Number.NaN, acc: 0.1, valLoss: null, valAcc: null, seconds: 1.2 },
    ],
    testAcc: null,
    testLoss: null,
    params: totalParams(goodConfig.layers),
    backend: 'webgl',
    trainCount: 4500,
    valCount: 500,
    error: 'The loss became NaN at epoch 2',
    tag: { experiment: 'depth', key: 'w32d3', repeat: 2, quick: true },
  };
  /** The stored object with some fields replaced (undefined: removed). */
  const broken = (changes: Record<string, unknown>): Record<string, unknown> => {
    const x: Record<string, unknown> = { ...structuredClone(good), ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete x[k];
    return x;
  };
  const withConfig = (changes: Record<string, unknown>) => broken({ config: { ...goodConfig, ...changes } });

  test('a real record comes back equal, a NaN loss included', () => {
    const parsed = parseRunRecord(structuredClone(good));
    expect(parsed).toEqual(good);
    expect(parsed?.epochs[1]?.loss).toBeNaN();
  });

  test('a record written before experiment tags existed reads as an untagged run', () => {
    const old = broken({ tag: undefined });
    expect(parseRunRecord(old)).toEqual({ ...good, tag: null });
  });

  test('a done run with a default config and no epochs is accepted too', () => {
    const r = record('x', 5, { status: 'done', testAcc: 0.91, testLoss: 0.3 });
    expect(parseRunRecord(structuredClone(r))).toEqual(r);
  });

  test('fields it does not know are dropped', () => {
    const parsed = parseRunRecord({ ...structuredClone(good), extra: 1, config: { ...goodConfig, colour: 'red' } });
    expect(parsed).toEqual(good);
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['a string', 'run'],
    ['a number', 42],
    ['an array', []],
    ['missing id', broken({ id: undefined })],
    ['a numeric id', broken({ id: 7 })],
    ['startedAt NaN', broken({ startedAt: Number.NaN })],
    ['startedAt beyond what a Date holds (exports would throw)', broken({ startedAt: 9e15 })],
    ['startedAt negative', broken({ startedAt: -1 })],
    [
      'an experiment tag naming no experiment',
      broken({ tag: { experiment: 'nope', key: 'w32d1', repeat: 1, quick: false } }),
    ],
    ['an experiment tag without its repeat', broken({ tag: { experiment: 'depth', key: 'w32d1', quick: false } })],
    ['an unknown status', broken({ status: 'paused' })],
    ['epochs not an array', broken({ epochs: { 0: good.epochs[0] } })],
    ['an epoch without seconds', broken({ epochs: [{ epoch: 1, loss: 0.8, acc: 0.75, valLoss: 0.5, valAcc: 0.85 }] })],
    ['an epoch whose acc is a string', broken({ epochs: [{ ...good.epochs[0], acc: '0.75' }] })],
    ['an epoch whose valAcc is NaN', broken({ epochs: [{ ...good.epochs[0], valAcc: Number.NaN }] })],
    ['an epoch that is not an object', broken({ epochs: [3] })],
    ['testAcc missing', broken({ testAcc: undefined })],
    ['params a string', broken({ params: '25450' })],
    ['backend a number', broken({ backend: 1 })],
    ['error a number', broken({ error: 500 })],
    ['no config', broken({ config: undefined })],
    ['layers not an array', withConfig({ layers: '32' })],
    ['an unknown activation', withConfig({ layers: [{ units: 32, activation: 'softmax' }] })],
    ['a layer width that is not a number', withConfig({ layers: [{ units: '32', activation: 'relu' }] })],
    [
      '99 hidden layers',
      withConfig({
        layers: layers(
          Array.from({ length: 99 }, () => 8),
          'relu',
        ),
      }),
    ],
    ['a width of 1e9', withConfig({ layers: layers([1e9], 'relu') })],
    ['a fractional width', withConfig({ layers: layers([32.5], 'relu') })],
    ['a learning rate of 0', withConfig({ learningRate: 0 })],
    ['1000 epochs', withConfig({ epochs: 1000 })],
    ['an unknown optimizer', withConfig({ optimizer: 'lion' })],
    ['subset missing from a record of schema 1', { ...withConfig({ subset: undefined }), schema: 1 }],
    ['a record of a newer schema', { ...structuredClone(good), schema: RUN_SCHEMA + 1 }],
  ])('rejects %s', (_why, x) => {
    expect(parseRunRecord(x)).toBeNull();
  });
});
