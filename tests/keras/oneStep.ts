// The one-step comparison with real Keras 3 that training.test.ts and batchNorm.test.ts share: a
// small network (the lab's initial weights), its first batch of real MNIST images, the lab's
// dropout masks of that batch, and keras/one_step.py run on a list of cases in one Python process.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll } from 'vitest';
import type { TrainData } from '../../src/core/dataset/dataset';
import { deriveSeed, mulberry32, shuffledIndices } from '../../src/core/network/rng';
import { DEFAULT_CONFIG, INPUT_SIZE, type TrainConfig } from '../../src/core/network/spec';
import { createMlp, GPU_INPUT_WIDTH } from '../../src/ml/mlp';
import { DropoutMasks } from '../../src/ml/dropout';
import { COLUMN_OPTIONS } from '../../src/ml/train/step';
import { batchColumns } from '../../src/core/dataset/columns';
import { evaluate } from '../../src/ml/train/evaluate';
import { loadMnist } from '../unit/helpers';
import { findKeras, KERAS_ENV } from './python';

export const keras = findKeras();
let data: TrainData;

/** The cases' images (143 training, 10 test), loaded before the file's tests on the CPU backend; call once per file. */
export function useStepData(): () => TrainData {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    data = { train: loadMnist('train', 143), test: loadMnist('t10k', 10) };
  });
  return () => data;
}

/** 143 images: 128 train (one batch), 15 validate. */
export const config = (
  reg: Partial<Pick<TrainConfig, 'l2' | 'l1' | 'maxNorm' | 'inputDropout' | 'layers' | 'loss' | 'learningRate'>>,
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

/**
 * The lab's initial weights for `c` (the first kernel without its two padding rows), flat, in
 * Keras's order: a Dense layer's kernel and bias, or for a layer with batch normalization its
 * kernel, then the BatchNormalization's γ, β, moving mean and moving variance.
 */
function initialWeights(c: TrainConfig): number[][] {
  const net = createMlp(c.layers, c.seed, c.init);
  const read = (t: tf.Tensor | undefined) => Array.from(t?.dataSync() ?? []);
  const out = net.kernels.flatMap((k, i) => {
    const w = k.dataSync();
    const kernel = Array.from(i === 0 ? w.slice(0, INPUT_SIZE * (k.shape[1] ?? 0)) : w);
    const norm = net.norms[i];
    if (!norm) return [kernel, read(net.biases[i])];
    return [kernel, read(norm.gamma), read(net.biases[i]), read(norm.movingMean), read(norm.movingVariance)];
  });
  net.dispose();
  return out;
}

/** The first batch of `c`'s run: its rows of the training images, scaled, and their labels. */
export function firstBatch(c: TrainConfig) {
  const order = shuffledIndices(128, mulberry32(deriveSeed(c.seed, 1)));
  const x = Array.from(order, (r) =>
    Array.from(data.train.images.subarray(r * INPUT_SIZE, (r + 1) * INPUT_SIZE), (b) => b / 255),
  );
  const y = Array.from(order, (r) => data.train.labels[r] ?? 0);
  return { x, y };
}

/** The lab's evaluate() of the first batch with `weights` (Keras's order and shapes). */
export async function labEvaluate(c: TrainConfig, weights: number[][]): Promise<number> {
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
  const net = {
    activations: c.layers.map((l) => l.activation),
    kernels,
    biases,
    norms: c.layers.map(() => null),
    trainable: [...kernels, ...biases],
    state: [...kernels, ...biases],
    dispose: () => undefined,
  };
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

export type KerasStep = { evaluate_before: number; loss: number; evaluate_after: number; weights: number[][] };

/** One step of each config in real Keras, all in one Python process (Keras and JAX start once). */
export function kerasSteps(configs: readonly TrainConfig[]): KerasStep[] {
  const cases = configs.map((c) => ({
    hidden: c.layers.map((l) => [l.units, l.activation, l.batchNorm === true]),
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
export function kerasCases(cases: readonly object[]): unknown[] {
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
