import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/network/spec';
import { newRunRecord, type RunRecord } from '../../../src/core/runs/runs';
import { readRunRecord, toStored } from '../../../src/core/runs/runSchema';
import { readTrace, TRACE_HEALTH, TRACE_SAMPLES } from '../../../src/core/runs/trace';
import { memoryRuns } from '../../../src/store/runsDb';
import { createLabStore } from '../../../src/store/store';
import { fakeWorker, tensorCheck } from './fakeWorker';

// Issue 25, item 3: the last run stays in view. A finished run keeps its curve and layer health
// (thinned) with its record; after a reload the main view shows the newest run that ended, and
// choosing a run in the history shows it, until a new run starts or the person goes back.

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const clock = () => {
  let t = 1_700_000_000_000;
  return () => (t += 1000);
};
const layer = { gradRms: 1e-3, updateRatio: 1e-4, actMean: 0.5, saturated: 0.1, dead: null };
const health = (x: number) => ({ x, layers: [layer, { ...layer, saturated: null }], clipped: 0 });
const log = (epoch: number) => ({ epoch, loss: 1 / epoch, acc: 0.8, valLoss: 0.7, valAcc: 0.81, seconds: 2 });

/** Trains one run on `worker` to the end: `n` samples and health samples, two epochs. */
function trainOne(store: ReturnType<typeof createLabStore>, worker: ReturnType<typeof fakeWorker>, n: number) {
  store.getState().train();
  const runId = store.getState().run.runId;
  worker.send({ type: 'started', runId, trainCount: 5400, valCount: 600, batches: 43 });
  for (let i = 0; i < n; i++)
    worker.send({
      type: 'progress',
      runId,
      progress: { epoch: 1, batch: i, batches: 43, loss: 0.5, acc: 0.8, samplesPerSecond: 1000 },
      samples: [{ x: i / n, loss: 2 - i / n, acc: i / n }],
      health: [health(i / n)],
      tiles: null,
      probe: null,
    });
  worker.send({ type: 'epoch', runId, log: log(1) });
  worker.send({ type: 'epoch', runId, log: log(2) });
  const outcome = { status: 'done' as const, epochs: [log(1), log(2)], testLoss: 0.3, testAcc: 0.91, params: 1 };
  worker.send({
    type: 'done',
    runId,
    outcome: { ...outcome, trainCount: 5400, valCount: 600 },
    tensors: tensorCheck(1, 1),
  });
  return store.getState().runs.liveId as string;
}

describe('the run shown in the main view', () => {
  test('a finished run keeps its curve and health, thinned, and a reload shows it as it ended', async () => {
    const worker = fakeWorker();
    const repo = memoryRuns();
    const store = createLabStore('?layers=8&epochs=2', (cb) => worker.makeClient(cb), repo, clock());
    await tick();
    const id = trainOne(store, worker, 1000);
    const live = store.getState().run;
    const record = store.getState().runs.list.find((r) => r.id === id) as RunRecord;
    expect(record.trace?.samples).toHaveLength(TRACE_SAMPLES);
    expect(record.trace?.health).toHaveLength(TRACE_HEALTH);
    expect(record.trace?.samples.at(-1)).toEqual(live.samples.at(-1));
    expect(store.getState().shown).toBeNull(); // the live run is the view

    // "Reload": a new store on the same storage.
    await tick();
    const again = createLabStore('?layers=8&epochs=2', (cb) => fakeWorker().makeClient(cb), repo, clock());
    await tick();
    const shown = again.getState().shown;
    expect(shown?.id).toBe(id);
    expect(shown?.run.status).toBe('done');
    expect(shown?.run.outcome?.testAcc).toBe(0.91);
    expect(shown?.run.epochs).toEqual([log(1), log(2)]);
    expect(shown?.run.samples).toEqual(record.trace?.samples);
    expect(shown?.run.health).toEqual(record.trace?.health);
    expect(shown?.run.config).toEqual(record.config);
    expect(again.getState().run.status).toBe('idle');
  });

  test('choosing a kept run shows it; a new run, going back or deleting it ends that', async () => {
    const worker = fakeWorker();
    const older = { ...newRunRecord('older', 1_000, DEFAULT_CONFIG), status: 'done' as const, epochs: [log(1)] };
    const store = createLabStore('?layers=8&epochs=2', (cb) => worker.makeClient(cb), memoryRuns([older]), clock());
    await tick();
    expect(store.getState().shown?.id).toBe('older'); // after the "reload", the newest that ended
    const id = trainOne(store, worker, 10);
    expect(store.getState().shown).toBeNull(); // training takes the view
    store.getState().showRun('older');
    expect(store.getState().shown?.run.epochs).toEqual([log(1)]);
    expect(store.getState().shown?.run.samples).toEqual([]); // a record without a trace: epochs only
    store.getState().showRun(id); // the live run of this visit is the live view
    expect(store.getState().shown).toBeNull();
    store.getState().showRun('older');
    store.getState().deleteRuns(['older']);
    expect(store.getState().shown).toBeNull();
    store.getState().showRun('no-such-run');
    expect(store.getState().shown).toBeNull();
  });

  test('a stored trace round-trips; one that is not a trace is dropped and the run still read', () => {
    const run: RunRecord = {
      ...newRunRecord('r', 1_000, DEFAULT_CONFIG),
      status: 'done',
      trace: { samples: [{ x: 0.5, loss: 1, acc: 0.6 }], health: [health(0.5)] },
    };
    const read = readRunRecord(structuredClone(toStored(run)));
    expect(read.ok && read.record.trace).toEqual(run.trace);
    for (const bad of [
      { samples: 'x', health: [] },
      { samples: [{ x: 1 }], health: [] },
      { samples: [], health: [{ x: 1, layers: [{ gradRms: 'a' }], clipped: 0 }] },
    ]) {
      const r = readRunRecord({ ...toStored(run), trace: bad });
      expect(r.ok, JSON.stringify(bad)).toBe(true);
      expect(r.ok && r.record.trace).toBeUndefined();
    }
    expect(
      readTrace({ samples: Array.from({ length: 5000 }, (_, i) => ({ x: i, loss: 1, acc: 0 })), health: [] })?.samples,
    ).toHaveLength(TRACE_SAMPLES);
  });
});
