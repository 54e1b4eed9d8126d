// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite).
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import type { EpochLog } from '../../../src/core/runs/runs';
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
