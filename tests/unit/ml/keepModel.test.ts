import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { argMax, confusionMatrix } from '../../../src/core/runs/metrics';
import { checkModel, type KeptModel } from '../../../src/core/runs/model';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { createPredictor } from '../../../src/ml/predictor';
import { trainRun, type RunOutcome } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// A short run on the CPU backend that keeps its model: 2,000 real training images, one epoch,
// one hidden layer of 16, evaluated on the whole 10,000-image test set.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 10000) };
});

const quick: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 16, activation: 'sigmoid' }],
  subset: 2000,
  epochs: 1,
  seed: 5,
};
const never = new AbortController().signal;

/** Runs with keepModel and checks that no tensor is left behind. */
async function keptRun(config: TrainConfig): Promise<{ outcome: RunOutcome; kept: KeptModel }> {
  const before = tf.memory().numTensors;
  const outcome = await trainRun(data, config, {}, never, { keepModel: true });
  expect(tf.memory().numTensors).toBe(before);
  expect(outcome.status).toBe('done');
  if (!outcome.kept) throw new Error('no kept model');
  return { outcome, kept: outcome.kept };
}

/** Test image `i` as the model's input: raw bytes as floats, or divided by 255. */
function testInput(i: number, scaled: boolean): Float32Array {
  const bytes = data.test.images.subarray(i * 784, (i + 1) * 784);
  return Float32Array.from(bytes, (b) => (scaled ? b / 255 : b));
}

describe('keeping the trained model and the test predictions', () => {
  for (const preprocessing of ['raw', 'scaled'] as const) {
    test(`${preprocessing} inputs: the weights, per-image predictions and accuracy agree`, async () => {
      const config: TrainConfig = { ...quick, preprocessing, learningRate: preprocessing === 'scaled' ? 0.5 : 0.01 };
      const before = tf.memory().numTensors;
      const { outcome, kept } = await keptRun(config);

      // The model: 784 -> 16 -> 10, without the training's padding rows, trained (biases start at 0).
      const { model, test } = kept;
      expect(model.layers).toEqual(config.layers);
      expect(model.preprocessing).toBe(preprocessing);
      expect(model.kernels.map((k) => k.length)).toEqual([784 * 16, 16 * 10]);
      expect(model.biases.map((b) => b.length)).toEqual([16, 10]);
      expect(() => checkModel(model)).not.toThrow();
      expect(model.biases.every((b) => b.some((v) => v !== 0))).toBe(true);
      expect(model.kernels.every((k) => k.every(Number.isFinite))).toBe(true);

      // The test predictions: one per test image.
      expect(Array.from(test.labels)).toEqual(Array.from(data.test.labels));
      expect(test.labels).not.toBe(data.test.labels);
      expect(test.preds).toHaveLength(10000);
      expect(test.probs).toHaveLength(10000);
      expect(test.preds.every((p) => Number.isInteger(p) && p >= 0 && p <= 9)).toBe(true);
      // The probability of the most likely of ten classes is in [0.1, 1].
      expect(test.probs.every((p) => p >= 0.1 - 1e-6 && p <= 1)).toBe(true);
      expect(new Set(test.preds).size).toBeGreaterThan(5); // not one class for everything

      // The accuracy is the fraction of predictions equal to the labels, and the confusion
      // matrix's diagonal.
      const correct = test.preds.filter((p, i) => p === test.labels[i]).length;
      expect(outcome.testAcc).not.toBeNull();
      expect(Math.abs(correct / 10000 - (outcome.testAcc as number))).toBeLessThan(1e-6);
      // One epoch of 16 sigmoids on raw 0..255 inputs mostly saturates; scaled inputs learn.
      if (preprocessing === 'scaled') expect(outcome.testAcc).toBeGreaterThan(0.25); // chance is 0.1
      const m = confusionMatrix(test.labels, test.preds);
      expect(m.reduce((a, row, i) => a + (row[i] as number), 0)).toBe(correct);

      // The kept model, run by the predictor, makes the same predictions on test images.
      const p = createPredictor(model);
      try {
        for (let i = 0; i < 25; i++) {
          const { probs } = await p.predict(testInput(i, preprocessing === 'scaled'));
          expect(argMax(probs)).toBe(test.preds[i]);
          expect(Math.max(...probs)).toBeCloseTo(test.probs[i] as number, 4);
        }
      } finally {
        p.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  test('without keepModel nothing is kept, and the run is otherwise the same', async () => {
    const before = tf.memory().numTensors;
    const plain = await trainRun(data, quick, {}, never);
    const explicit = await trainRun(data, quick, {}, never, { keepModel: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(plain.status).toBe('done');
    expect(plain.kept).toBeUndefined();
    expect('kept' in plain).toBe(false);
    expect(explicit.kept).toBeUndefined();
    const { outcome } = await keptRun(quick);
    expect(plain.testAcc).toBe(outcome.testAcc);
    expect(plain.testLoss).toBe(outcome.testLoss);
  });

  test('with batch normalization the kept model holds γ and the moving statistics, and predicts as the run tested', async () => {
    const config: TrainConfig = {
      ...quick,
      layers: [
        { units: 16, activation: 'relu', batchNorm: true },
        { units: 9, activation: 'sigmoid' },
      ],
      preprocessing: 'scaled',
      learningRate: 0.1,
    };
    const before = tf.memory().numTensors;
    const { outcome, kept } = await keptRun(config);
    const { model, test } = kept;
    expect(() => checkModel(model)).not.toThrow();
    const norm = model.norms?.[0];
    if (!norm) throw new Error('no batch normalization kept');
    expect(model.norms?.[1]).toBeNull();
    // Trained: γ moved from 1, the moving mean from 0 and the moving variance from 1.
    expect(norm.gamma.some((g) => Math.abs(g - 1) > 1e-3)).toBe(true);
    expect(norm.movingMean.some((m) => Math.abs(m) > 1e-3)).toBe(true);
    expect(norm.movingVariance.some((v) => Math.abs(v - 1) > 1e-3)).toBe(true);
    // The predictor folds the normalization into the layer on the CPU; the run's test used the device.
    const p = createPredictor(model);
    try {
      for (let i = 0; i < 25; i++) {
        const { probs } = await p.predict(testInput(i, true));
        expect(argMax(probs)).toBe(test.preds[i]);
        expect(Math.max(...probs)).toBeCloseTo(test.probs[i] as number, 4);
      }
      const tested = await p.test(data.test.images, data.test.labels, 1 / 255);
      expect(tested.acc).toBeCloseTo(outcome.testAcc as number, 4);
      expect(tested.loss).toBeCloseTo(outcome.testLoss as number, 4);
    } finally {
      p.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a stopped run keeps nothing', async () => {
    const controller = new AbortController();
    const out = await trainRun(data, quick, { onProgress: () => controller.abort() }, controller.signal, {
      keepModel: true,
      readEvery: 1,
    });
    expect(out.status).toBe('stopped');
    expect(out.kept).toBeUndefined();
  });
});
