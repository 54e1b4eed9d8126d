import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../../../src/core/experiments/experiments';
import { parseStoredQueue, QUEUE_STORAGE_KEY } from '../../../../src/store/slices/storedQueue';
import { createLabStore } from '../../../../src/store/store';
import { memoryRuns } from '../../../../src/store/runsDb';
import type { TrainingClient } from '../../../../src/worker/client';

const plan = experimentPlan(experimentById('depth'), { repeats: 1, quick: true, dataset: 'mnist' });

describe('parseStoredQueue', () => {
  test('a queue cut short while running comes back paused at the same run', () => {
    const q = parseStoredQueue(
      JSON.stringify({ experiment: 'depth', items: plan, index: 2, status: 'running', failed: 0 }),
    );
    expect(q?.status).toBe('paused');
    expect(q?.index).toBe(2);
    expect(q?.experiment).toBe('depth');
    expect(q?.items.map((i) => i.config.layers.length)).toEqual([1, 2, 3, 4]);
    expect(q?.items.every((i) => i.config.subset === 6000)).toBe(true);
  });

  test('finished and cancelled queues keep their status', () => {
    expect(parseStoredQueue(JSON.stringify({ items: plan, index: 4, status: 'done', failed: 1 }))?.status).toBe('done');
    expect(parseStoredQueue(JSON.stringify({ items: plan, index: 1, status: 'cancelled', failed: 0 }))?.status).toBe(
      'cancelled',
    );
  });

  test.each([
    ['nothing stored', null],
    ['not JSON', '{oops'],
    ['no items', JSON.stringify({ index: 0, status: 'running' })],
    ['an empty queue', JSON.stringify({ items: [], index: 0, status: 'running' })],
    ['an index past the end', JSON.stringify({ items: plan, index: 9, status: 'paused' })],
    [
      'a config beyond the limits',
      JSON.stringify({
        items: [{ ...plan[0], config: { ...plan[0]?.config, epochs: 1e9 } }],
        index: 0,
        status: 'paused',
      }),
    ],
    [
      'a tag of no experiment',
      JSON.stringify({
        items: [{ ...plan[0], tag: { experiment: 'x', key: 'a', repeat: 1, quick: false } }],
        index: 0,
        status: 'paused',
      }),
    ],
  ])('%s gives no queue', (_what, text) => {
    expect(parseStoredQueue(text)).toBeNull();
  });
});

test('the store writes its queue to storage and a new store (a reload) reads it back paused', () => {
  const saved = new Map<string, string>();
  const storage = {
    getItem: (k: string) => saved.get(k) ?? null,
    setItem: (k: string, v: string) => void saved.set(k, v),
  };
  let runId = 0;
  const client: TrainingClient = {
    train: () => ++runId,
    trainGroup: (configs) => configs.map(() => ++runId),
    stop: () => undefined,
    sample: () => Promise.reject(new Error('none')),
    predict: () => Promise.reject(new Error('none')),
    testModel: () => Promise.reject(new Error('none')),
    step: () => Promise.reject(new Error('none')),
    stepUnit: () => Promise.reject(new Error('none')),
    findRate: () => Promise.reject(new Error('none')),
    timeGroups: () => Promise.reject(new Error('none')),
    setProbe: () => undefined,
    loseWebGLContext: () => undefined,
    injectBackendTimes: () => undefined,
    dispose: () => undefined,
  };
  const first = createLabStore(
    '?experiment=depth',
    () => client,
    memoryRuns(),
    () => 1000,
    storage,
  );
  first.getState().setQuick(true);
  first.getState().runExperiment();
  expect(first.getState().experiments.queue.status).toBe('running');
  expect(JSON.parse(saved.get(QUEUE_STORAGE_KEY) ?? '{}')).toMatchObject({ status: 'running', index: 0 });

  const reloaded = createLabStore(
    '?experiment=depth',
    () => client,
    memoryRuns(),
    () => 2000,
    storage,
  );
  const q = reloaded.getState().experiments.queue;
  expect(q.status).toBe('paused');
  expect(q.items).toHaveLength(4);
  expect(q.index).toBe(0);
  // Resume starts the interrupted run again.
  const before = runId;
  reloaded.getState().resumeQueue();
  expect(runId).toBe(before + 1);
  expect(reloaded.getState().experiments.queue.status).toBe('running');
});
