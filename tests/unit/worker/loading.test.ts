import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import type { LoadData } from '../../../src/worker/dataCache';
import { fakeLoader, harness, mnistData, sleep, train, type Msg } from './harness';

// Loading a dataset while runs, galleries and tests wait for it.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = mnistData();
});

/** Runs `body`, collecting the promise rejections nobody handled (instead of Vitest failing the file). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const others = process.listeners('unhandledRejection');
  const collect = (reason: unknown) => void reasons.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', collect);
  try {
    await body();
    await sleep(50);
  } finally {
    process.off('unhandledRejection', collect);
    for (const l of others) process.on('unhandledRejection', l);
  }
  return reasons;
}

describe('loading a dataset', () => {
  test('a run stopped while its data loads ends as stopped with nothing trained; the download is kept', async () => {
    const loader = fakeLoader(data);
    const h = harness(loader.load);
    h.send(train(1));
    h.send({ type: 'stop', runId: 1 });
    const stopped = await h.waitFor('stopped', (m) => m.runId === 1);
    expect(stopped.outcome).toMatchObject({ status: 'stopped', epochs: [], testAcc: null });
    expect(h.run(1).map((m) => m.type)).not.toContain('started');
    expect(stopped.tensors.after).toBe(stopped.tensors.before);

    h.send(train(2));
    const done = await h.waitFor('done', (m) => m.runId === 2);
    expect(done.outcome.status).toBe('done');
    expect(loader.calls).toHaveLength(1);
  });

  test('each request hears the loading progress of its own dataset only', async () => {
    const totals = { mnist: 1000, fashion: 3000 };
    const load: LoadData = async (_baseUrl, dataset, onProgress) => {
      const total = totals[dataset];
      for (let i = 0; i <= 4; i++) {
        await sleep(30);
        onProgress({ loaded: (total * i) / 4, total, fromCache: false });
      }
      return data;
    };
    const h = harness(load);
    const pick = { split: 'test' as const, indices: [1] };
    h.send({ type: 'sample', requestId: 1, dataset: 'mnist', pick, baseUrl: '/' });
    h.send({ type: 'sample', requestId: 2, dataset: 'fashion', pick, baseUrl: '/' });
    await Promise.all([1, 2].map((id) => h.waitFor('sample', (m) => m.requestId === id)));
    const totalsHeard = (id: number) =>
      h.request(id).flatMap((m) => (m.type === 'sample-loading' ? [(m as Msg<'sample-loading'>).total] : []));
    // The Fashion-MNIST gallery must not show MNIST's download (nor call itself done when MNIST is).
    expect(totalsHeard(1)).toEqual(totalsHeard(1).map(() => 1000));
    expect(totalsHeard(2)).toEqual(totalsHeard(2).map(() => 3000));
    expect(totalsHeard(2).length).toBeGreaterThan(0);
  });

  test('a download that fails after its run was stopped is no unhandled rejection, and is tried again', async () => {
    const loader = fakeLoader(data, ['train-images.gz: HTTP 503']);
    const h = harness(loader.load);
    const unhandled = await unhandledDuring(async () => {
      h.send(train(1));
      h.send({ type: 'stop', runId: 1 });
      await h.waitFor('stopped', (m) => m.runId === 1);
      await sleep(50); // the download fails meanwhile, with nobody waiting for it
    });
    expect(unhandled.map(String)).toEqual([]);
    h.send({ type: 'sample', requestId: 1, dataset: 'mnist', pick: { split: 'test', indices: [0] }, baseUrl: '/' });
    await h.waitFor('sample', (m) => m.requestId === 1);
    expect(loader.calls).toHaveLength(2);
  });
});
