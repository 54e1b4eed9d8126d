// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite, not by the
// node types tsconfig.node.json gives the tests).
/// <reference types="vite/client" />
import { describe, expect, test } from 'vitest';
import type { KeptModel } from '../../../src/core/runs/model';
import { newRunRecord, type EpochLog, type RunRecord } from '../../../src/core/runs/runs';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { memoryRuns, type RunsRepository } from '../../../src/store/runsDb';
import { createLabStore } from '../../../src/store/store';
import { fakeWorker, tensorCheck } from './fakeWorker';

const NO_MODELS = {
  modelIds: () => Promise.resolve([]),
  putModel: () => Promise.resolve(),
  getModel: () => Promise.resolve(null),
  deleteUnreadable: () => Promise.resolve(),
  deleteModels: () => Promise.resolve(),
};

/** memoryRuns with a log of what the store wrote. */
function recordingRepo(initial: readonly unknown[] = []) {
  const inner = memoryRuns(initial, true);
  const puts: RunRecord[] = [];
  const deletes: string[][] = [];
  const repo: RunsRepository = {
    persistent: true,
    list: () => inner.list(),
    put(run) {
      puts.push(run);
      return inner.put(run);
    },
    putMany(runs) {
      puts.push(...runs);
      return inner.putMany(runs);
    },
    delete(ids) {
      deletes.push([...ids]);
      return inner.delete(ids);
    },
    deleteUnreadable: (keys) => inner.deleteUnreadable(keys),
    deleteModels: (ids) => inner.deleteModels(ids),
    modelIds: () => inner.modelIds(),
    putModel: (id, kept) => inner.putModel(id, kept),
    getModel: (id) => inner.getModel(id),
  };
  const stored = async (id: string) => (await inner.list()).runs.find((r) => r.id === id);
  return { repo, puts, deletes, stored };
}

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
  seconds: 3,
});

const SEARCH = '?layers=64&act=relu&seed=7&epochs=2';

const stored = (id: string, startedAt: number, o: Partial<RunRecord> = {}): RunRecord => ({
  ...newRunRecord(id, startedAt, DEFAULT_CONFIG),
  status: 'done',
  ...o,
});

/** A store with a fake worker and a recording repository, its stored runs read. */
async function setup(initial: readonly unknown[] = []) {
  const worker = fakeWorker();
  const r = recordingRepo(initial);
  const store = createLabStore(SEARCH, (cb) => worker.makeClient(cb), r.repo, clock());
  await tick();
  return { store, worker, ...r };
}

describe('createLabStore: a training run', () => {
  test('train() while a run is loading or training starts nothing: one run at a time', async () => {
    const { store, worker } = await setup();
    store.getState().train();
    store.getState().train();
    expect(worker.trained).toHaveLength(1);
    expect(store.getState().runs.list).toHaveLength(1);
  });

  test('item 18: a run that would not fit device memory is refused before it starts', async () => {
    const worker = fakeWorker();
    const huge = `?layers=${Array.from({ length: 10 }, () => 1400).join(',')}&act=relu&batch=8192`;
    const store = createLabStore(huge, (cb) => worker.makeClient(cb), memoryRuns(), clock());
    expect(store.getState().config.batchSize).toBe(8192);
    store.getState().train();
    expect(worker.trained).toEqual([]);
    expect(store.getState().run.status).toBe('idle');
    expect(store.getState().runs.list).toEqual([]);
    // With a batch that fits it trains.
    store.getState().editConfig((c) => ({ ...c, batchSize: 1024 }));
    store.getState().train();
    expect(worker.trained).toHaveLength(1);
  });

  test('train() adds a running record, newest first, and writes it to the repository', async () => {
    const { store, worker, puts, stored: inRepo } = await setup([stored('older', 1_000)]);
    expect(store.getState().runs.list.map((r) => r.id)).toEqual(['older']);

    store.getState().train();
    const s = store.getState();
    expect(worker.trained).toEqual([s.config]);
    expect(s.config.layers).toEqual([{ units: 64, activation: 'relu' }]);
    expect(s.run.status).toBe('loading');
    expect(s.run.runId).toBe(1);
    expect(s.runs.list).toHaveLength(2);
    const live = s.runs.list[0] as RunRecord;
    expect(s.runs.liveId).toBe(live.id);
    expect(live.id).toMatch(/^[0-9a-z]{9}-[0-9a-z]{4}$/);
    expect(live.status).toBe('running');
    expect(live.startedAt).toBe(1_700_000_001_000);
    expect(live.config).toEqual(s.config);
    expect(live.params).toBe(784 * 64 + 64 + 650);
    expect(s.runs.list[1]?.id).toBe('older');
    expect(puts.map((p) => p.id)).toEqual([live.id]);
    expect((await inRepo(live.id))?.status).toBe('running');
  });

  test('epoch messages update the record and its stored copy; done sets the test result', async () => {
    const { store, worker, puts, stored: inRepo } = await setup();
    store.getState().train();
    const id = store.getState().runs.liveId as string;
    const runId = store.getState().run.runId;
    const record = () => store.getState().runs.list.find((r) => r.id === id);

    worker.send({ type: 'backend', runId, name: 'webgl', reason: 'fastest' });
    worker.send({ type: 'started', runId, trainCount: 54000, valCount: 6000, batches: 422 });
    expect(record()?.backend).toBe('webgl');
    expect(record()?.trainCount).toBe(54000);
    expect((await inRepo(id))?.valCount).toBe(6000);

    worker.send({ type: 'epoch', runId, log: log(1) });
    expect(record()?.epochs).toEqual([log(1)]);
    expect((await inRepo(id))?.epochs).toEqual([log(1)]);

    // Progress ticks move the live view only: no record change, no write.
    const writes = puts.length;
    worker.send({
      type: 'progress',
      runId,
      progress: { epoch: 2, batch: 10, batches: 422, loss: 0.4, acc: 0.88, samplesPerSecond: 9000 },
      samples: [{ x: 1.02, loss: 0.4, acc: 0.88 }],
      health: [],
      tiles: null,
      probe: null,
    });
    expect(store.getState().run.samples).toHaveLength(1);
    expect(puts).toHaveLength(writes);
    expect(record()?.epochs).toHaveLength(1);

    worker.send({ type: 'epoch', runId, log: log(2) });
    expect(record()?.epochs).toEqual([log(1), log(2)]);
    expect(record()?.status).toBe('running');

    worker.send({
      type: 'done',
      runId,
      outcome: {
        status: 'done',
        epochs: [log(1), log(2)],
        testLoss: 0.21,
        testAcc: 0.9371,
        params: 50890,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(4, 4),
    });
    expect(store.getState().run.status).toBe('done');
    expect(record()).toMatchObject({ status: 'done', testAcc: 0.9371, testLoss: 0.21, error: null });
    const kept = await inRepo(id);
    expect(kept).toMatchObject({ status: 'done', testAcc: 0.9371, testLoss: 0.21, backend: 'webgl' });
    expect(kept?.epochs).toEqual([log(1), log(2)]);
  });

  test('messages of another run change nothing', async () => {
    const { store, worker, puts } = await setup();
    store.getState().train();
    const before = store.getState();
    const writes = puts.length;
    worker.send({ type: 'epoch', runId: before.run.runId + 1, log: log(1) });
    expect(store.getState()).toBe(before);
    expect(puts).toHaveLength(writes);
  });

  test('an error message keeps the run, as error, with its message', async () => {
    const { store, worker, stored: inRepo } = await setup();
    store.getState().train();
    const { runId } = store.getState().run;
    const id = store.getState().runs.liveId as string;
    worker.send({ type: 'error', runId, message: 'The loss became NaN', tensors: null });
    expect(store.getState().runs.list[0]).toMatchObject({ id, status: 'error', error: 'The loss became NaN' });
    expect(await inRepo(id)).toMatchObject({ status: 'error', error: 'The loss became NaN' });
  });

  test('a worker crash reported after a run finished leaves the run done, in the list and in storage (issue 10)', async () => {
    const { store, worker, stored: inRepo } = await setup();
    store.getState().train();
    const { runId } = store.getState().run;
    const id = store.getState().runs.liveId as string;
    worker.send({
      type: 'done',
      runId,
      outcome: {
        status: 'done',
        epochs: [log(1)],
        testLoss: 0.3,
        testAcc: 0.91,
        params: 25450,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(4, 4),
    });
    // The client reports a crash against the last run id it started.
    worker.send({ type: 'error', runId, message: 'The training worker crashed: out of memory.', tensors: null });
    expect(store.getState().run.status).toBe('done');
    expect(store.getState().runs.list[0]).toMatchObject({ id, status: 'done', testAcc: 0.91, error: null });
    expect(await inRepo(id)).toMatchObject({ status: 'done', error: null });
  });

  test('stop() asks the client to stop the current run only while it is busy', async () => {
    const { store, worker } = await setup();
    store.getState().stop();
    expect(worker.stopped).toEqual([]);
    store.getState().train();
    store.getState().stop();
    expect(worker.stopped).toEqual([1]);
  });
});

describe('createLabStore: kept runs', () => {
  test('a stored run still marked running comes back stopped and is written back so', async () => {
    const worker = fakeWorker();
    const {
      repo,
      puts,
      stored: inRepo,
    } = recordingRepo([stored('cut', 5_000, { status: 'running', epochs: [log(1)] }), stored('fine', 4_000)]);
    const store = createLabStore(SEARCH, (cb) => worker.makeClient(cb), repo, clock());
    expect(store.getState().runs.loaded).toBe(false);
    expect(store.getState().runs.list).toEqual([]);
    await tick();
    const { runs } = store.getState();
    expect(runs.loaded).toBe(true);
    expect(runs.problem).toBeNull();
    expect(runs.list.map((r) => [r.id, r.status])).toEqual([
      ['cut', 'stopped'],
      ['fine', 'done'],
    ]);
    expect(runs.list[0]?.epochs).toEqual([log(1)]);
    expect(puts.map((p) => [p.id, p.status])).toEqual([['cut', 'stopped']]);
    expect((await inRepo('cut'))?.status).toBe('stopped');
  });

  test('a run started before storage was read is kept alongside the stored ones', async () => {
    const worker = fakeWorker();
    const { repo } = recordingRepo([stored('old', 5_000)]);
    const store = createLabStore(SEARCH, (cb) => worker.makeClient(cb), repo, clock());
    store.getState().train();
    const liveId = store.getState().runs.liveId;
    await tick();
    const { runs } = store.getState();
    expect(runs.list.map((r) => r.id)).toEqual([liveId, 'old']);
    expect(runs.list[0]?.status).toBe('running');
    expect(runs.liveId).toBe(liveId);
  });

  test('deleteRuns removes runs from the list, the selection and the repository', async () => {
    const {
      store,
      deletes,
      stored: inRepo,
    } = await setup([stored('a', 1_000), stored('b', 2_000), stored('c', 3_000)]);
    store.getState().selectRuns(['c', 'a', 'nope']);
    expect(store.getState().runs.selected).toEqual(['c', 'a']);
    store.getState().deleteRuns(['a', 'b']);
    await tick();
    expect(store.getState().runs.list.map((r) => r.id)).toEqual(['c']);
    expect(store.getState().runs.selected).toEqual(['c']);
    expect(deletes).toEqual([['a', 'b']]);
    expect(await inRepo('a')).toBeUndefined();
    expect(await inRepo('b')).toBeUndefined();
    expect((await inRepo('c'))?.id).toBe('c');
  });

  test('deleteRuns never deletes the live run while it trains, but may once it is done', async () => {
    const { store, worker, deletes, stored: inRepo } = await setup([stored('a', 1_000)]);
    store.getState().train();
    const liveId = store.getState().runs.liveId as string;
    store.getState().selectRuns([liveId, 'a']);

    store.getState().deleteRuns([liveId]);
    expect(deletes).toEqual([]);
    expect(store.getState().runs.list.map((r) => r.id)).toEqual([liveId, 'a']);

    store.getState().deleteRuns([liveId, 'a']);
    expect(deletes).toEqual([['a']]);
    expect(store.getState().runs.list.map((r) => r.id)).toEqual([liveId]);
    expect(store.getState().runs.selected).toEqual([liveId]);
    expect(store.getState().runs.liveId).toBe(liveId);
    expect((await inRepo(liveId))?.id).toBe(liveId);

    const { runId } = store.getState().run;
    worker.send({ type: 'started', runId, trainCount: 54000, valCount: 6000, batches: 422 });
    store.getState().deleteRuns([liveId]);
    expect(store.getState().runs.list.map((r) => r.id)).toEqual([liveId]);

    worker.send({
      type: 'stopped',
      runId,
      outcome: {
        status: 'stopped',
        epochs: [],
        testLoss: null,
        testAcc: null,
        params: 50890,
        trainCount: 54000,
        valCount: 6000,
      },
      tensors: tensorCheck(1, 1),
    });
    store.getState().deleteRuns([liveId]);
    expect(store.getState().runs.list).toEqual([]);
    expect(store.getState().runs.selected).toEqual([]);
    expect(store.getState().runs.liveId).toBeNull();
    expect(deletes).toEqual([['a'], [liveId]]);
    expect(await inRepo(liveId)).toBeUndefined();
  });

  test('loadRunConfig puts a kept run config back into the controls', async () => {
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      layers: [
        { units: 128, activation: 'tanh' },
        { units: 16, activation: 'linear' },
      ],
      learningRate: 0.05,
      optimizer: 'momentum',
      seed: 99,
      subset: 2000,
    };
    const { store } = await setup([{ ...stored('x', 1_000), config }]);
    const before = store.getState().config;
    expect(before.layers).toEqual([{ units: 64, activation: 'relu' }]);
    store.getState().loadRunConfig('unknown');
    expect(store.getState().config).toBe(before);
    store.getState().loadRunConfig('x');
    expect(store.getState().config).toEqual(config);
  });

  test('a repository that cannot list gives a problem text, and loading still ends', async () => {
    const repo: RunsRepository = {
      persistent: true,
      list: () => Promise.reject(new Error('disk on fire')),
      put: () => Promise.resolve(),
      putMany: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      ...NO_MODELS,
    };
    const store = createLabStore(SEARCH, (cb) => fakeWorker().makeClient(cb), repo, clock());
    expect(store.getState().runs.problem).toBeNull();
    await tick();
    expect(store.getState().runs.loaded).toBe(true);
    expect(store.getState().runs.list).toEqual([]);
    expect(store.getState().runs.problem).toBe(
      'Could not read the kept runs: disk on fire. Runs of this visit are kept until the tab closes.',
    );
  });

  test('a repository that cannot save gives a problem text', async () => {
    const repo: RunsRepository = {
      persistent: true,
      list: () => Promise.resolve({ runs: [], unreadable: [] }),
      put: () => Promise.reject(new Error('quota exceeded')),
      putMany: () => Promise.reject(new Error('quota exceeded')),
      delete: () => Promise.resolve(),
      ...NO_MODELS,
    };
    const store = createLabStore(SEARCH, (cb) => fakeWorker().makeClient(cb), repo, clock());
    await tick();
    store.getState().train();
    await tick();
    expect(store.getState().runs.problem).toBe(
      'Could not save the run: quota exceeded. Runs of this visit are kept until the tab closes.',
    );
    expect(store.getState().runs.list).toHaveLength(1);
    // Issue 26, item 6: the run not saved is listed for the download the runs panel offers.
    const id = store.getState().runs.list[0]?.id;
    expect(store.getState().runs.unsaved).toEqual([id]);
  });

  test('item 13: unreadable stored records are kept, listed with the reason, and deleted only when asked', async () => {
    const many = await setup([
      stored('ok', 1_000),
      { id: 'broken', status: 'done' },
      'not a record',
      { ...stored('bad-cfg', 2_000), config: { layers: 'x' } },
    ]);
    const s = many.store.getState();
    expect(s.runs.loaded).toBe(true);
    expect(s.runs.list.map((r) => r.id)).toEqual(['ok']);
    expect(s.runs.unreadable.map((u) => [u.key, u.startedAt])).toEqual([
      ['broken', null],
      ['bad-2', null],
      ['bad-cfg', 2_000],
    ]);
    expect(s.runs.unreadable[2]?.reason).toBe('layers is "x", not a list');
    expect(s.runs.problem).toBeNull();
    // Nothing was deleted or rewritten by reading them.
    expect(many.deletes).toEqual([]);
    expect(many.puts).toEqual([]);

    many.store.getState().deleteUnreadable(['bad-cfg']);
    await tick();
    expect(many.store.getState().runs.unreadable.map((u) => u.key)).toEqual(['broken', 'bad-2']);
    const again = await many.repo.list();
    expect(again.unreadable.map((u) => u.key)).toEqual(['broken', 'bad-2']);
    expect(again.runs.map((r) => r.id)).toEqual(['ok']);
  });

  test('item 12: kept models stay within the storage budget: the 21st drops the oldest model (its run stays) and says which', async () => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, layers: [{ units: 64, activation: 'relu' }] };
    const kept = (): KeptModel => ({
      model: {
        layers: config.layers,
        preprocessing: 'raw',
        kernels: [new Float32Array(784 * 64), new Float32Array(640)],
        biases: [new Float32Array(64), new Float32Array(10)],
      },
      test: { labels: new Uint8Array(10), preds: new Uint8Array(10), probs: new Float32Array(100) },
    });
    const old = Array.from({ length: 20 }, (_, i) =>
      stored(`r${String(i).padStart(2, '0')}`, 1_000_000 + i * 1000, { config, params: 50_890 }),
    );
    const r = recordingRepo(old);
    for (const o of old) await r.repo.putModel(o.id, kept());
    const worker = fakeWorker();
    const store = createLabStore(SEARCH, (cb) => worker.makeClient(cb), r.repo, clock());
    await tick();
    await tick();
    expect(store.getState().models.available).toHaveLength(20);
    expect(store.getState().models.dropped).toBe('');
    expect(store.getState().models.storage).toMatchObject({ models: 20, modelBytes: 20 * (50_890 * 4 + 420_000) });

    store.getState().train();
    const runId = store.getState().run.runId;
    const id = store.getState().runs.liveId as string;
    worker.send({
      type: 'done',
      runId,
      outcome: {
        status: 'done',
        epochs: [log(1)],
        testLoss: 0.2,
        testAcc: 0.95,
        params: 50_890,
        trainCount: 54000,
        valCount: 6000,
        kept: kept(),
      },
      tensors: tensorCheck(4, 4),
    });
    for (let i = 0; i < 5; i++) await tick();
    const ids = await r.repo.modelIds();
    expect(ids).toHaveLength(20);
    expect(ids).toContain(id);
    expect(ids).not.toContain('r00');
    expect((await r.repo.list()).runs.map((x) => x.id)).toContain('r00');
    const m = store.getState().models;
    expect(m.available).not.toContain('r00');
    expect(m.dropped).toMatch(
      /^Kept models are limited to the newest 20 and 250 MB: the trained model of 64 relu \(.+\) was dropped\./,
    );
    expect(m.storage?.models).toBe(20);
  });

  test('item 12: when the stored runs cannot be read, no stored model is taken for an orphan and deleted', async () => {
    const inner = memoryRuns([], true);
    const model: KeptModel = {
      model: {
        layers: [{ units: 64, activation: 'relu' }],
        preprocessing: 'raw',
        kernels: [new Float32Array(784 * 64), new Float32Array(640)],
        biases: [new Float32Array(64), new Float32Array(10)],
      },
      test: { labels: new Uint8Array(10), preds: new Uint8Array(10), probs: new Float32Array(100) },
    };
    await inner.putModel('older-run', model);
    const repo: RunsRepository = { ...inner, persistent: true, list: () => Promise.reject(new Error('disk on fire')) };
    const worker = fakeWorker();
    const store = createLabStore(SEARCH, (cb) => worker.makeClient(cb), repo, clock());
    await tick();
    store.getState().train();
    worker.send({
      type: 'done',
      runId: store.getState().run.runId,
      outcome: {
        status: 'done',
        epochs: [log(1)],
        testLoss: 0.2,
        testAcc: 0.95,
        params: 50_890,
        trainCount: 54000,
        valCount: 6000,
        kept: model,
      },
      tensors: tensorCheck(4, 4),
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(await inner.modelIds()).toContain('older-run');
    expect(await inner.modelIds()).toHaveLength(2);
  });

  test('without persistent storage the runs panel says so from the start', async () => {
    const store = createLabStore(SEARCH, (cb) => fakeWorker().makeClient(cb), memoryRuns(), clock());
    expect(store.getState().runs.problem).toMatch(/no IndexedDB/);
    await tick();
    expect(store.getState().runs.problem).toMatch(/no IndexedDB/);
    expect(store.getState().runs.loaded).toBe(true);
  });
});
