// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite).
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/network/spec';
import { runsToJson } from '../../../src/core/runs/runExport';
import { newRunRecord, type EpochLog } from '../../../src/core/runs/runs';
import { memoryRuns } from '../../../src/store/runsDb';
import { createLabStore } from '../../../src/store/store';
import { QUEUE_LOCK, runLock, tabHub } from '../../../src/store/tabs';
import { fakeWorker, tensorCheck } from './fakeWorker';

const tick = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
};
const log = (epoch: number): EpochLog => ({ epoch, loss: 1 / epoch, acc: 0.8, valLoss: 0.7, valAcc: 0.8, seconds: 2 });

/** Two tabs of the lab: one IndexedDB, one localStorage, one set of locks and one channel. */
function twoTabs(search = '?layers=8&epochs=2') {
  const repo = memoryRuns([], true);
  const ls = new Map<string, string>();
  const storage = { getItem: (k: string) => ls.get(k) ?? null, setItem: (k: string, v: string) => void ls.set(k, v) };
  const hub = tabHub();
  let t = 1_700_000_000_000;
  const open = () => {
    const worker = fakeWorker();
    const store = createLabStore(
      search,
      (cb) => worker.makeClient(cb),
      repo,
      () => (t += 1000),
      storage,
      hub.link(),
    );
    return { store, worker };
  };
  return { repo, hub, open };
}

describe('item 5: two tabs do not fight', () => {
  test('a run live in one tab shows as running (not stopped) in a tab opened meanwhile, follows its epochs, and ends done there', async () => {
    const { repo, hub, open } = twoTabs();
    const a = open();
    await tick();
    a.store.getState().train();
    const id = a.store.getState().runs.liveId as string;
    const runId = a.store.getState().run.runId;
    await tick();
    expect(hub.isHeld(runLock(id))).toBe(true);

    const b = open();
    await tick();
    const inB = () => b.store.getState().runs.list.find((r) => r.id === id);
    expect(inB()?.status).toBe('running');
    expect((await repo.list()).runs.find((r) => r.id === id)?.status).toBe('running'); // not rewritten as stopped

    a.worker.send({ type: 'epoch', runId, log: log(1) });
    await tick();
    expect(inB()?.epochs).toEqual([log(1)]);
    a.worker.send({
      type: 'done',
      runId,
      outcome: {
        status: 'done',
        epochs: [log(1), log(2)],
        testLoss: 0.3,
        testAcc: 0.91,
        params: 6442,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(1, 1),
    });
    await tick();
    expect(inB()).toMatchObject({ status: 'done', testAcc: 0.91 });
    expect(hub.isHeld(runLock(id))).toBe(false);
  });

  test('a tab that closes mid-run lets the others mark its run stopped', async () => {
    const { hub, open } = twoTabs();
    const a = open();
    await tick();
    a.store.getState().train();
    const id = a.store.getState().runs.liveId as string;
    await tick();
    const b = open();
    await tick();
    expect(b.store.getState().runs.list.find((r) => r.id === id)?.status).toBe('running');
    // Tab A is gone: its lock is released without a last record.
    hub.drop(runLock(id));
    await tick(6);
    expect(b.store.getState().runs.list.find((r) => r.id === id)?.status).toBe('stopped');
  });

  test('an experiment queue running in one tab is shown as running elsewhere in another, which cannot resume or restart it', async () => {
    const { hub, open } = twoTabs('?experiment=depth');
    const a = open();
    await tick();
    a.store.getState().setQuick(true);
    a.store.getState().runExperiment();
    await tick();
    expect(a.store.getState().experiments.queue.status).toBe('running');
    expect(hub.isHeld(QUEUE_LOCK)).toBe(true);

    const b = open();
    await tick();
    expect(b.store.getState().experiments.elsewhere).toBe(true);
    b.store.getState().resumeQueue();
    b.store.getState().restartQueue();
    b.store.getState().runExperiment();
    expect(b.store.getState().run.status).toBe('idle');
    expect(b.worker.trained).toEqual([]);

    // Paused in A: the lock goes, and B shows the queue as it was stored, to resume there if wanted.
    a.store.getState().pauseQueue();
    await tick(6);
    expect(hub.isHeld(QUEUE_LOCK)).toBe(false);
    expect(b.store.getState().experiments.elsewhere).toBe(false);
    expect(b.store.getState().experiments.queue.status).toBe('paused');
  });
});

// Issue 26, item 2: an import of thousands of runs was one IndexedDB transaction and one
// cross-tab message per run, and said "Imported N" before anything was stored.
describe('item 2 of "Hostile input": a large results import', () => {
  test('is stored in batches, said only once stored, and read by the other tab from one message', async () => {
    const { repo, hub, open } = twoTabs();
    const a = open();
    const b = open();
    await tick();
    const batches: number[] = [];
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const putMany = repo.putMany.bind(repo);
    repo.putMany = async (runs) => {
      batches.push(runs.length);
      if (batches.length === 2) await gate; // the second batch is slow to commit
      return putMany(runs);
    };
    const runs = Array.from({ length: 5000 }, (_, i) => ({
      ...newRunRecord(`imp${i}`, Date.UTC(2026, 0, 1) + i, DEFAULT_CONFIG),
      status: 'done' as const,
      testAcc: 0.9,
      testLoss: 0.3,
    }));
    const text = runsToJson(runs, 0);
    const file = {
      name: 'runs.json',
      size: text.length,
      text: () => Promise.resolve(text),
      arrayBuffer: () => Promise.reject(new Error('not read')),
    };
    const going = a.store.getState().importResults([file]);
    await tick(5);
    // Written so far: one batch of 2,000; nothing said as imported, nothing in the table yet.
    expect(batches).toEqual([2000, 2000]);
    expect(a.store.getState().imports).toMatchObject({
      status: 'working',
      message: 'Storing the runs: 2,000 of 5,000…',
    });
    expect(a.store.getState().runs.list).toHaveLength(0);
    release();
    await going;
    expect(batches).toEqual([2000, 2000, 1000]);
    expect(a.store.getState().imports.status).toBe('done');
    expect(a.store.getState().imports.message).toMatch(/^Imported 5,000 runs/);
    expect(a.store.getState().runs.list).toHaveLength(5000);
    expect(hub.posted.filter((m) => m.type === 'imported')).toEqual([{ type: 'imported', count: 5000 }]);
    expect(hub.posted.filter((m) => m.type === 'record')).toHaveLength(0);
    await tick(5);
    expect(b.store.getState().runs.list).toHaveLength(5000);
    expect((await repo.list()).runs).toHaveLength(5000);
  });
});
