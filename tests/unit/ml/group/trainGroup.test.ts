import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type HiddenLayer, type TrainConfig } from '../../../../src/core/network/spec';
import { trainRun, DivergedError, type RunOutcome } from '../../../../src/ml/train';
import { trainGroup, type GroupResult } from '../../../../src/ml/group/trainGroup';
import { ownProducts, useOwnProducts } from '../../../../src/ml/kernels/gemm/wasmGemm';
import { loadMnist } from '../../helpers';

// Many networks in one step (issue 23): each run of a group gives, epoch by epoch and on the test
// set, to the last bit, what it gives trained alone on WASM (the lab's own path: compacted columns,
// our products), so grouping changes only the time.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

const data = { train: loadMnist('train', 1300), test: loadMnist('t10k', 500) };
const never = new AbortController().signal;

/** Every number a run reports: per epoch loss, accuracy, validation loss and accuracy; then the test's. */
const numbers = (r: GroupResult | undefined) =>
  r instanceof Error || !r
    ? r
    : [...r.epochs.map((e) => [e.loss, e.acc, e.valLoss, e.valAcc]), [r.testLoss, r.testAcc], r.status];

const config = (layers: HiddenLayer[], seed: number, learningRate = 0.1): TrainConfig => ({
  ...DEFAULT_CONFIG,
  backend: 'wasm',
  preprocessing: 'scaled',
  layers,
  seed,
  learningRate,
  subset: 1300,
  epochs: 2,
});

/** `configs` trained as one group keeping their models; no tensor is left behind. */
async function keptWithoutLeak(configs: readonly TrainConfig[]): Promise<GroupResult[]> {
  const before = tf.memory().numTensors;
  const grouped = await trainGroup(
    data,
    configs.map((c) => ({ config: c, callbacks: {} })),
    never,
    { keepModel: true },
  );
  expect(tf.memory().numTensors).toBe(before);
  return grouped;
}

describe('a group of runs trained in one step on WASM', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(ownProducts()).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test.each<[string, HiddenLayer[]]>([
    ['one layer of 37 sigmoid units', [{ units: 37, activation: 'sigmoid' }]],
    [
      'odd widths, relu then tanh',
      [
        { units: 37, activation: 'relu' },
        { units: 19, activation: 'tanh' },
      ],
    ],
    ['no hidden layer', []],
    // Wide enough that the run alone multiplies only its batches' columns (train/plan.ts); the group multiplies all.
    ['one layer of 131 sigmoid units', [{ units: 131, activation: 'sigmoid' }]],
  ])('%s: each run (3 seeds, one at another rate) gives what it gives alone, to the last bit', async (_, layers) => {
    const configs = [config(layers, 1), config(layers, 2), config(layers, 3, 0.3)];
    const before = tf.memory().numTensors;
    const epochs: number[] = [0, 0, 0];
    const grouped = await trainGroup(
      data,
      configs.map((c, i) => ({ config: c, callbacks: { onEpoch: () => void (epochs[i] = (epochs[i] ?? 0) + 1) } })),
      never,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(epochs).toEqual([2, 2, 2]);
    for (const [i, c] of configs.entries()) {
      const alone = await trainRun(data, c, {}, never);
      expect(numbers(grouped[i]), `seed ${c.seed}`).toEqual(numbers(alone));
      expect((grouped[i] as RunOutcome).epochs).toHaveLength(2);
      // And it learned something (chance is 0.1).
      expect((grouped[i] as RunOutcome).testAcc).toBeGreaterThan(0.15);
    }
  });

  test('networks of the same widths with other activations and initializers share the step, each as alone, to the last bit', async () => {
    const act = (a: HiddenLayer['activation'], b: HiddenLayer['activation']): HiddenLayer[] => [
      { units: 37, activation: a },
      { units: 19, activation: b },
    ];
    const configs = [
      config(act('sigmoid', 'sigmoid'), 1),
      { ...config(act('relu', 'tanh'), 1), init: 'he_uniform' as const },
      config(act('tanh', 'relu'), 2, 0.3),
    ];
    const grouped = await keptWithoutLeak(configs);
    for (const [i, c] of configs.entries()) {
      const alone = await trainRun(data, c, {}, never, { keepModel: true });
      expect(numbers(grouped[i]), `network ${i}`).toEqual(numbers(alone));
      expect((grouped[i] as RunOutcome).kept?.model.kernels).toEqual(alone.kept?.model.kernels);
    }
  });

  test('with keepModel each run keeps its weights and test predictions, the same as alone (what the lab keeps of a queue’s run)', async () => {
    const layers: HiddenLayer[] = [{ units: 37, activation: 'sigmoid' }];
    const configs = [config(layers, 4), config(layers, 5)];
    const grouped = await keptWithoutLeak(configs);
    for (const [i, c] of configs.entries()) {
      const alone = await trainRun(data, c, {}, never, { keepModel: true });
      const kept = (grouped[i] as RunOutcome).kept;
      expect(kept?.model.kernels.map((k) => k.length)).toEqual([784 * 37, 37 * 10]);
      expect(kept?.model.kernels).toEqual(alone.kept?.model.kernels);
      expect(kept?.model.biases).toEqual(alone.kept?.model.biases);
      expect(kept?.test).toEqual(alone.kept?.test);
    }
  });

  // Keras's clipped cross-entropy stops the gradient of confidently wrong samples: an infinite
  // rate overflows (ml/train.test.ts).
  test('a network whose loss becomes NaN fails as it fails alone; the others go on', async () => {
    const layers: HiddenLayer[] = [{ units: 16, activation: 'sigmoid' }];
    const raw = (c: TrainConfig): TrainConfig => ({ ...c, preprocessing: 'raw' });
    const configs = [raw(config(layers, 1, 0.01)), raw(config(layers, 2, Infinity))];
    const grouped = await trainGroup(
      data,
      configs.map((c) => ({ config: c, callbacks: {} })),
      never,
      { readEvery: 1 },
    );
    const alone = await trainRun(data, configs[1] as TrainConfig, {}, never, { readEvery: 1 }).catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(DivergedError);
    expect(grouped[1]).toBeInstanceOf(DivergedError);
    expect((grouped[1] as Error).message).toBe((alone as Error).message);
    const first = await trainRun(data, configs[0] as TrainConfig, {}, never, { readEvery: 1 });
    expect(numbers(grouped[0])).toEqual(numbers(first));
  });

  test('stopped mid-epoch: every run is stopped, with the epochs it finished, and nothing leaks', async () => {
    const layers: HiddenLayer[] = [{ units: 16, activation: 'sigmoid' }];
    const stop = new AbortController();
    const before = tf.memory().numTensors;
    const grouped = await trainGroup(
      data,
      [1, 2].map((seed) => ({
        config: config(layers, seed),
        callbacks: { onProgress: (p) => void (p.epoch === 2 && stop.abort()) },
      })),
      stop.signal,
      { readEvery: 2 },
    );
    expect(grouped.map((r) => (r as RunOutcome).status)).toEqual(['stopped', 'stopped']);
    expect(grouped.map((r) => (r as RunOutcome).epochs.length)).toEqual([1, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('runs that are not one group are refused', async () => {
    const a = config([{ units: 16, activation: 'sigmoid' }], 1);
    await expect(
      trainGroup(
        data,
        [
          { config: a, callbacks: {} },
          { config: { ...a, epochs: 3 }, callbacks: {} },
        ],
        never,
      ),
    ).rejects.toThrow('not one group');
    await expect(trainGroup(data, [{ config: { ...a, optimizer: 'adam' }, callbacks: {} }], never)).rejects.toThrow(
      'not one group',
    );
    // WASM without our products: TensorFlow.js's stacked matMul there is a plain loop.
    useOwnProducts(false);
    await expect(trainGroup(data, [{ config: a, callbacks: {} }], never)).rejects.toThrow('needs the WASM backend');
    useOwnProducts(true);
  });
});

// On the CPU backend (plain JavaScript) the group's products are TensorFlow.js's batched matMul; a
// run alone may multiply only its batch's columns, summed in other blocks, so the numbers agree to
// within 1e-5 (a 5-epoch comparison found up to 3.5e-7), not to the last bit.
describe('a group of runs trained in one step on the CPU backend', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
  });
  const cpu = (c: TrainConfig): TrainConfig => ({ ...c, backend: 'cpu' });
  /** Every number a run reports, flat: per epoch loss, accuracy, validation loss and accuracy; then the test's. */
  const flat = (r: GroupResult | undefined): number[] =>
    r instanceof Error || !r
      ? []
      : [
          ...r.epochs.flatMap((e) => [e.loss, e.acc, e.valLoss ?? NaN, e.valAcc ?? NaN]),
          r.testLoss ?? NaN,
          r.testAcc ?? NaN,
        ];

  test.each<[string, HiddenLayer[]]>([
    [
      'odd widths, relu then tanh',
      [
        { units: 37, activation: 'relu' },
        { units: 19, activation: 'tanh' },
      ],
    ],
    [
      'one layer of 131 sigmoid units (the run alone multiplies only its batch’s columns)',
      [{ units: 131, activation: 'sigmoid' }],
    ],
  ])('%s: each run (2 seeds, at two rates) gives what it gives alone, within 1e-5', async (_, layers) => {
    const configs = [cpu(config(layers, 1)), cpu(config(layers, 2, 0.3))];
    const before = tf.memory().numTensors;
    const grouped = await trainGroup(
      data,
      configs.map((c) => ({ config: c, callbacks: {} })),
      never,
    );
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, c] of configs.entries()) {
      const alone = await trainRun(data, c, {}, never);
      const [g, a] = [flat(grouped[i]), flat(alone)];
      expect(g).toHaveLength(4 * 2 + 2);
      g.forEach((x, k) => expect(Math.abs(x - (a[k] as number)), `seed ${c.seed}, number ${k}`).toBeLessThan(1e-5));
      expect((grouped[i] as RunOutcome).testAcc).toBeGreaterThan(0.15);
    }
  });
});
