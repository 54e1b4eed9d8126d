import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import type { TrainedModel } from '../../../src/core/runs/model';
import {
  argMax,
  fakeLoader,
  forward,
  harness,
  memory,
  mnistData,
  scaledImage,
  sleep,
  train,
  type Msg,
} from './harness';

// The models the worker holds: the network a run just trained (predicted with, without its weights
// ever leaving the worker), one the page sends, and an imported one tested on the test set.
let data: TrainData;
let worker: ReturnType<typeof harness>;
let trained: Msg<'done'>;
let model: TrainedModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = mnistData();
  worker = harness(fakeLoader(data).load);
  worker.send(train(1));
  trained = await worker.waitFor('done');
  if (!trained.outcome.kept) throw new Error('the run kept no model');
  model = trained.outcome.kept.model;
});

/** 784 -> 2 relu -> 10: pixel 0 lit gives class 3, pixel 1 lit class 7 (unit 1 has bias -0.5). */
function handMade(): TrainedModel {
  const k1 = new Float32Array(784 * 2);
  k1[0 * 2 + 0] = 1;
  k1[1 * 2 + 1] = 1;
  const k2 = new Float32Array(2 * 10);
  k2[0 * 10 + 3] = 10;
  k2[1 * 10 + 7] = 10;
  return {
    layers: [{ units: 2, activation: 'relu' }],
    preprocessing: 'scaled',
    kernels: [k1, k2],
    biases: [new Float32Array([0, -0.5]), new Float32Array(10)],
  };
}

const pixel = (i: number) => {
  const x = new Float32Array(784);
  x[i] = 1;
  return x;
};

describe('predictions', () => {
  let requestId = 100;
  const predict = async (modelId: string, input: Float32Array) => {
    const id = ++requestId;
    worker.send({ type: 'predict', requestId: id, modelId, input });
    return worker.waitFor(['prediction', 'prediction-error'], (m) => m.requestId === id);
  };

  test("after a run, 'predict' with its modelId answers with the trained network's probabilities and activations", async () => {
    for (const i of [0, 1, 2]) {
      const input = scaledImage(data, i);
      const got = await predict('run-1', input);
      if (got.type !== 'prediction') throw new Error(`no prediction: ${JSON.stringify(got)}`);
      expect(got.probs).toHaveLength(10);
      expect(got.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(got.activations).toHaveLength(1);
      expect(got.activations[0]).toHaveLength(32);
      expect(got.tensors.after).toBe(got.tensors.before);
      // The same numbers as the weights the run reported, computed without TensorFlow.js.
      const want = forward(model, input);
      got.probs.forEach((p, c) => expect(Math.abs(p - (want.probs[c] as number))).toBeLessThan(1e-5));
      got.activations[0]?.forEach((a, u) => expect(Math.abs(a - (want.hidden[0]?.[u] as number))).toBeLessThan(1e-4));
      expect(argMax(got.probs)).toBe(trained.outcome.kept?.test.preds[i]);
    }
  });

  test("a prediction for a model the worker does not hold answers 'prediction-error' with unknownModel", async () => {
    const got = await predict('run-9', scaledImage(data, 0));
    expect(got).toMatchObject({ type: 'prediction-error', unknownModel: true });
    expect(got.type === 'prediction-error' && got.message).toMatch(/run-9/);
  });

  test("after 'load-model' the page's model answers for its id, and replaces the run's", async () => {
    worker.send({ type: 'load-model', modelId: 'imported', model: handMade() });
    const three = await predict('imported', pixel(0));
    const seven = await predict('imported', pixel(1));
    if (three.type !== 'prediction' || seven.type !== 'prediction') throw new Error('no prediction');
    const e = Math.exp(10);
    expect(argMax(three.probs)).toBe(3);
    expect(three.probs[3]).toBeCloseTo(e / (e + 9), 5);
    expect(Array.from(three.activations[0] ?? [])).toEqual([1, 0]);
    expect(argMax(seven.probs)).toBe(7);
    expect(seven.activations[0]?.[1]).toBeCloseTo(0.5, 6);
    expect(await predict('run-1', pixel(0))).toMatchObject({ type: 'prediction-error', unknownModel: true });
  });
});

/** Keras's evaluate of `m` on the test images, with each image's answer, in double precision. */
function reference(m: TrainedModel, d: TrainData) {
  const n = d.test.labels.length;
  const preds: number[] = [];
  const probs: number[] = [];
  let loss = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    const input = Array.from(d.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
    const p = forward(m, input).probs;
    const label = d.test.labels[i] as number;
    const pred = argMax(p);
    preds.push(pred);
    probs.push(p[pred] as number);
    loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[label] as number)));
    if (pred === label) right++;
  }
  return { preds, probs, loss: loss / n, acc: right / n };
}

describe("'test-model': an imported model tested on the test set", () => {
  test('answers with the accuracy and loss of an independent evaluation, each image, and progress on the way', async () => {
    const h = harness(fakeLoader(data).load);
    await sleep(0);
    const before = memory();
    h.send({ type: 'test-model', requestId: 5, model, baseUrl: '/' });
    const result = await h.waitFor('test-model-result', (m) => m.requestId === 5);
    await sleep(0);
    expect(memory()).toEqual(before);

    const want = reference(model, data);
    const n = data.test.labels.length;
    expect(Array.from(result.test.labels)).toEqual(Array.from(data.test.labels));
    expect(result.test.preds).toHaveLength(n);
    expect(result.test.probs).toHaveLength(n);
    const differ = want.preds.filter((p, i) => p !== result.test.preds[i]).length;
    expect(differ).toBeLessThanOrEqual(2); // float32 against float64 on a near tie, at most
    expect(Math.abs(result.acc - want.acc)).toBeLessThanOrEqual(2 / n);
    expect(result.loss).toBeCloseTo(want.loss, 4);
    want.probs.forEach((p, i) => expect(Math.abs((result.test.probs[i] as number) - p)).toBeLessThan(1e-4));
    // The run that trained it evaluated it on the same images.
    expect(result.acc).toBeCloseTo(trained.outcome.testAcc ?? NaN, 2);

    const messages = h.request(5);
    expect(messages.at(-1)).toBe(result);
    expect(messages.some((m) => m.type === 'test-model-loading')).toBe(true);
    const progress = messages.filter((m): m is Msg<'test-model-progress'> => m.type === 'test-model-progress');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.total).toBe(n);
      expect(p.tested).toBeGreaterThan(0);
      expect(p.tested).toBeLessThanOrEqual(p.total);
    }
  });

  test('a model for raw 0..255 inputs is fed raw images', async () => {
    const h = harness(fakeLoader(data).load);
    const [k0, ...rest] = model.kernels;
    const raw: TrainedModel = {
      ...model,
      preprocessing: 'raw',
      kernels: [Float32Array.from(k0 ?? [], (w) => w / 255), ...rest],
    };
    h.send({ type: 'test-model', requestId: 1, model: raw, baseUrl: '/' });
    const result = await h.waitFor('test-model-result', (m) => m.requestId === 1);
    const want = reference(model, data);
    expect(Math.abs(result.acc - want.acc)).toBeLessThanOrEqual(2 / data.test.labels.length);
    expect(result.loss).toBeCloseTo(want.loss, 3);
  });

  test("a model whose arrays do not fit its layers answers 'test-model-error', holding no tensor", async () => {
    const h = harness(fakeLoader(data).load);
    await sleep(0);
    const before = memory();
    const misfit: TrainedModel = { ...model, layers: [{ units: 31, activation: 'relu' }] };
    h.send({ type: 'test-model', requestId: 2, model: misfit, baseUrl: '/' });
    const error = await h.waitFor('test-model-error', (m) => m.requestId === 2);
    expect(error.message).toMatch(/kernel 1 has the wrong size/);
    expect(h.request(2).map((m) => m.type)).not.toContain('test-model-result');
    await sleep(0);
    expect(memory()).toEqual(before);
  });
});
