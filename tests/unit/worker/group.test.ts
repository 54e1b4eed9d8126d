import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import type { MainToWorker } from '../../../src/worker/protocol';
import { fakeLoader, harness, mnistData, type Msg } from './harness';
import { useNodeWasmFiles } from '../helpers';
import { useOwnProducts } from '../../../src/ml/kernels/gemm/wasmGemm';

// A group of a queue's runs in the worker (the 'train-group' message, issue 23): each run is
// reported as a run of its own, a diverged one fails alone, and Stop stops them all.
useNodeWasmFiles(setWasmPaths);

let data: TrainData;
beforeAll(async () => {
  data = mnistData();
  // Started here with the package's files (the worker's startBackend would look for them under the page's origin).
  expect(await tf.setBackend('wasm')).toBe(true);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const config = (seed: number, learningRate = 0.1, epochs = 2): TrainConfig => ({
  ...DEFAULT_CONFIG,
  backend: 'wasm',
  preprocessing: 'scaled',
  layers: [{ units: 37, activation: 'sigmoid' }],
  seed,
  learningRate,
  epochs,
});

const group = (configs: readonly TrainConfig[], first = 1): MainToWorker => ({
  type: 'train-group',
  runs: configs.map((config, i) => ({ runId: first + i, config })),
  baseUrl: '/lab/',
  threads: 1,
});

describe('a group of runs in the worker', () => {
  test('on WASM: one step for all, each run its own messages, epochs, kept model and outcome; a diverged one fails alone; no leak', async () => {
    const h = harness(fakeLoader(data).load, 'wasm');
    h.send(group([config(1), config(2, Infinity), config(3)]));
    const ends = await Promise.all([1, 2, 3].map((id) => h.waitFor(['done', 'error'], (m) => m.runId === id)));
    for (const id of [1, 3]) {
      const run = h.run(id);
      expect(run.map((m) => m.type).join(' ')).toMatch(
        /^backend( loading)+ started( progress)+ epoch( progress)+ epoch done$/,
      );
      expect(run.find((m) => m.type === 'started')).toMatchObject({ trainCount: 900, valCount: 100, group: 3 });
      const done = run.at(-1) as Msg<'done'>;
      expect(done.outcome.epochs).toHaveLength(2);
      expect(done.outcome.testAcc).toBeGreaterThan(0.15); // chance is 0.1
      expect(done.outcome.kept?.model.kernels[0]).toHaveLength(784 * 37);
      expect(done.tensors.after).toBe(done.tensors.before);
    }
    // The two good runs are different networks (their own seeds), not one reported twice.
    expect((ends[0] as Msg<'done'>).outcome.testLoss).not.toBe((ends[2] as Msg<'done'>).outcome.testLoss);
    expect(ends[1]).toMatchObject({ type: 'error', diverged: true });
    expect((ends[1] as Msg<'error'>).message).toMatch(/diverged in epoch 1/);
  });

  test('stopping any of its runs stops them all, each reported stopped', async () => {
    const h = harness(fakeLoader(data).load, 'wasm');
    h.send(group([config(1, 0.1, 50), config(2, 0.1, 50)], 7));
    await h.waitFor('progress', (m) => m.runId === 8);
    h.send({ type: 'stop', runId: 8 });
    const ends = await Promise.all([7, 8].map((id) => h.waitFor(['done', 'stopped', 'error'], (m) => m.runId === id)));
    expect(ends.map((m) => m.type)).toEqual(['stopped', 'stopped']);
  });

  test('a failure of the group as a whole (its data did not load) ends each run once, with the reason', async () => {
    const h = harness(fakeLoader(data, ['the network is offline']).load, 'wasm');
    h.send(group([config(1), config(2)], 20));
    const ends = await Promise.all([20, 21].map((id) => h.waitFor('error', (m) => m.runId === id)));
    expect(ends.map((m) => m.message)).toEqual(['the network is offline', 'the network is offline']);
    expect(h.messages.filter((m) => m.type === 'done' || m.type === 'stopped' || m.type === 'error')).toHaveLength(2);
  });

  test('where the backend trains no groups (WASM without our products), the runs train one after another, each as alone', async () => {
    useOwnProducts(false);
    try {
      const h = harness(fakeLoader(data).load, 'wasm');
      h.send(group([config(1, 0.1, 1), config(2, 0.1, 1)]));
      const ends = await Promise.all([1, 2].map((id) => h.waitFor(['done', 'error'], (m) => m.runId === id)));
      expect(ends.map((m) => m.type)).toEqual(['done', 'done']);
      expect(h.run(1).find((m) => m.type === 'started')).not.toHaveProperty('group');
    } finally {
      useOwnProducts(true);
    }
  });

  test('on the CPU backend (a queue with backend=cpu) the runs train in one step too', async () => {
    const h = harness(fakeLoader(data).load, 'cpu');
    h.send(
      group([
        { ...config(1, 0.1, 1), backend: 'cpu' },
        { ...config(2, 0.1, 1), backend: 'cpu' },
      ]),
    );
    const ends = await Promise.all([1, 2].map((id) => h.waitFor(['done', 'error'], (m) => m.runId === id)));
    expect(ends.map((m) => m.type)).toEqual(['done', 'done']);
    expect(h.run(1).find((m) => m.type === 'started')).toMatchObject({ group: 2 });
    expect(h.run(1).find((m) => m.type === 'backend')).toMatchObject({ name: 'cpu' });
  });

  test('the group trial times a network alone and in groups, each a time per network, and leaves no tensor behind', async () => {
    const h = harness(fakeLoader(data).load, 'wasm');
    // Once to load the data and warm the backend up, then counted.
    // Batches of 16: the 1,000 images make enough batches to time.
    const small = { ...config(1), batchSize: 16 };
    h.send({ type: 'group-time', requestId: 1, config: small, sizes: [1, 2], baseUrl: '/lab/', threads: 1 });
    await h.waitFor(['group-time-result', 'step-error'], (m) => m.requestId === 1);
    const before = tf.memory().numTensors;
    h.send({ type: 'group-time', requestId: 2, config: small, sizes: [1, 2, 4], baseUrl: '/lab/', threads: 1 });
    const reply = await h.waitFor(['group-time-result', 'step-error'], (m) => m.requestId === 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(reply.type).toBe('group-time-result');
    const times = (reply as Msg<'group-time-result'>).times;
    expect(times.map((t) => t.size)).toEqual([1, 2, 4]);
    for (const t of times) expect(t.msPerRun).toBeGreaterThan(0);
    for (const t of times) expect(t.msPerRun).toBeLessThan(1000);
  });

  test('where the backend trains no groups (WASM without our products), the group trial has only the time alone', async () => {
    useOwnProducts(false);
    try {
      const h = harness(fakeLoader(data).load, 'wasm');
      const small = { ...config(1), batchSize: 16 };
      h.send({ type: 'group-time', requestId: 3, config: small, sizes: [1, 2, 4], baseUrl: '/lab/', threads: 1 });
      const reply = await h.waitFor(['group-time-result', 'step-error'], (m) => m.requestId === 3);
      expect((reply as Msg<'group-time-result'>).times.map((t) => t.size)).toEqual([1]);
    } finally {
      useOwnProducts(true);
    }
  });
});
