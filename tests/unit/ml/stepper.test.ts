import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, INPUT_SIZE, type TrainConfig } from '../../../src/core/network/spec';
import { dotProduct, layerInputs, type StepResult } from '../../../src/core/step/step';
import { createDeviceData } from '../../../src/ml/deviceData';
import { Stepper } from '../../../src/ml/stepper';
import { rateAt } from '../../../src/core/network/schedule';
import { trainRun } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Stepping is training: n presses of Step leave the weights a run leaves after n batches, and the
// step's loss is the run's loss of those batches. On the CPU backend both are exact.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 500), test: loadMnist('t10k', 20) };
});
const never = new AbortController().signal;

const base: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [
    { units: 12, activation: 'sigmoid' },
    { units: 7, activation: 'relu' },
  ],
  epochs: 1,
  seed: 11,
};

const image = (i: number, scaled: boolean) => ({
  input: Float32Array.from(data.test.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), (b) =>
    scaled ? b / 255 : b,
  ),
  source: { kind: 'test' as const, index: i, label: data.test.labels[i] ?? 0 },
});

/** Steps `n` times, then reads every unit's weights; the stepper is disposed, leaving no tensor. */
async function stepped(config: TrainConfig, n: number) {
  const before = tf.memory().numTensors;
  const device = createDeviceData();
  const s = new Stepper(data, config, device);
  const results: StepResult[] = [];
  for (let i = 0; i < n; i++) results.push(await s.step(image(i, config.preprocessing === 'scaled')));
  const widths = [...config.layers.map((l) => l.units), 10];
  const units = await Promise.all(
    widths.map((w, layer) => Promise.all(Array.from({ length: w }, (_, u) => s.unit(layer, u)))),
  );
  s.dispose();
  device.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { results, units };
}

describe('Step trains exactly the batches a run trains', () => {
  // subset 143: 128 training images (one batch); 427: 384 (three batches).
  const cases = [
    {
      name: 'one batch, plain SGD, raw inputs',
      subset: 143,
      steps: 1,
      optimizer: 'sgd',
      preprocessing: 'raw',
      learningRate: 0.01,
    },
    {
      name: 'three batches, Adam, scaled inputs',
      subset: 427,
      steps: 3,
      optimizer: 'adam',
      preprocessing: 'scaled',
      learningRate: 0.001,
    },
    {
      // The masks come from the run's seed: Step drops the units the run drops.
      name: 'three batches, dropout on the input and after both layers, SGD',
      subset: 427,
      steps: 3,
      optimizer: 'sgd',
      preprocessing: 'scaled',
      learningRate: 0.1,
      inputDropout: 0.2,
      layers: [
        { units: 12, activation: 'sigmoid', dropout: 0.5 },
        { units: 7, activation: 'relu', dropout: 0.3 },
      ],
    },
    {
      // A schedule's rate counts the run's steps: the third batch trains at a hundredth.
      name: 'three batches, step decay, SGD',
      subset: 427,
      steps: 3,
      optimizer: 'sgd',
      preprocessing: 'scaled',
      learningRate: 0.5,
      schedule: 'step',
    },
    {
      // …over epochs too: the fourth step is the second epoch's first.
      name: 'two epochs of three batches, cosine decay with a warm-up epoch, Adam',
      subset: 427,
      steps: 6,
      epochs: 2,
      optimizer: 'adam',
      preprocessing: 'scaled',
      learningRate: 0.01,
      schedule: 'cos',
      warmup: 1,
    },
    {
      // The warps come from the run's seed: Step sees the images the run sees, over epochs too.
      name: 'two epochs of three batches, affine augmentation, Adam',
      subset: 427,
      steps: 6,
      epochs: 2,
      optimizer: 'adam',
      preprocessing: 'scaled',
      learningRate: 0.01,
      augment: 'affine',
    },
  ] as const;
  for (const c of cases) {
    test(c.name, async () => {
      const config: TrainConfig = { ...base, ...c };
      const { results, units } = await stepped(config, c.steps);
      const run = await trainRun(data, config, {}, never, { keepModel: true });
      const model = run.kept?.model;
      if (!model) throw new Error('the run kept no model');
      // The loss: the mean over the run's epoch is the mean of the steps' batch losses (equal batches).
      const first = results.filter((r) => r.epoch === 1);
      const mean = first.reduce((s, r) => s + r.loss, 0) / first.length;
      expect(mean).toBeCloseTo(run.epochs[0]?.loss ?? NaN, 6);
      expect(run.epochs).toHaveLength(config.epochs);
      expect(results.map((r) => [r.epoch, r.batch, r.batches, r.size])).toEqual(
        results.map((_, i) => [Math.floor(i / 3) + 1, (i % 3) + 1, Math.min(3, c.steps), 128]),
      );
      expect(results.map((r) => r.rate)).toEqual(results.map((_, i) => rateAt(config, i, 3)));
      // The weights: every unit's incoming weights and bias are the run's, to the bit.
      units.forEach((layer, l) => {
        const kernel = model.kernels[l] as Float32Array;
        const bias = model.biases[l] as Float32Array;
        const width = layer.length;
        layer.forEach((u, j) => {
          const column = Float32Array.from({ length: u.weights.length }, (_, r) => kernel[r * width + j] as number);
          expect(u.weights).toEqual(column);
          expect(u.bias).toBe(bias[j]);
        });
      });
    });
  }
});

test.each([
  ['', false],
  [' (with batch normalization: the weights folded with its moving statistics)', true],
])("a unit's dot product with the shown inputs gives the output its strip shows%s", async (_, bn) => {
  const plain: TrainConfig = { ...base, subset: 427, optimizer: 'sgd', learningRate: 0.01 };
  const config = bn ? { ...plain, layers: plain.layers.map((l) => ({ ...l, batchNorm: true })) } : plain;
  const { results, units } = await stepped(config, 2);
  const last = results.at(-1) as StepResult;
  units.forEach((layer, l) =>
    layer.forEach((u, j) => {
      const shown = last.layers[l]?.values[j] as number;
      const dot = dotProduct(u.weights, layerInputs(last, l), u.bias, last.layers[l]?.activation ?? null);
      expect(Math.abs(dot.output - shown)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(shown)));
    }),
  );
  // The probabilities are the softmax of the output layer's logits.
  const logits = Array.from(last.layers.at(-1)?.values ?? []);
  const e = logits.map((z) => Math.exp(z - Math.max(...logits)));
  const probs = e.map((v) => v / e.reduce((a, b) => a + b, 0));
  probs.forEach((p, i) => expect(last.probs[i]).toBeCloseTo(p, 5));
});

test('the gradient is the batch mean at each sum, and the update is what plain SGD makes of it', async () => {
  const config: TrainConfig = { ...base, subset: 143, optimizer: 'sgd', learningRate: 0.05 };
  const device = createDeviceData();
  const s = new Stepper(data, config, device);
  const before = await Promise.all(Array.from({ length: 10 }, (_, u) => s.unit(2, u)));
  const r = await s.step(image(0, false));
  const after = await Promise.all(Array.from({ length: 10 }, (_, u) => s.unit(2, u)));
  s.dispose();
  device.dispose();
  const out = r.layers[2];
  if (!out) throw new Error('no output layer');
  after.forEach((u, j) => {
    // w ← w − lr·g: the bias moved by −lr times the gradient shown, and ‖Δw, Δb‖ is the update shown.
    const b0 = before[j]?.bias ?? NaN;
    expect(u.bias - b0).toBeCloseTo(-0.05 * (out.gradient[j] as number), 6);
    let sq = (u.bias - b0) ** 2;
    u.weights.forEach((w, i) => (sq += (w - (before[j]?.weights[i] ?? NaN)) ** 2));
    expect(out.update[j]).toBeCloseTo(Math.sqrt(sq), 5);
  });
  expect(r.loss).toBeGreaterThan(0);
});
