import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { fakeLoader, harness, type Msg } from './harness';
import { loadMnist } from '../helpers';

// The galleries' images: picked in the worker out of the dataset it loaded once.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 1000), test: loadMnist('t10k', 500) };
});

const image = (split: 'train' | 'test', i: number) => Array.from(data[split].images.subarray(i * 784, (i + 1) * 784));
const rows = (m: Msg<'sample'>) =>
  Array.from({ length: m.indices.length }, (_, r) => Array.from(m.images.subarray(r * 784, (r + 1) * 784)));

describe('sample requests', () => {
  test('test images come back by index with their bytes and labels; indices out of range are dropped', async () => {
    const loader = fakeLoader(data);
    const h = harness(loader.load);
    const pick = { split: 'test' as const, indices: [0, 7, 499, 500, -1, 2.5, 3, 10_000] };
    h.send({ type: 'sample', requestId: 1, dataset: 'mnist', pick, baseUrl: '/lab/' });
    const s = await h.waitFor('sample', (m) => m.requestId === 1);
    expect(s.indices).toEqual([0, 7, 499, 3]);
    expect(s.images).toHaveLength(4 * 784);
    expect(rows(s)).toEqual([image('test', 0), image('test', 7), image('test', 499), image('test', 3)]);
    expect(Array.from(s.labels)).toEqual([0, 7, 499, 3].map((i) => data.test.labels[i]));
    expect(loader.calls).toEqual([{ baseUrl: '/lab/', dataset: 'mnist' }]);

    // Its loading progress carries its requestId, and ends with the whole download.
    const loading = h.request(1).filter((m): m is Msg<'sample-loading'> => m.type === 'sample-loading');
    expect(loading.length).toBeGreaterThan(0);
    expect(loading.at(-1)).toMatchObject({ loaded: 1000, total: 1000 });
    expect(h.request(1).at(-1)).toBe(s);
  });

  test('training images picked with the same seed are the same, another seed picks others; the data loads once', async () => {
    const loader = fakeLoader(data);
    const h = harness(loader.load);
    const ask = (requestId: number, seed: number) =>
      h.send({ type: 'sample', requestId, dataset: 'mnist', pick: { split: 'train', count: 12, seed }, baseUrl: '/' });
    ask(1, 42);
    const a = await h.waitFor('sample', (m) => m.requestId === 1);
    ask(2, 42);
    ask(3, 43);
    const b = await h.waitFor('sample', (m) => m.requestId === 2);
    const c = await h.waitFor('sample', (m) => m.requestId === 3);

    expect(a.indices).toHaveLength(12);
    expect(new Set(a.indices).size).toBe(12);
    expect(a.indices.every((i) => Number.isInteger(i) && i >= 0 && i < 1000)).toBe(true);
    expect(rows(a)).toEqual(a.indices.map((i) => image('train', i)));
    expect(Array.from(a.labels)).toEqual(a.indices.map((i) => data.train.labels[i]));
    expect(b.indices).toEqual(a.indices);
    expect(Array.from(b.images)).toEqual(Array.from(a.images));
    expect(c.indices).not.toEqual(a.indices);
    // Loaded for the first request only; the others, from the kept dataset, hear no loading.
    expect(loader.calls).toHaveLength(1);
    expect(h.messages.filter((m) => m.type === 'sample-loading' && m.requestId !== 1)).toEqual([]);
  });

  test('two requests while the dataset loads share one download, and each hears its progress', async () => {
    const loader = fakeLoader(data);
    const h = harness(loader.load);
    const pick = { split: 'test' as const, indices: [1] };
    h.send({ type: 'sample', requestId: 1, dataset: 'mnist', pick, baseUrl: '/' });
    h.send({ type: 'sample', requestId: 2, dataset: 'mnist', pick, baseUrl: '/' });
    await Promise.all([1, 2].map((id) => h.waitFor('sample', (m) => m.requestId === id)));
    expect(loader.calls).toHaveLength(1);
    for (const id of [1, 2]) {
      const loading = h.request(id).filter((m) => m.type === 'sample-loading');
      expect(loading.at(-1)).toMatchObject({ loaded: 1000, total: 1000 });
    }
  });

  test("a dataset that fails to load answers 'sample-error' with why, and the next request loads it again", async () => {
    const loader = fakeLoader(data, ['t10k-images.gz: HTTP 404']);
    const h = harness(loader.load);
    const pick = { split: 'test' as const, indices: [2] };
    h.send({ type: 'sample', requestId: 1, dataset: 'mnist', pick, baseUrl: '/' });
    const error = await h.waitFor('sample-error', (m) => m.requestId === 1);
    expect(error.message).toBe('t10k-images.gz: HTTP 404');
    expect(h.request(1).map((m) => m.type)).not.toContain('sample');

    h.send({ type: 'sample', requestId: 2, dataset: 'mnist', pick, baseUrl: '/' });
    const s = await h.waitFor('sample', (m) => m.requestId === 2);
    expect(rows(s)).toEqual([image('test', 2)]);
    expect(loader.calls).toHaveLength(2);
    expect(h.messages.filter((m) => m.type === 'sample-error')).toEqual([error]);
  });
});
