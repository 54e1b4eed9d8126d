// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite).
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import type { EpochLog } from '../../../../src/core/runs/runs';
import type { TrainConfig } from '../../../../src/core/network/spec';
import { memoryRuns } from '../../../../src/store/runsDb';
import { createLabStore } from '../../../../src/store/store';
import { parseStoredQueue } from '../../../../src/store/slices/storedQueue';
import { fakeWorker, tensorCheck } from '../fakeWorker';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const log: EpochLog = { epoch: 1, loss: 0.5, acc: 0.85, valLoss: 0.6, valAcc: 0.84, seconds: 1 };

/** A store whose queue may use the side worker (`lanes`), with a fake page worker and a fake side worker. */
async function setup(
  lanes = true,
  search = '?experiment=depth&backend=wasm',
  storage: Map<string, string> | null = null,
) {
  const live = fakeWorker();
  const side = fakeWorker();
  const made: string[] = [];
  let t = 1_700_000_000_000;
  const store = createLabStore(
    search,
    (cb) => {
      // The page's worker is made first (the queue's first run), the side worker second.
      made.push(made.length === 0 ? 'live' : 'side');
      return made.length === 1 ? live.makeClient(cb) : side.makeClient(cb);
    },
    memoryRuns([], true),
    () => (t += 1000),
    storage && { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    null,
    undefined,
    () => lanes,
  );
  await tick();
  const queue = () => store.getState().experiments.queue;
  const end = (w: ReturnType<typeof fakeWorker>, runId: number, how: 'done' | 'stopped' | 'error' | 'diverged') => {
    if (how === 'error') return w.send({ type: 'error', runId, message: 'The loss became NaN', tensors: null });
    if (how === 'diverged')
      return w.send({ type: 'error', runId, message: 'Training diverged', tensors: null, diverged: true });
    w.send({ type: 'started', runId, trainCount: 54000, valCount: 6000, batches: 422 });
    if (how === 'done') w.send({ type: 'epoch', runId, log });
    const done = how === 'done';
    w.send({
      type: how,
      runId,
      outcome: {
        status: how,
        epochs: done ? [log] : [],
        testLoss: done ? 0.4 : null,
        testAcc: done ? 0.88 : null,
        params: 25450,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(0, 0),
    });
  };
  const liveRun = () => store.getState().run.runId;
  const sideRun = () => store.getState().side[0]?.run.runId ?? -1;
  const layersOf = (c: TrainConfig | undefined) => c && `${c.layers.length}x${c.seed}`;
  return { store, live, side, queue, end, liveRun, sideRun, layersOf };
}

describe('an experiment queue on two workers (issue 23)', () => {
  test('the two costliest runs start at once, one on each worker, each asking for one WASM thread; the side run is quiet', async () => {
    const { store, live, side, queue, layersOf } = await setup();
    store.getState().runExperiment();
    expect(queue()).toMatchObject({ status: 'running', index: 0, liveItem: 3, sideItems: [2] });
    expect(live.trained.map(layersOf)).toEqual(['4x1']);
    expect(side.trained.map(layersOf)).toEqual(['3x1']);
    expect(live.trainOptions).toEqual([{ threads: 1 }]);
    expect(side.trainOptions).toEqual([{ quiet: true, threads: 1 }]);
    // Both runs have records in the history, tagged as the queue's.
    const keys = store
      .getState()
      .runs.list.map((r) => r.tag?.key)
      .sort();
    expect(keys).toEqual(['w32d3', 'w32d4']);
  });

  test('without a second core (or on WebGL) the queue trains one run at a time, on all threads', async () => {
    const { store, live, side, queue } = await setup(false);
    store.getState().runExperiment();
    expect(queue()).toMatchObject({ liveItem: 0, sideItems: [] });
    expect(live.trainOptions).toEqual([{}]);
    expect(side.trained).toEqual([]);
  });

  test('runs finish out of order: a free worker takes the costliest item left, the index moves past finished ones, then done', async () => {
    const { store, live, side, queue, end, liveRun, sideRun, layersOf } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'done'); // item 2 (3 layers) finishes first: the side worker takes item 1
    expect(queue()).toMatchObject({ index: 0, done: [2], liveItem: 3, sideItems: [1] });
    end(side, sideRun(), 'done'); // item 1: the side takes item 0
    expect(queue()).toMatchObject({ index: 0, done: [1, 2], sideItems: [0] });
    end(live, liveRun(), 'done'); // item 3: nothing is free for the live worker
    expect(queue()).toMatchObject({ index: 0, done: [1, 2, 3], liveItem: null, sideItems: [0], status: 'running' });
    end(side, sideRun(), 'done');
    expect(queue()).toMatchObject({ index: 4, status: 'done' });
    expect(live.trained.map(layersOf)).toEqual(['4x1']);
    expect(side.trained.map(layersOf)).toEqual(['3x1', '2x1', '1x1']);
    const done = store.getState().runs.list.filter((r) => r.status === 'done');
    expect(done.map((r) => r.tag?.key).sort()).toEqual(['w32d1', 'w32d2', 'w32d3', 'w32d4']);
  });

  test('pause stops both runs; resume trains both stopped items again, and not one that had finished', async () => {
    const { store, live, side, queue, end, liveRun, sideRun, layersOf } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'done'); // item 2 done; the side trains item 1
    store.getState().pauseQueue();
    expect(live.stopped).toEqual([liveRun()]);
    expect(side.stopped).toEqual([sideRun()]);
    end(live, liveRun(), 'stopped');
    end(side, sideRun(), 'stopped');
    expect(queue()).toMatchObject({ status: 'paused', index: 0, done: [2], liveItem: null, sideItems: [] });
    store.getState().resumeQueue();
    expect(queue()).toMatchObject({ status: 'running', liveItem: 3, sideItems: [1] });
    expect(live.trained.map(layersOf)).toEqual(['4x1', '4x1']);
    expect(side.trained.map(layersOf)).toEqual(['3x1', '2x1', '2x1']);
  });

  test('a run that fails pauses the queue with the reason and stops the other worker’s run', async () => {
    const { store, live, side, queue, end, liveRun, sideRun } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'error');
    expect(queue()).toMatchObject({ status: 'paused', failed: 1, problem: 'The loss became NaN', sideItems: [] });
    expect(live.stopped).toEqual([liveRun()]);
    end(live, liveRun(), 'stopped');
    expect(queue()).toMatchObject({ status: 'paused', index: 0, liveItem: null });
    expect(side.stopped).toEqual([]);
  });
});

describe('a run whose loss becomes NaN (issue 23)', () => {
  test('is counted as failed and the other runs go on: the queue ends done, "1 failed"', async () => {
    const { store, side, live, queue, end, liveRun, sideRun } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'diverged');
    expect(queue()).toMatchObject({ status: 'running', failed: 1, done: [2], liveItem: 3, sideItems: [1] });
    expect(live.stopped).toEqual([]);
    end(live, liveRun(), 'done');
    end(side, sideRun(), 'done');
    end(live, liveRun(), 'done');
    expect(queue()).toMatchObject({ status: 'done', failed: 1, index: 4 });
    const records = store.getState().runs.list;
    expect(records.filter((r) => r.status === 'error').map((r) => r.tag?.key)).toEqual(['w32d3']);
    expect(records.filter((r) => r.status === 'done')).toHaveLength(3);
  });

  test('on one worker too: the queue goes on to the next run', async () => {
    const { store, live, queue, end, liveRun } = await setup(false);
    store.getState().runExperiment();
    end(live, liveRun(), 'diverged');
    expect(queue()).toMatchObject({ status: 'running', failed: 1, index: 1, liveItem: 1 });
    expect(live.trained).toHaveLength(2);
  });
});

describe('what a person can do meanwhile (review of issue 23)', () => {
  test('Resume before the side worker’s stop has arrived: its run is trained again, not counted as finished', async () => {
    const { store, live, side, queue, end, liveRun, sideRun, layersOf } = await setup();
    store.getState().runExperiment();
    store.getState().pauseQueue();
    end(live, liveRun(), 'stopped');
    store.getState().resumeQueue(); // the side worker is still stopping (loading its data, say)
    expect(queue()).toMatchObject({ status: 'running', liveItem: 3, sideItems: [2] });
    end(side, sideRun(), 'stopped');
    expect(queue()).toMatchObject({ status: 'running', done: [], liveItem: 3, sideItems: [2] });
    expect(side.trained.map(layersOf)).toEqual(['3x1', '3x1']);
  });

  test('the side worker’s run cannot be deleted while it trains', async () => {
    const { store, queue } = await setup();
    store.getState().runExperiment();
    const id = queue().sideRecordIds[0] as string;
    store.getState().deleteRuns([id]);
    expect(store.getState().runs.list.some((r) => r.id === id)).toBe(true);
  });

  test('Pause does not stop a run started by hand while only the side worker trains the queue', async () => {
    const { store, live, queue, end, liveRun, sideRun, side } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'done'); // side takes item 1
    end(side, sideRun(), 'done'); // side takes item 0
    end(live, liveRun(), 'done'); // nothing is left for the page's worker
    expect(queue()).toMatchObject({ liveItem: null, sideItems: [0] });
    store.getState().train(); // a run by hand
    const mine = liveRun();
    store.getState().pauseQueue();
    expect(live.stopped).not.toContain(mine);
    expect(side.stopped).toEqual([sideRun()]);
  });

  test('a failure of the side worker’s run names that run in the status line, after a reload too', async () => {
    const storage = new Map<string, string>();
    const { store, queue, end, sideRun, side } = await setup(true, '?experiment=depth&backend=wasm', storage);
    store.getState().runExperiment();
    end(side, sideRun(), 'error');
    expect(queue()).toMatchObject({ status: 'paused', failedItem: 2 });
    const stored = parseStoredQueue(storage.get('mlp-lab-queue') ?? null);
    expect(stored).toMatchObject({ status: 'paused', failedItem: 2, problem: 'The loss became NaN' });
  });

  test('a reload keeps the runs the side worker finished: the stored queue has them, and Resume leaves them out', async () => {
    const storage = new Map<string, string>();
    const { store, queue, end, sideRun, side } = await setup(true, '?experiment=depth&backend=wasm', storage);
    store.getState().runExperiment();
    end(side, sideRun(), 'done');
    expect(queue().done).toEqual([2]);
    const stored = parseStoredQueue(storage.get('mlp-lab-queue') ?? null);
    expect(stored).toMatchObject({ status: 'paused', index: 0, done: [2] });
  });
});

describe('the stored queue', () => {
  test('keeps `done` items after the index, and nothing else', async () => {
    const { store, queue, end, sideRun, side } = await setup();
    store.getState().runExperiment();
    end(side, sideRun(), 'done');
    const text = JSON.stringify({ ...queue(), done: [1, 0, 7, 1.5, 'x', 3] });
    expect(parseStoredQueue(text)).toMatchObject({
      status: 'paused',
      index: 0,
      done: [1, 3],
      liveItem: null,
      sideItems: [],
    });
  });
});

describe('many networks in one step: the side worker trains a group (issue 23)', () => {
  /** A trial of `network` in which groups of 2 and more are faster per network than a run alone. */
  const fasterInGroups = (network: string, at = 1) => ({
    network,
    times: [
      { size: 1, msPerRun: 1 },
      { size: 2, msPerRun: 0.8 },
      { size: 4, msPerRun: 0.7 },
      { size: 8, msPerRun: 0.7 },
    ],
    at,
  });
  /** Every depth network timed already (a past visit's trials). */
  const timedDepth = () => {
    const nets = ['32/b128/wasm', '32x32/b128/wasm', '32x32x32/b128/wasm', '32x32x32x32/b128/wasm'];
    return new Map([
      ['mlp-lab:group-trials', JSON.stringify(Object.fromEntries(nets.map((n) => [n, fasterInGroups(n)])))],
    ]);
  };
  /** A depth queue of 3 seeds: items are (depth, seed), the costliest (4 layers) first to go. */
  async function grouped() {
    const s = await setup(true, '?experiment=depth&backend=wasm', timedDepth());
    s.store.getState().setRepeats(3);
    s.store.getState().runExperiment();
    const group = () => s.side.groups.at(-1) as { configs: readonly TrainConfig[]; runIds: number[] };
    return { ...s, group };
  }
  const shapes = (configs: readonly TrainConfig[]) => configs.map((c) => `${c.layers.length}x${c.seed}`);

  test('the side worker takes, with the costliest run left, the other free runs of its setup: one group, each run its record', async () => {
    const { store, live, side, queue, group, layersOf } = await grouped();
    expect(live.trained.map(layersOf)).toEqual(['4x1']);
    expect(side.trained).toEqual([]);
    expect(shapes(group().configs)).toEqual(['4x2', '4x3']);
    const q = queue();
    expect(q.sideItems).toHaveLength(2);
    expect(q.sideRecordIds).toHaveLength(2);
    const records = store.getState().runs.list.filter((r) => q.sideRecordIds.includes(r.id));
    expect(records.map((r) => r.config.seed).sort()).toEqual([2, 3]);
    expect(records.every((r) => r.status === 'running')).toBe(true);
  });

  test('each run of the group ends on its own: one whose loss became NaN fails, the others finish, then the side worker takes the next group', async () => {
    const { store, side, queue, end, group } = await grouped();
    const [a, b] = group().runIds as [number, number];
    const items = queue().sideItems;
    // The group's runs report their epochs and outcome as runs of their own.
    side.send({ type: 'started', runId: a, trainCount: 54000, valCount: 6000, batches: 422, group: 2 });
    side.send({ type: 'started', runId: b, trainCount: 54000, valCount: 6000, batches: 422, group: 2 });
    end(side, a, 'diverged');
    expect(queue()).toMatchObject({ status: 'running', failed: 1, sideItems: [items[1]] });
    expect(side.groups).toHaveLength(1); // the other network still trains: no new group yet
    end(side, b, 'done');
    expect(queue().done).toEqual(expect.arrayContaining([...items].sort((x, y) => x - y)));
    // The next group: the 3-layer runs, its fair share of the three (the page's worker takes the rest).
    expect(shapes(group().configs)).toEqual(['3x1', '3x2']);
    const records = store.getState().runs.list;
    const finished = records.find((r) => r.status === 'done');
    expect(finished?.group).toBe(2);
    expect(records.filter((r) => r.status === 'error')).toHaveLength(1);
  });

  test('Pause stops the whole group; each run is free again and Resume trains them in a group again', async () => {
    const { store, side, queue, end, group, live, liveRun } = await grouped();
    const ids = group().runIds;
    store.getState().pauseQueue();
    expect(side.stopped.sort()).toEqual([...ids].sort());
    for (const id of ids) end(side, id, 'stopped');
    end(live, liveRun(), 'stopped');
    expect(queue()).toMatchObject({ status: 'paused', index: 0, done: [], liveItem: null, sideItems: [] });
    store.getState().resumeQueue();
    expect(shapes(group().configs)).toEqual(['4x2', '4x3']);
    expect(side.groups).toHaveLength(2);
  });

  test('a group that fails as one (its data, its worker) is one failure, named by its first run; resume trains it again', async () => {
    const { store, side, live, queue, group, end, liveRun } = await grouped();
    const ids = group().runIds;
    const items = queue().sideItems;
    for (const id of ids) end(side, id, 'error');
    expect(queue()).toMatchObject({ status: 'paused', failed: 1, failedItem: items[0], sideItems: [] });
    expect(live.stopped).toEqual([liveRun()]);
    end(live, liveRun(), 'stopped');
    store.getState().resumeQueue();
    expect(shapes(group().configs)).toEqual(['4x2', '4x3']);
  });

  test('the first time, the side worker times the network alone and in groups, the page remembers it, then a group of the fastest size trains', async () => {
    const storage = new Map<string, string>();
    const s = await setup(true, '?experiment=depth&backend=wasm', storage);
    s.store.getState().setRepeats(5);
    s.store.getState().runExperiment();
    // The page's worker starts at once; the side worker times [32 x 4] first.
    expect(s.live.trained.map(s.layersOf)).toEqual(['4x1']);
    expect(s.side.trials.map((t) => [t.config.layers.length, t.sizes])).toEqual([[4, [1, 2, 4, 8]]]);
    expect(s.side.groups).toEqual([]);
    expect(s.store.getState().groupTrials.timing?.layers).toHaveLength(4);
    expect(s.queue().sideItems).toEqual([]);
    // Groups of 2 fastest: 2 of the 4 runs left (its fair share is 3), in one step.
    s.side.trialAnswer([
      { size: 1, msPerRun: 1 },
      { size: 2, msPerRun: 0.8 },
      { size: 4, msPerRun: 0.9 },
      { size: 8, msPerRun: 1.1 },
    ]);
    await tick();
    expect(shapes(s.side.groups.at(-1)?.configs ?? [])).toEqual(['4x2', '4x3']);
    expect(s.store.getState().groupTrials.timing).toBeNull();
    const stored = JSON.parse(storage.get('mlp-lab:group-trials') ?? '{}') as Record<string, unknown>;
    expect(Object.keys(stored)).toEqual(['32x32x32x32/b128/wasm']);
    // A reload (a new store on the same storage) does not time it again.
    const again = await setup(true, '?experiment=depth&backend=wasm', storage);
    again.store.getState().setRepeats(5);
    again.store.getState().runExperiment();
    expect(again.side.trials).toEqual([]);
    expect(shapes(again.side.groups.at(-1)?.configs ?? [])).toEqual(['4x2', '4x3']);
  });

  test('where a group is no faster per network than a run alone, or the trial fails, the side worker trains one run at a time', async () => {
    const storage = new Map<string, string>();
    const s = await setup(true, '?experiment=depth&backend=wasm', storage);
    s.store.getState().setRepeats(3);
    s.store.getState().runExperiment();
    s.side.trialAnswer([
      { size: 1, msPerRun: 1 },
      { size: 2, msPerRun: 1.1 },
    ]);
    await tick();
    expect(s.side.groups).toEqual([]);
    expect(s.side.trained.map(s.layersOf)).toEqual(['4x2']);
    // A failed trial: alone for this visit, and not remembered past it.
    const f = await setup(true, '?experiment=depth&backend=wasm', new Map());
    f.store.getState().setRepeats(3);
    f.store.getState().runExperiment();
    f.side.trialAnswer(new Error('WASM did not start'));
    await tick();
    expect(f.side.trained.map(f.layersOf)).toEqual(['4x2']);
    expect(f.store.getState().groupTrials.table['32x32x32x32/b128/wasm']?.times).toEqual([]);
    const end = (w: typeof f.side) =>
      w.send({ type: 'error', runId: f.sideRun(), message: 'x', tensors: null, diverged: true });
    end(f.side);
    expect(f.side.trials).toHaveLength(1);
  });

  test('big networks train one at a time on the side worker', async () => {
    const big = await setup(true, '?experiment=width&backend=wasm');
    big.store.getState().setRepeats(2);
    big.store.getState().runExperiment();
    expect(big.side.groups).toEqual([]);
    expect(big.side.trained).toHaveLength(1);
  });
});
