// Issue 22: weight decay (L2, L1) and the max-norm constraint held to real Keras 3. The same network (the lab's initial weights),
// the same batch of real MNIST images, one step of plain SGD (and of Adam): Keras (keras/one_step.py) and the
// lab's step (ml/stepper.ts, the run's own step) report the same loss, penalty included, and leave
// the same weights; Keras's evaluate() counts the penalty too, as the lab's validation and test
// losses do. Skipped, saying why, where Keras is not installed.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../src/core/dataset/dataset';
import { deriveSeed, mulberry32, shuffledIndices } from '../../src/core/network/rng';
import { DEFAULT_CONFIG, INPUT_SIZE, type TrainConfig } from '../../src/core/network/spec';
import { createDeviceData } from '../../src/ml/deviceData';
import { createMlp, GPU_INPUT_WIDTH } from '../../src/ml/mlp';
import { Stepper } from '../../src/ml/stepper';
import { evaluate } from '../../src/ml/train/evaluate';
import { loadMnist } from '../unit/helpers';
import { findKeras, KERAS_ENV } from './python';

const keras = findKeras();
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 143), test: loadMnist('t10k', 10) };
});

/** 143 images: 128 train (one batch), 15 validate. */
const config = (
  reg: Partial<Pick<TrainConfig, 'l2' | 'l1' | 'maxNorm'>>,
  optimizer: 'sgd' | 'adam' = 'sgd',
): TrainConfig => ({
  ...DEFAULT_CONFIG,
  layers: [
    { units: 24, activation: 'relu' },
    { units: 12, activation: 'sigmoid' },
  ],
  preprocessing: 'scaled',
  optimizer,
  learningRate: optimizer === 'sgd' ? 0.1 : 0.001,
  subset: 143,
  epochs: 1,
  seed: 9,
  ...reg,
});

/** The lab's initial weights for `c` (the first kernel without its two padding rows), flat. */
function initialWeights(c: TrainConfig): number[][] {
  const net = createMlp(c.layers, c.seed, c.init);
  const out = net.kernels.flatMap((k, i) => {
    const w = k.dataSync();
    const kernel = i === 0 ? w.slice(0, INPUT_SIZE * (k.shape[1] ?? 0)) : w;
    return [Array.from(kernel), Array.from(net.biases[i]?.dataSync() ?? [])];
  });
  net.dispose();
  return out;
}

/** The first batch of `c`'s run: its rows of the training images, scaled, and their labels. */
function firstBatch(c: TrainConfig) {
  const order = shuffledIndices(128, mulberry32(deriveSeed(c.seed, 1)));
  const x = Array.from(order, (r) =>
    Array.from(data.train.images.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE), (b) => b / 255),
  );
  const y = Array.from(order, (r) => data.train.labels[r] ?? 0);
  return { x, y };
}

/** The lab's evaluate() of the first batch with `weights` (Keras's order and shapes). */
async function labEvaluate(c: TrainConfig, weights: number[][]): Promise<number> {
  const widths = [...c.layers.map((l) => l.units), 10];
  const kernels = widths.map((w, i) => {
    const k = Float32Array.from(weights[2 * i] ?? []);
    // The first kernel has the lab's two zero padding rows.
    const rows = k.length / w + (i === 0 ? GPU_INPUT_WIDTH - INPUT_SIZE : 0);
    const padded = new Float32Array(rows * w);
    padded.set(k);
    return tf.variable(tf.tensor2d(padded, [rows, w]));
  });
  const biases = widths.map((_, i) => tf.variable(tf.tensor1d(Float32Array.from(weights[2 * i + 1] ?? []))));
  const net = { activations: c.layers.map((l) => l.activation), kernels, biases, dispose: () => undefined };
  const { x, y } = firstBatch(c);
  const xs = tf.tensor2d(x.map((row) => [...row, 0, 0]));
  const ys = tf.tensor1d(y, 'int32');
  try {
    return (await evaluate(net, xs, ys, [0, y.length], undefined, false, c)).loss;
  } finally {
    tf.dispose([...kernels, ...biases, xs, ys]);
  }
}

type KerasStep = { evaluate_before: number; loss: number; evaluate_after: number; weights: number[][] };

/** One step of each config in real Keras, all in one Python process (Keras and JAX start once). */
function kerasSteps(configs: readonly TrainConfig[]): KerasStep[] {
  const dir = mkdtempSync(join(tmpdir(), 'keras-step-'));
  const input = join(dir, 'in.json');
  const output = join(dir, 'out.json');
  const cases = configs.map((c) => ({
    hidden: c.layers.map((l) => [l.units, l.activation]),
    l2: c.l2,
    l1: c.l1,
    maxnorm: c.maxNorm,
    lr: c.learningRate,
    optimizer: c.optimizer,
    weights: initialWeights(c),
    ...firstBatch(c),
  }));
  writeFileSync(input, JSON.stringify(cases));
  const r = spawnSync(keras.python ?? 'python3', [resolve('keras/one_step.py'), input, output], {
    encoding: 'utf8',
    env: KERAS_ENV,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`one_step.py exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(output, 'utf8')) as KerasStep[];
}

const CASES = [
  [{}, 'sgd'],
  [{ l2: 0.01 }, 'sgd'],
  [{ l2: 0.01 }, 'adam'],
  [{ l1: 0.001, l2: 0.005 }, 'sgd'],
  [{ l1: 0.001 }, 'adam'],
  // A max-norm below every unit's norm (the initial weights' are about 1.0–1.4): every unit is scaled back.
  [{ maxNorm: 0.6 }, 'sgd'],
  [{ maxNorm: 0.6, l2: 0.01 }, 'adam'],
] as const;

describe.skipIf(keras.python === null)('weight decay and max-norm against real Keras 3', () => {
  let steps: KerasStep[] = [];
  beforeAll(() => {
    steps = kerasSteps(CASES.map(([reg, optimizer]) => config(reg, optimizer)));
  }, 300_000);
  for (const [n, [reg, optimizer]] of CASES.entries()) {
    test(`${JSON.stringify(reg)}, ${optimizer}: one step gives Keras's loss and Keras's weights; evaluate() counts the penalty`, async () => {
      const c = config(reg, optimizer);
      const k = steps[n];
      if (!k) throw new Error('Keras gave no result for this case');
      const device = createDeviceData();
      const s = new Stepper(data, c, device);
      try {
        const x = firstBatch(c);
        const image = { input: Float32Array.from(x.x[0] ?? []), source: { kind: 'drawn' as const } };
        const r = await s.step(image);
        expect(r.loss).toBeCloseTo(k.loss, 5);
        // Keras's evaluate() on the batch before the step gives the step's loss: the penalty is in both.
        expect(k.evaluate_before).toBeCloseTo(k.loss, 5);
        // The weights after the step, unit by unit (incoming weights and bias of every unit).
        const widths = [...c.layers.map((l) => l.units), 10];
        for (const [layer, width] of widths.entries()) {
          const kernel = k.weights[2 * layer] ?? [];
          const bias = k.weights[2 * layer + 1] ?? [];
          for (let unit = 0; unit < width; unit++) {
            const u = await s.unit(layer, unit);
            const rows = u.weights.length;
            for (let i = 0; i < rows; i++) expect(u.weights[i]).toBeCloseTo(kernel[i * width + unit] ?? NaN, 6);
            expect(u.bias).toBeCloseTo(bias[unit] ?? NaN, 6);
          }
        }
      } finally {
        s.dispose();
        device.dispose();
      }
      // The lab's evaluation (its validation and test losses) of Keras's weights after the step
      // reports what Keras's evaluate() does: the penalty counted.
      expect(await labEvaluate(c, k.weights)).toBeCloseTo(k.evaluate_after, 5);
    });
  }
});
