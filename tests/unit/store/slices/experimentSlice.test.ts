// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite, not by the
// node types tsconfig.node.json gives the tests).
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { experimentById, experimentRunConfig, QUICK_SUBSET } from '../../../../src/core/experiments/experiments';
import type { EpochLog, RunRecord } from '../../../../src/core/runs/runs';
import type { TrainConfig } from '../../../../src/core/network/spec';
import { memoryRuns } from '../../../../src/store/runsDb';
import { createLabStore } from '../../../../src/store/store';
import { fakeWorker, tensorCheck } from '../fakeWorker';

/** Lets the repository's promises settle. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const clock = (start = 1_700_000_000_000) => {
  let t = start;
  return () => (t += 1000);
};

const log = (epoch: number): EpochLog => ({
  epoch,
  loss: 1 / epoch,
  acc: 0.8 + epoch / 100,
  valLoss: 0.7,
  valAcc: 0.8,
  seconds: 2,
});

/** A store opened on `search`, with a fake worker and an in-memory repository, its stored runs read. */
async function setup(search = '?experiment=depth') {
  const worker = fakeWorker();
  const repo = memoryRuns([], true);
  const store = createLabStore(search, (cb) => worker.makeClient(cb), repo, clock());
  await tick();
  const queue = () => store.getState().experiments.queue;
  const runId = () => store.getState().run.runId;
  const record = (id: string | null): RunRecord | undefined => store.getState().runs.list.find((r) => r.id === id);
  const started = () =>
    worker.send({ type: 'started', runId: runId(), trainCount: 54000, valCount: 6000, batches: 422 });
  /** The worker finishes the current run with test accuracy `testAcc`. */
  const finish = (testAcc = 0.9) => {
    const id = runId();
    started();
    worker.send({ type: 'epoch', runId: id, log: log(1) });
    worker.send({
      type: 'done',
      runId: id,
      outcome: {
        status: 'done',
        epochs: [log(1)],
        testLoss: 0.3,
        testAcc,
        params: 25450,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(0, 0),
    });
  };
  /** The worker reports the current run stopped (as it does after client.stop). */
  const stoppedMsg = () => {
    worker.send({
      type: 'stopped',
      runId: runId(),
      outcome: {
        status: 'stopped',
        epochs: [],
        testLoss: null,
        testAcc: null,
        params: 25450,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(0, 0),
    });
  };
  const fail = (message = 'The loss became NaN') =>
    worker.send({ type: 'error', runId: runId(), message, tensors: null });
  return { store, worker, repo, queue, runId, record, started, finish, stoppedMsg, fail };
}

const shape = (c: TrainConfig | undefined) => (c ? { widths: c.layers.map((l) => l.units), seed: c.seed } : undefined);

describe('the experiment in the URL', () => {
  test('?experiment=depth selects depth; no parameter selects none', async () => {
    expect((await setup('?experiment=depth')).store.getState().experiments.selected).toBe('depth');
    expect((await setup('?experiment=grid')).store.getState().experiments.selected).toBe('grid');
    expect((await setup('')).store.getState().experiments.selected).toBeNull();
  });

  test('the panel starts with 1 repeat, full mode and an idle queue', async () => {
    const { store } = await setup();
    const e = store.getState().experiments;
    expect(e.repeats).toBe(1);
    expect(e.quick).toBe(false);
    expect(e.queue).toMatchObject({ status: 'idle', items: [], index: 0, liveRecordId: null, failed: 0 });
  });
});

describe('runExperiment: the queue runs the experiment config by config', () => {
  test('queues the 4 depth runs and starts the first: 1 layer of 32, seed 1', async () => {
    const { store, worker, queue, record } = await setup();
    store.getState().runExperiment();
    const q = queue();
    expect(q.experiment).toBe('depth');
    expect(q.items).toHaveLength(4);
    expect(q.status).toBe('running');
    expect(q.index).toBe(0);
    expect(q.failed).toBe(0);
    expect(q.startedAt).not.toBeNull();
    expect(worker.trained).toHaveLength(1);
    const depth = experimentById('depth');
    expect(worker.trained[0]).toEqual(
      experimentRunConfig(depth.configs[0] as (typeof depth.configs)[number], 1, { quick: false, dataset: 'mnist' }),
    );
    expect(shape(worker.trained[0])).toEqual({ widths: [32], seed: 1 });
    expect(store.getState().run.status).toBe('loading');
    expect(q.liveRecordId).toBe(store.getState().runs.liveId);
    expect(record(q.liveRecordId)?.tag).toEqual({ experiment: 'depth', key: 'w32d1', repeat: 1, quick: false });
  });

  test('each done run starts the next; the records carry their tags; after the 4th the queue is done', async () => {
    const { store, worker, repo, queue, record, finish } = await setup();
    store.getState().runExperiment();
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      expect(queue().index).toBe(k);
      expect(queue().status).toBe('running');
      expect(worker.trained).toHaveLength(k + 1);
      expect(shape(worker.trained[k])).toEqual({ widths: Array.from({ length: k + 1 }, () => 32), seed: 1 });
      ids.push(queue().liveRecordId as string);
      finish(0.9 - k / 10);
    }
    expect(queue().status).toBe('done');
    expect(queue().index).toBe(4);
    expect(queue().liveRecordId).toBeNull();
    expect(worker.trained).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    ids.forEach((id, k) => {
      expect(record(id)).toMatchObject({
        status: 'done',
        tag: { experiment: 'depth', key: `w32d${k + 1}`, repeat: 1, quick: false },
      });
      expect(record(id)?.testAcc).toBeCloseTo(0.9 - k / 10, 12);
    });
    await tick();
    const kept = (await repo.list()).runs;
    expect(kept).toHaveLength(4);
    expect(kept.map((r) => r.tag?.key).sort()).toEqual(['w32d1', 'w32d2', 'w32d3', 'w32d4']);
    expect(kept.every((r) => r.status === 'done')).toBe(true);
  });

  test('epoch messages do not advance the queue; only the end of the run does', async () => {
    const { store, worker, queue, started, runId } = await setup();
    store.getState().runExperiment();
    started();
    worker.send({ type: 'epoch', runId: runId(), log: log(1) });
    worker.send({ type: 'epoch', runId: runId(), log: log(2) });
    expect(queue().index).toBe(0);
    expect(worker.trained).toHaveLength(1);
  });

  test('repeats 2: 8 runs, seeds 1 and 2 for each config in turn', async () => {
    const { store, worker, queue, record, finish } = await setup();
    store.getState().setRepeats(2);
    store.getState().runExperiment();
    expect(queue().items).toHaveLength(8);
    const tags = [];
    for (let k = 0; k < 8; k++) {
      tags.push(record(queue().liveRecordId)?.tag);
      finish();
    }
    expect(queue().status).toBe('done');
    expect(worker.trained.map(shape)).toEqual(
      [1, 2, 3, 4].flatMap((d) => [1, 2].map((seed) => ({ widths: Array.from({ length: d }, () => 32), seed }))),
    );
    expect(tags.map((t) => [t?.key, t?.repeat])).toEqual(
      [1, 2, 3, 4].flatMap((d) => [1, 2].map((r) => [`w32d${d}`, r])),
    );
  });

  test('quick mode trains every config on QUICK_SUBSET (6000) images and tags the runs quick', async () => {
    const { store, worker, queue, record, finish } = await setup();
    store.getState().setQuick(true);
    expect(store.getState().experiments.quick).toBe(true);
    store.getState().runExperiment();
    const tags = [];
    for (let k = 0; k < 4; k++) {
      tags.push(record(queue().liveRecordId)?.tag);
      finish();
    }
    expect(worker.trained.map((c) => c.subset)).toEqual([QUICK_SUBSET, QUICK_SUBSET, QUICK_SUBSET, QUICK_SUBSET]);
    expect(QUICK_SUBSET).toBe(6000);
    expect(tags.every((t) => t?.quick === true)).toBe(true);
  });

  test('full mode trains on all images', async () => {
    const { store, worker } = await setup();
    store.getState().runExperiment();
    expect(worker.trained[0]?.subset).toBeNull();
  });

  test('the dataset comes from the controls (data=fashion in the URL)', async () => {
    const { store, worker } = await setup('?experiment=width&data=fashion');
    store.getState().runExperiment();
    expect(store.getState().experiments.queue.items).toHaveLength(6);
    expect(worker.trained[0]?.dataset).toBe('fashion');
    expect(worker.trained[0]?.layers).toEqual([{ units: 32, activation: 'sigmoid' }]);
  });

  test('runExperiment does nothing while a manual run is busy', async () => {
    const { store, worker, queue } = await setup();
    store.getState().train();
    expect(store.getState().run.status).toBe('loading');
    store.getState().runExperiment();
    expect(queue().status).toBe('idle');
    expect(queue().items).toEqual([]);
    expect(worker.trained).toHaveLength(1);
  });

  test('runExperiment does nothing when no experiment is selected', async () => {
    const { store, worker, queue } = await setup('');
    store.getState().runExperiment();
    expect(queue().status).toBe('idle');
    expect(worker.trained).toEqual([]);

    const other = await setup('?experiment=depth');
    other.store.getState().selectExperiment(null);
    expect(other.store.getState().experiments.selected).toBeNull();
    other.store.getState().runExperiment();
    expect(other.queue().status).toBe('idle');
    expect(other.worker.trained).toEqual([]);
  });

  test('selectExperiment picks what runExperiment queues', async () => {
    const { store, worker, queue } = await setup('');
    store.getState().selectExperiment('batch16');
    store.getState().runExperiment();
    expect(queue().experiment).toBe('batch16');
    expect(queue().items).toHaveLength(1);
    expect(worker.trained[0]).toMatchObject({ batchSize: 16, epochs: 50 });
    expect(worker.trained[0]?.layers).toHaveLength(5);
  });

  test('a manual run finishing while the queue is paused does not move the queue', async () => {
    const { store, worker, queue, stoppedMsg, finish } = await setup();
    store.getState().runExperiment();
    store.getState().pauseQueue();
    stoppedMsg();
    store.getState().train();
    expect(worker.trained).toHaveLength(2);
    finish();
    expect(queue()).toMatchObject({ status: 'paused', index: 0 });
    expect(worker.trained).toHaveLength(2);
  });
});

describe('setRepeats', () => {
  test.each([
    [2, 2],
    [10, 10],
    [0, 1],
    [-3, 1],
    [11, 10],
    [99, 10],
    [2.6, 3],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
  ])('setRepeats(%s) keeps %s', async (n, kept) => {
    const { store } = await setup();
    store.getState().setRepeats(n);
    expect(store.getState().experiments.repeats).toBe(kept);
  });
});

describe('pause, resume, cancel, restart', () => {
  test('pauseQueue stops the current run; after the stopped message the queue stays paused at that item', async () => {
    const { store, worker, queue, runId, record, finish, started, stoppedMsg } = await setup();
    store.getState().runExperiment();
    finish();
    started();
    const current = runId();
    const liveId = queue().liveRecordId;
    store.getState().pauseQueue();
    expect(worker.stopped).toEqual([current]);
    expect(queue().status).toBe('paused');
    stoppedMsg();
    expect(queue()).toMatchObject({ status: 'paused', index: 1 });
    expect(worker.trained).toHaveLength(2);
    expect(record(liveId)?.status).toBe('stopped');
  });

  test('a run that finishes just as the queue is paused is counted, not run again on resume', async () => {
    const { store, worker, queue, runId, finish, record } = await setup('?experiment=first');
    store.getState().runExperiment();
    const id = runId();
    const liveId = queue().liveRecordId;
    store.getState().pauseQueue();
    expect(worker.stopped).toEqual([id]);
    // The worker had already finished: its 'done' arrives instead of 'stopped'.
    finish(0.88);
    expect(record(liveId)?.status).toBe('done');
    expect(queue()).toMatchObject({ status: 'paused', index: 1 });
    store.getState().resumeQueue();
    expect(worker.trained).toHaveLength(1);
    expect(queue().status).toBe('done');
  });

  test('pauseQueue does nothing unless the queue is running', async () => {
    const { store, worker, queue } = await setup();
    store.getState().pauseQueue();
    expect(queue().status).toBe('idle');
    expect(worker.stopped).toEqual([]);
  });

  test('resumeQueue runs the same item again: a new run with the same config', async () => {
    const { store, worker, queue, finish, stoppedMsg } = await setup();
    store.getState().runExperiment();
    finish();
    const firstLiveId = queue().liveRecordId;
    store.getState().pauseQueue();
    stoppedMsg();
    store.getState().resumeQueue();
    expect(queue()).toMatchObject({ status: 'running', index: 1 });
    expect(worker.trained).toHaveLength(3);
    expect(worker.trained[2]).toEqual(worker.trained[1]);
    expect(shape(worker.trained[2])).toEqual({ widths: [32, 32], seed: 1 });
    expect(queue().liveRecordId).not.toBe(firstLiveId);
    // and it goes on from there
    finish();
    expect(queue().index).toBe(2);
    expect(shape(worker.trained[3])).toEqual({ widths: [32, 32, 32], seed: 1 });
  });

  test('resumeQueue waits until the stopped run has ended', async () => {
    const { store, worker, queue, stoppedMsg } = await setup();
    store.getState().runExperiment();
    store.getState().pauseQueue();
    store.getState().resumeQueue();
    expect(queue().status).toBe('paused');
    expect(worker.trained).toHaveLength(1);
    stoppedMsg();
    store.getState().resumeQueue();
    expect(queue().status).toBe('running');
    expect(worker.trained).toHaveLength(2);
  });

  test('cancelQueue stops the current run and the queue is cancelled; nothing new starts', async () => {
    const { store, worker, queue, runId, finish, stoppedMsg } = await setup();
    store.getState().runExperiment();
    finish();
    const current = runId();
    store.getState().cancelQueue();
    expect(worker.stopped).toEqual([current]);
    expect(queue().status).toBe('cancelled');
    stoppedMsg();
    expect(queue()).toMatchObject({ status: 'cancelled', index: 1 });
    expect(worker.trained).toHaveLength(2);
  });

  test('resumeQueue of a cancelled queue runs the cancelled item again', async () => {
    const { store, worker, queue, finish, stoppedMsg } = await setup();
    store.getState().runExperiment();
    finish();
    store.getState().cancelQueue();
    stoppedMsg();
    store.getState().resumeQueue();
    expect(queue()).toMatchObject({ status: 'running', index: 1 });
    expect(worker.trained).toHaveLength(3);
    expect(worker.trained[2]).toEqual(worker.trained[1]);
  });

  test('resumeQueue does nothing to an idle, running or finished queue', async () => {
    const { store, worker, queue, finish } = await setup('?experiment=first');
    store.getState().resumeQueue();
    expect(queue().status).toBe('idle');
    expect(worker.trained).toEqual([]);
    store.getState().runExperiment();
    store.getState().resumeQueue();
    expect(worker.trained).toHaveLength(1);
    finish();
    expect(queue().status).toBe('done');
    store.getState().resumeQueue();
    expect(queue().status).toBe('done');
    expect(worker.trained).toHaveLength(1);
  });

  test('cancelQueue of a paused queue cancels it without another stop', async () => {
    const { store, worker, queue, stoppedMsg } = await setup();
    store.getState().runExperiment();
    store.getState().pauseQueue();
    stoppedMsg();
    store.getState().cancelQueue();
    expect(queue().status).toBe('cancelled');
    expect(worker.stopped).toHaveLength(1);
  });

  test('cancelQueue does nothing to an idle or finished queue', async () => {
    const { store, worker, queue, finish } = await setup('?experiment=first');
    store.getState().cancelQueue();
    expect(queue().status).toBe('idle');
    store.getState().runExperiment();
    finish();
    expect(queue().status).toBe('done');
    store.getState().cancelQueue();
    expect(queue().status).toBe('done');
    expect(worker.stopped).toEqual([]);
  });

  test('restartQueue starts again from the first item, with no failures counted, and leaves out what finished meanwhile (issue 21)', async () => {
    const { store, worker, queue, finish, fail, stoppedMsg } = await setup();
    store.getState().runExperiment();
    fail();
    store.getState().resumeQueue();
    finish();
    expect(queue()).toMatchObject({ index: 1, failed: 1 });
    store.getState().cancelQueue();
    stoppedMsg();
    store.getState().restartQueue();
    // 1×32 seed 1 finished: the same setup and seed is not trained again; 2×32 is the first.
    expect(queue()).toMatchObject({ status: 'running', index: 0, failed: 0, problem: null, reused: 1 });
    expect(queue().items.map((i) => shape(i.config))).toEqual(
      [2, 3, 4].map((d) => ({ widths: Array.from({ length: d }, () => 32), seed: 1 })),
    );
    expect(worker.trained).toHaveLength(4);
    expect(shape(worker.trained[3])).toEqual({ widths: [32, 32], seed: 1 });
  });

  test('restartQueue after the queue is done trains nothing again: every run is in the history (issue 21)', async () => {
    const { store, worker, queue, finish } = await setup();
    store.getState().runExperiment();
    for (let k = 0; k < 4; k++) finish();
    expect(queue().status).toBe('done');
    store.getState().restartQueue();
    expect(queue()).toMatchObject({ status: 'done', items: [], reused: 4 });
    expect(worker.trained).toHaveLength(4);
  });

  test('runExperiment reuses finished runs of the same setup and seed, from any experiment or none, and trains only the rest (issue 21, case 5)', async () => {
    const { store, worker, queue, finish } = await setup();
    store.getState().runExperiment();
    for (let k = 0; k < 4; k++) finish();
    // The same experiment with the ReLU variant ticked and two seeds: the article-setup runs of
    // seed 1 are in the history; their seed 2 and every ReLU run are not.
    store.getState().setRepeats(2);
    store.getState().setVariant('relu', true);
    store.getState().runExperiment();
    expect(queue()).toMatchObject({ status: 'running', reused: 4 });
    expect(queue().items).toHaveLength(4 * 4 - 4);
    expect(queue().items.some((i) => i.config.seed === 1 && !i.tag.variant)).toBe(false);
    expect(worker.trained).toHaveLength(5);
  });

  test('restartQueue does nothing while the queue runs or when there is no queue', async () => {
    const { store, worker, queue, finish } = await setup();
    store.getState().restartQueue();
    expect(queue().status).toBe('idle');
    expect(worker.trained).toEqual([]);
    store.getState().runExperiment();
    finish();
    store.getState().restartQueue();
    expect(queue().index).toBe(1);
    expect(worker.trained).toHaveLength(2);
  });

  test('the end of a run other than the queue\u2019s live one does not advance it', async () => {
    const { store, worker, queue } = await setup();
    store.getState().runExperiment();
    const live = queue().liveRecordId;
    store.getState().queueRunEnded('some-other-record', 'done');
    expect(queue()).toMatchObject({ status: 'running', index: 0, failed: 0, liveRecordId: live });
    expect(worker.trained).toHaveLength(1);
  });

  test('a failed run pauses the queue with the reason, and does not rush on (issue 10: offline, every item failed)', async () => {
    const { store, worker, queue, record, fail, finish } = await setup();
    store.getState().runExperiment();
    const failedId = queue().liveRecordId;
    fail('Could not load the MNIST file manifest.json: network error');
    expect(queue()).toMatchObject({
      status: 'paused',
      index: 0,
      failed: 1,
      problem: 'Could not load the MNIST file manifest.json: network error',
    });
    expect(record(failedId)).toMatchObject({ status: 'error' });
    // Nothing else was started: one error row, not one per item.
    expect(worker.trained).toHaveLength(1);
    // Resume runs the failed item again, and the queue goes on from there.
    store.getState().resumeQueue();
    expect(queue()).toMatchObject({ status: 'running', index: 0, problem: null });
    expect(worker.trained).toHaveLength(2);
    expect(shape(worker.trained[1])).toEqual({ widths: [32], seed: 1 });
    finish();
    expect(queue()).toMatchObject({ index: 1, failed: 1 });
    for (let k = 0; k < 3; k++) finish();
    expect(queue()).toMatchObject({ status: 'done', failed: 1 });
  });

  test('the store\u2019s stop() while a queue runs pauses it (and stops the run)', async () => {
    const { store, worker, queue, runId, stoppedMsg } = await setup();
    store.getState().runExperiment();
    const current = runId();
    store.getState().stop();
    expect(queue().status).toBe('paused');
    expect(worker.stopped).toEqual([current]);
    stoppedMsg();
    expect(queue()).toMatchObject({ status: 'paused', index: 0 });
    expect(worker.trained).toHaveLength(1);
    store.getState().resumeQueue();
    expect(worker.trained).toHaveLength(2);
    expect(worker.trained[1]).toEqual(worker.trained[0]);
  });
});
