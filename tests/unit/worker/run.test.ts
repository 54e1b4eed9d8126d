import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { fakeLoader, harness, memory, mnistData, QUICK, scaledImage, sleep, train, type Msg } from './harness';

// A training run in the worker's service, from 'train' to its last message, on the CPU backend.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = mnistData();
});

/** Long enough to be stopped in the middle (it never gets near its end in these tests). */
const LONG = { ...QUICK, epochs: 30 };

describe('a training run in the worker', () => {
  test('posts backend, loading, started, progress, epoch and done in order, learns, and leaks no tensor', async () => {
    const loader = fakeLoader(data);
    const h = harness(loader.load);
    h.send(train(1));
    const done = await h.waitFor('done');

    // Every message so far is about run 1, in the order the page's run slice expects.
    const run = h.run(1);
    expect(run).toHaveLength(h.messages.length);
    expect(run.map((m) => m.type).join(' ')).toMatch(/^backend( loading)+ started( progress)+ epoch done$/);
    expect(h.backendRequests).toEqual(['cpu']);
    expect(run[0]).toMatchObject({ type: 'backend', name: 'cpu' });
    const loading = run.filter((m): m is Msg<'loading'> => m.type === 'loading');
    expect(loading.at(-1)).toMatchObject({ loaded: 1000, total: 1000 });
    expect(loader.calls).toEqual([{ baseUrl: '/lab/', dataset: 'mnist' }]);

    // 1,000 images, 10% held out for validation, batches of 16.
    const started = run.find((m): m is Msg<'started'> => m.type === 'started');
    expect(started).toMatchObject({ trainCount: 900, valCount: 100, batches: 57 });
    const progress = run.filter((m): m is Msg<'progress'> => m.type === 'progress');
    const batches = progress.map((m) => m.progress.batch);
    expect(batches).toEqual([...batches].sort((a, b) => a - b));
    expect(progress.at(-1)?.progress).toMatchObject({ epoch: 1, batch: 57, batches: 57 });
    const samples = progress.flatMap((m) => m.samples);
    expect(samples.length).toBeGreaterThanOrEqual(6); // a read-back every 10 batches and at the end
    expect(samples.every((s) => Number.isFinite(s.loss) && s.acc >= 0 && s.acc <= 1)).toBe(true);
    const epoch = run.find((m): m is Msg<'epoch'> => m.type === 'epoch');
    expect(epoch?.log.epoch).toBe(1);

    const { outcome, tensors } = done;
    expect(outcome).toMatchObject({ status: 'done', trainCount: 900, valCount: 100, params: 784 * 32 + 32 + 330 });
    expect(outcome.epochs).toEqual([epoch?.log]);
    expect(outcome.testAcc).toBeGreaterThan(0.5); // chance is 0.1
    expect(Number.isFinite(outcome.testLoss)).toBe(true);
    expect(outcome.kept?.model.layers).toEqual(QUICK.layers);
    expect(tensors.after).toBe(tensors.before);
    expect(tensors.bytesAfter).toBe(tensors.bytesBefore);
    expect(tensors.device.uploads).toBeGreaterThan(0);

    // A second run with the same seed: the data is not loaded again, the result is the same, and
    // TensorFlow.js holds exactly what it held after the first (its model replaced by the new one).
    await sleep(0);
    const held = memory();
    h.send(train(2));
    const again = await h.waitFor('done', (m) => m.runId === 2);
    await sleep(0);
    expect(h.run(2).map((m) => m.type)).not.toContain('loading');
    expect(loader.calls).toHaveLength(1);
    expect(again.outcome.testAcc).toBe(outcome.testAcc);
    expect(again.tensors.after).toBe(again.tensors.before);
    expect(memory()).toEqual(held);
  });

  test('stop ends the run as stopped with the epochs it finished; a stop for another run is ignored', async () => {
    const h = harness(fakeLoader(data).load);
    h.send(train(1, LONG));
    await h.waitFor('epoch', (m) => m.runId === 1);
    h.send({ type: 'stop', runId: 7 });
    await h.waitFor('epoch', (m) => m.runId === 1 && m.log.epoch === 2);
    h.send({ type: 'stop', runId: 1 });
    const stopped = await h.waitFor('stopped', (m) => m.runId === 1);
    await sleep(50);

    const run = h.run(1);
    expect(run.at(-1)).toBe(stopped); // nothing after it
    expect(run.map((m) => m.type)).not.toContain('done');
    const logs = run.filter((m): m is Msg<'epoch'> => m.type === 'epoch').map((m) => m.log);
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.length).toBeLessThan(LONG.epochs);
    expect(stopped.outcome).toMatchObject({ status: 'stopped', testAcc: null, testLoss: null, trainCount: 900 });
    expect(stopped.outcome.epochs).toEqual(logs);
    expect(stopped.tensors.after).toBe(stopped.tensors.before);
    expect(stopped.tensors.bytesAfter).toBe(stopped.tensors.bytesBefore);
  });

  test('a second train while one runs stops the first, then runs to done', async () => {
    const h = harness(fakeLoader(data).load);
    h.send(train(1, LONG));
    await h.waitFor('progress', (m) => m.runId === 1);
    h.send(train(2));
    const done = await h.waitFor('done', (m) => m.runId === 2);

    const first = h.run(1);
    const stopped = first.at(-1);
    expect(stopped?.type).toBe('stopped');
    expect(first.map((m) => m.type)).not.toContain('done');
    if (stopped?.type !== 'stopped') throw new Error('unreachable');
    expect(stopped.outcome.epochs.length).toBeLessThan(LONG.epochs);
    expect(stopped.tensors.after).toBe(stopped.tensors.before);
    // The second run starts only once the first has ended (one run at a time).
    const second = h.run(2);
    expect(h.messages.indexOf(stopped)).toBeLessThan(h.messages.indexOf(second[0] as Msg<'backend'>));
    expect(second.map((m) => m.type).join(' ')).toMatch(/^backend started( progress)+ epoch done$/);
    expect(done.outcome.testAcc).toBeGreaterThan(0.5);
    expect(done.tensors.after).toBe(done.tensors.before);
  });

  test('a dataset that fails to load ends the run with its error; the next run loads it again', async () => {
    const loader = fakeLoader(data, ['mnist-train.gz: HTTP 503']);
    const h = harness(loader.load);
    h.send(train(1));
    const error = await h.waitFor('error', (m) => m.runId === 1);
    expect(error.message).toBe('mnist-train.gz: HTTP 503');
    expect(error.restart).toBeUndefined();
    expect(h.run(1).at(-1)).toBe(error);
    h.send(train(2));
    const done = await h.waitFor('done', (m) => m.runId === 2);
    expect(done.outcome.status).toBe('done');
    expect(loader.calls).toHaveLength(2);
  });

  test('a probe sent while the run trains comes back in later progress messages with its probeId', async () => {
    const h = harness(fakeLoader(data).load);
    const config = { ...QUICK, epochs: 3 };
    h.send(train(1, config));
    await h.waitFor('epoch', (m) => m.log.epoch === 1);
    const at7 = h.messages.length;
    h.send({ type: 'probe', probeId: 7, input: scaledImage(data, 0) });
    await h.waitFor('epoch', (m) => m.log.epoch === 2);
    const at8 = h.messages.length;
    const input8 = scaledImage(data, 1);
    h.send({ type: 'probe', probeId: 8, input: input8 });
    await h.waitFor('done');

    const progress = (from: number, to: number) =>
      h.messages.slice(from, to).filter((m): m is Msg<'progress'> => m.type === 'progress');
    const probeIds = (from: number, to: number) => progress(from, to).map((m) => m.probe?.probeId ?? null);
    expect(probeIds(0, at7).every((id) => id === null)).toBe(true);
    const during7 = probeIds(at7, at8);
    expect(during7).toContain(7);
    expect(during7.every((id) => id === 7 || id === null)).toBe(true);
    const during8 = probeIds(at8, h.messages.length);
    expect(during8).toContain(8);
    expect(during8.every((id) => id === 8 || id === null)).toBe(true);

    for (const m of progress(at7, h.messages.length)) {
      if (!m.probe) continue;
      expect(m.probe.probs).toHaveLength(10);
      expect(m.probe.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(m.probe.x).toBeGreaterThan(1); // read in epoch 2 or 3
    }
    // The run's last read-back classifies the probe with the final weights: what the model says.
    const last = progress(at8, h.messages.length).at(-1);
    expect(last?.probe?.probeId).toBe(8);
    h.send({ type: 'predict', requestId: 1, modelId: 'run-1', input: input8 });
    const prediction = await h.waitFor('prediction', (m) => m.requestId === 1);
    prediction.probs.forEach((p, i) => expect(Math.abs(p - (last?.probe?.probs[i] ?? NaN))).toBeLessThan(1e-5));
  });
});

describe('a queue’s runs in the worker (issue 23)', () => {
  test('a quiet run posts no layer health, tiles or probe, and learns what the same run learns measured', async () => {
    const h = harness(fakeLoader(data).load);
    h.send(train(1));
    const measured = await h.waitFor('done');
    h.send({ ...train(2), quiet: true, threads: 1 } as Parameters<typeof h.send>[0]);
    const quiet = await h.waitFor('done', (m) => m.runId === 2);
    const progress = (runId: number) => h.run(runId).filter((m): m is Msg<'progress'> => m.type === 'progress');
    expect(progress(1).some((m) => m.health.length > 0)).toBe(true);
    expect(progress(2).length).toBeGreaterThan(0);
    expect(progress(2).every((m) => m.health.length === 0 && !m.tiles && !m.probe)).toBe(true);
    expect(quiet.outcome.epochs.map(({ seconds: _s, ...e }) => e)).toEqual(
      measured.outcome.epochs.map(({ seconds: _s, ...e }) => e),
    );
  });

  test('a run whose loss becomes NaN ends in an error that says it diverged; another failure does not', async () => {
    const h = harness(fakeLoader(data, ['offline']).load);
    h.send(train(1));
    const failed = await h.waitFor('error', (m) => m.runId === 1);
    expect(failed.diverged).toBeUndefined();
    // Keras's clipped cross-entropy holds a merely high rate near loss 14.5; an infinite one overflows.
    h.send(train(2, { ...QUICK, learningRate: Infinity, optimizer: 'sgd' }));
    const diverged = await h.waitFor('error', (m) => m.runId === 2);
    expect(diverged.message).toMatch(/diverged/);
    expect(diverged.diverged).toBe(true);
  });
});
