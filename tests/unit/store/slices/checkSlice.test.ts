// The diagnosis's Check in the store (issue 21): it queues what the check needs, never over a
// paused experiment, lets the page show the check's runs while they train, and brings the run it
// checks back into view when they are done; checks survive a reload.
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import type { EpochLog } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { memoryRuns } from '../../../../src/store/runsDb';
import { CHECKS_STORAGE_KEY, parseStoredChecks } from '../../../../src/store/slices/checkSlice';
import { createLabStore } from '../../../../src/store/store';
import { fakeWorker, tensorCheck } from '../fakeWorker';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const log = (epoch: number, valAcc: number): EpochLog => ({
  epoch,
  loss: 2.3,
  acc: 0.11,
  valLoss: 2.3,
  valAcc,
  seconds: 1,
});

/** The collapsing 4×32 sigmoid network, in a store with a fake worker and an in-memory history. */
async function setup(storage: Map<string, string> = new Map()) {
  const worker = fakeWorker();
  const store = createLabStore(
    '?layers=32,32,32,32&epochs=1&seed=1',
    (cb) => worker.makeClient(cb),
    memoryRuns([], true),
    (() => {
      let t = 1_700_000_000_000;
      return () => (t += 1000);
    })(),
    { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  );
  await tick();
  const runId = () => store.getState().run.runId;
  /** The worker finishes the current run with test accuracy `testAcc`. */
  const finish = (testAcc: number) => {
    const id = runId();
    worker.send({ type: 'started', runId: id, trainCount: 54000, valCount: 6000, batches: 422 });
    worker.send({ type: 'epoch', runId: id, log: log(1, testAcc) });
    worker.send({
      type: 'done',
      runId: id,
      outcome: {
        status: 'done',
        epochs: [log(1, testAcc)],
        testLoss: 2.3,
        testAcc,
        params: 28618,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(0, 0),
    });
  };
  const relu = { id: 'relu' as const, label: 'Use ReLU', evidence: '' };
  return { store, worker, finish, relu, storage };
}

describe('Check', () => {
  test('queues the other seed as it was and both seeds with the change, the run checked reused; the page follows the check, then the run checked comes back with the result', async () => {
    const { store, worker, finish, relu } = await setup();
    store.getState().train();
    finish(0.1135);
    const checked = store.getState().run;
    store.getState().checkFinding('vanishing', relu);
    const q = store.getState().experiments.queue;
    expect([q.experiment, q.status, q.items.length, q.reused]).toEqual(['check', 'running', 3, 1]);
    expect(worker.trained.map((c) => [c.layers[0]?.activation, c.seed])).toEqual([
      ['sigmoid', 1],
      ['sigmoid', 2],
    ]);
    // While the check trains, the run in view is the check's.
    expect(store.getState().run.config?.seed).toBe(2);
    expect(store.getState().checks.subject?.run.config).toBe(checked.config);
    expect(store.getState().checks.subject?.run.epochs).toBe(checked.epochs);
    finish(0.1135);
    finish(0.9194);
    finish(0.9243);
    expect(store.getState().experiments.queue.status).toBe('done');
    // The run checked is back in view, and the check is kept.
    expect(store.getState().run.config).toEqual(checked.config);
    expect(store.getState().run.epochs).toEqual(checked.epochs);
    expect(store.getState().run.outcome?.testAcc).toBe(0.1135);
    expect(store.getState().checks.subject).toBeNull();
    expect(store.getState().checks.list.map((d) => d.fix.id)).toEqual(['relu']);
  });

  test('never replaces a paused experiment, nor starts while a run trains or after a stopped run', async () => {
    const { store, worker, finish, relu } = await setup();
    store.getState().train();
    finish(0.1135);
    store.getState().selectExperiment('depth');
    store.getState().runExperiment();
    store.getState().pauseQueue();
    worker.send({
      type: 'stopped',
      runId: store.getState().run.runId,
      outcome: { status: 'stopped', epochs: [], testLoss: null, testAcc: null, params: 1, trainCount: 1, valCount: 1 },
      tensors: tensorCheck(0, 0),
    });
    const paused = store.getState().experiments.queue;
    expect(paused.status).toBe('paused');
    store.getState().checkFinding('vanishing', relu);
    expect(store.getState().experiments.queue).toBe(paused);
    expect(store.getState().checks.list).toEqual([]);
    store.getState().cancelQueue();
    // A stopped run has no test accuracy to set beside.
    store.getState().checkFinding('vanishing', relu);
    expect(store.getState().checks.list).toEqual([]);
  });

  test('a cancelled check brings the run checked back too, once the run under way has stopped', async () => {
    const { store, worker, finish, relu } = await setup();
    store.getState().train();
    finish(0.1135);
    const checked = store.getState().run;
    store.getState().checkFinding('vanishing', relu);
    store.getState().cancelQueue();
    expect(store.getState().checks.subject).not.toBeNull();
    worker.send({
      type: 'stopped',
      runId: store.getState().run.runId,
      outcome: { status: 'stopped', epochs: [], testLoss: null, testAcc: null, params: 1, trainCount: 1, valCount: 1 },
      tensors: tensorCheck(0, 0),
    });
    expect(store.getState().run.config).toEqual(checked.config);
    expect(store.getState().checks.subject).toBeNull();
  });

  test('checks are kept in storage and read back after a reload; unreadable ones are left out', async () => {
    const { store, finish, relu, storage } = await setup();
    store.getState().train();
    finish(0.1135);
    store.getState().checkFinding('vanishing', relu);
    const text = storage.get(CHECKS_STORAGE_KEY) ?? '';
    const back = parseStoredChecks(text);
    expect(back.map((d) => [d.id, d.fix.id, d.seeds, d.base.layers.length])).toEqual([
      [store.getState().checks.list[0]?.id, 'relu', [1, 2], 4],
    ]);
    expect(back[0]?.recordId).toBe(store.getState().checks.list[0]?.recordId);
    expect(
      parseStoredChecks(
        JSON.stringify([
          { fix: { id: 'relu' } },
          'x',
          { ...JSON.parse(text)[0], base: { ...DEFAULT_CONFIG, layers: 'none' } },
        ]),
      ),
    ).toEqual([]);
    expect(parseStoredChecks('not json')).toEqual([]);
    const again = await setup(storage);
    expect(again.store.getState().checks.list.map((d) => d.fix.id)).toEqual(['relu']);
  });
});
