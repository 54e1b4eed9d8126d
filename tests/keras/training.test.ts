// Issue 22: weight decay (L2, L1), the max-norm constraint, dropout, early stopping and the mean squared error loss
// held to real Keras 3. The same network
// (the lab's initial weights), the same batch of real MNIST images, one step of plain SGD (and of Adam): Keras
// (keras/one_step.py) and the lab's step (ml/stepper.ts, the run's own step) report the same loss, penalty
// included, and leave the same weights; Keras's evaluate() counts the penalty too, as the lab's validation and
// test losses do. Dropout: Keras is given the lab's masks of the step (its own RNG draws others), so the
// forward and backward passes through them are compared exactly; evaluate() then drops nothing, as the
// lab's evaluation does; and Keras's own Dropout layer follows the law the lab's masks follow. Skipped,
// saying why, where Keras is not installed.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../src/core/dataset/dataset';
import { deriveSeed, mulberry32, shuffledIndices } from '../../src/core/network/rng';
import { DEFAULT_CONFIG, INPUT_SIZE, type Monitor, type TrainConfig } from '../../src/core/network/spec';
import { createDeviceData } from '../../src/ml/deviceData';
import { createMlp, GPU_INPUT_WIDTH } from '../../src/ml/mlp';
import { Stepper } from '../../src/ml/stepper';
import { DropoutMasks } from '../../src/ml/dropout';
import { COLUMN_OPTIONS } from '../../src/ml/train/step';
import { batchColumns } from '../../src/core/dataset/columns';
import { hasDropout } from '../../src/core/network/dropout';
import { earlyStopOf } from '../../src/core/runs/earlyStopping';
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
  reg: Partial<Pick<TrainConfig, 'l2' | 'l1' | 'maxNorm' | 'inputDropout' | 'layers' | 'loss'>>,
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
    return (await evaluate(net, xs, ys, [0, y.length], undefined, false, c, c.loss)).loss;
  } finally {
    tf.dispose([...kernels, ...biases, xs, ys]);
  }
}

/**
 * The lab's dropout masks of `c`'s first batch, as Keras's FixedMask layers take them: the input's
 * [128 × 784] (the lab masks a compacted batch's columns: spread back to pixels, 1 where a pixel is
 * unused, which is 0 in every image of the batch) and each hidden layer's [128 × units], or null.
 */
function labMasks(c: TrainConfig) {
  const dropout = DropoutMasks.of(c);
  if (!dropout) return null;
  const order = shuffledIndices(128, mulberry32(deriveSeed(c.seed, 1)));
  const used = batchColumns(data.train.images, order, COLUMN_OPTIONS);
  const cols = used ? Array.from(used.cols) : Array.from({ length: GPU_INPUT_WIDTH }, (_, i) => i);
  const masks = dropout.next(128, cols.length); // tensors made outside tidy: disposed below
  const read = (t: tf.Tensor | null) => (t ? Array.from(t.dataSync()) : null);
  const compact = read(masks.input);
  let input: number[] | null = null;
  if (compact) {
    input = new Array<number>(128 * INPUT_SIZE).fill(1);
    for (let r = 0; r < 128; r++)
      cols.forEach((pixel, j) => {
        if (pixel < INPUT_SIZE) (input as number[])[r * INPUT_SIZE + pixel] = compact[r * cols.length + j] as number;
      });
  }
  const hidden = masks.hidden.map(read);
  for (const t of [masks.input, ...masks.hidden]) t?.dispose();
  return { input, hidden };
}

type KerasStep = { evaluate_before: number; loss: number; evaluate_after: number; weights: number[][] };

/** One step of each config in real Keras, all in one Python process (Keras and JAX start once). */
function kerasSteps(configs: readonly TrainConfig[]): KerasStep[] {
  const cases = configs.map((c) => ({
    hidden: c.layers.map((l) => [l.units, l.activation]),
    l2: c.l2,
    l1: c.l1,
    maxnorm: c.maxNorm,
    lr: c.learningRate,
    optimizer: c.optimizer,
    loss: c.loss,
    weights: initialWeights(c),
    masks: labMasks(c),
    ...firstBatch(c),
  }));
  return kerasCases(cases) as KerasStep[];
}

/** keras/one_step.py's results for `cases`, in one Python process. */
function kerasCases(cases: readonly object[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'keras-step-'));
  const input = join(dir, 'in.json');
  const output = join(dir, 'out.json');
  writeFileSync(input, JSON.stringify(cases));
  const r = spawnSync(keras.python ?? 'python3', [resolve('keras/one_step.py'), input, output], {
    encoding: 'utf8',
    env: KERAS_ENV,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`one_step.py exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(output, 'utf8')) as unknown[];
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
  // Dropout on the input and after the first hidden layer (the second has none).
  [
    {
      inputDropout: 0.2,
      layers: [
        { units: 24, activation: 'relu', dropout: 0.5 },
        { units: 12, activation: 'sigmoid' },
      ],
    },
    'sgd',
  ],
  [
    {
      layers: [
        { units: 24, activation: 'relu', dropout: 0.3 },
        { units: 12, activation: 'sigmoid', dropout: 0.6 },
      ],
    },
    'adam',
  ],
  // The mean squared error on the softmax (LeCun et al. 1998): its gradients are far smaller than
  // cross-entropy's, so a lab that took the wrong loss would leave other weights.
  [{ loss: 'mse' }, 'sgd'],
  [{ loss: 'mse', l2: 0.01 }, 'adam'],
  [
    {
      loss: 'mse',
      inputDropout: 0.2,
      layers: [
        { units: 24, activation: 'relu', dropout: 0.5 },
        { units: 12, activation: 'sigmoid' },
      ],
    },
    'sgd',
  ],
] as const;

describe.skipIf(keras.python === null)('weight decay, max-norm, dropout and the MSE loss against real Keras 3', () => {
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
        // Keras's evaluate() on the batch before the step gives the step's loss: the penalty is in both
        // (with dropout they differ: evaluate() drops nothing).
        if (!hasDropout(c)) expect(k.evaluate_before).toBeCloseTo(k.loss, 5);
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

describe.skipIf(keras.python === null)("Keras's Dropout and the lab's masks follow the same law", () => {
  // 64 × 1000 values: the share of zeros lies within 5 standard deviations of the rate.
  const rows = 64;
  const columns = 1000;
  const rates = [0.2, 0.5, 0.8];
  type Law = { zeros: number; kept: number[]; test_identity: boolean };
  let laws: Law[] = [];
  beforeAll(() => {
    laws = kerasCases(rates.map((rate) => ({ law: { rate, shape: [rows, columns] } }))) as Law[];
  }, 300_000);
  for (const [n, rate] of rates.entries()) {
    test(`rate ${rate}: zeros at the rate, the rest 1 / (1 − rate), nothing dropped at test`, () => {
      const k = laws[n];
      if (!k) throw new Error('Keras gave no result');
      const mask = DropoutMasks.of({ ...config({}), inputDropout: rate })?.next(rows, columns).input;
      const lab = mask?.dataSync() ?? new Float32Array(0);
      mask?.dispose();
      const labZeros = lab.filter((v) => v === 0).length / lab.length;
      const bound = 5 * Math.sqrt((rate * (1 - rate)) / (rows * columns));
      for (const zeros of [k.zeros, labZeros]) expect(Math.abs(zeros - rate)).toBeLessThan(bound);
      expect(k.kept).toHaveLength(1);
      const kept = [...new Set(Array.from(lab).filter((v) => v !== 0))];
      expect(kept).toHaveLength(1);
      expect(kept[0]).toBeCloseTo(k.kept[0] ?? NaN, 6);
      expect(k.kept[0]).toBeCloseTo(1 / (1 - rate), 6);
      expect(k.test_identity).toBe(true);
    });
  }
});

describe.skipIf(keras.python === null)("early stopping stops and restores where Keras's EarlyStopping does", () => {
  // Recorded validation series (float32 values, as both sides compare them): hand-picked ones with
  // ties and plateaus, and random walks.
  const rng = mulberry32(2026);
  const walk = (n: number) => {
    let v = 0.5;
    return Array.from({ length: n }, () => Math.fround((v += (rng() - 0.55) * 0.05)));
  };
  type Case = { patience: number; monitor: Monitor; series: number[] };
  const picked: Case[] = [
    { patience: 2, monitor: 'val_loss', series: [0.5, 0.4, 0.4, 0.41, 0.39, 0.5, 0.6, 0.7] },
    { patience: 0, monitor: 'val_loss', series: [0.5, 0.6, 0.4] },
    { patience: 2, monitor: 'val_accuracy', series: [0.9, 0.92, 0.92, 0.91, 0.93, 0.93, 0.93] },
    { patience: 5, monitor: 'val_loss', series: [0.5, 0.4, 0.3] },
  ];
  const walks: Case[] = Array.from({ length: 12 }, (_, i) => ({
    patience: i % 4,
    monitor: i % 2 === 0 ? 'val_loss' : 'val_accuracy',
    series: walk(15),
  }));
  const cases = [...picked, ...walks].map((c) => ({ ...c, series: c.series.map((v) => Math.fround(v)) }));
  type Early = { epochs_run: number; stopped: number | null; restored: number };
  let keras3: Early[] = [];
  beforeAll(() => {
    keras3 = kerasCases(cases.map((early) => ({ early }))) as Early[];
  }, 300_000);
  for (const [n, c] of cases.entries()) {
    test(`patience ${c.patience} on ${c.monitor}: ${c.series.map((v) => v.toFixed(3)).join(' ')}`, () => {
      const k = keras3[n];
      if (!k) throw new Error('Keras gave no result');
      const epochs = c.series.map((v, i) => ({
        epoch: i + 1,
        loss: 0,
        acc: 0,
        valLoss: c.monitor === 'val_loss' ? v : 0,
        valAcc: c.monitor === 'val_accuracy' ? v : 0,
        seconds: 0,
      }));
      const lab = earlyStopOf({ earlyPatience: c.patience, earlyMonitor: c.monitor }, epochs);
      expect({
        stopped: lab?.stoppedAfter ?? null,
        restored: lab?.restored,
        run: lab?.stoppedAfter ?? epochs.length,
      }).toEqual({
        stopped: k.stopped,
        restored: k.restored,
        run: k.epochs_run,
      });
    });
  }
});
