import { describe, expect, test } from 'vitest';
import { tensorCheck } from '../fakeWorker';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { reduceRun, startRun, type RunState } from '../../../../src/store/slices/runState';
import {
  EMPTY_RUNS,
  mergeStored,
  recordFromRun,
  toggleSelected,
  upsert,
  type RunsState,
} from '../../../../src/store/slices/runsSlice';
import type { EpochLog, RunMessage, RunOutcome } from '../../../../src/worker/protocol';

const RUN = 3;

const log = (epoch: number): EpochLog => ({ epoch, loss: 1 / epoch, acc: 0.8, valLoss: 0.7, valAcc: 0.82, seconds: 2 });

const outcome = (status: 'done' | 'stopped', testAcc: number | null, testLoss: number | null): RunOutcome => ({
  status,
  epochs: [log(1), log(2)],
  testAcc,
  testLoss,
  params: 25450,
  trainCount: 5400,
  valCount: 600,
});

const play = (ms: readonly RunMessage[]): RunState => ms.reduce(reduceRun, startRun(RUN, 1000, DEFAULT_CONFIG));

const started: RunMessage[] = [
  { type: 'backend', runId: RUN, name: 'wasm', reason: 'WebGL is not available' },
  { type: 'started', runId: RUN, trainCount: 5400, valCount: 600, batches: 43 },
  { type: 'epoch', runId: RUN, log: log(1) },
  { type: 'epoch', runId: RUN, log: log(2) },
];

const rec = (id: string, startedAt: number, o: Partial<RunRecord> = {}): RunRecord => ({
  ...newRunRecord(id, startedAt, DEFAULT_CONFIG),
  ...o,
});

describe('recordFromRun', () => {
  const fresh = newRunRecord('r1', 1000, DEFAULT_CONFIG);

  test('a finished run: status, epochs, test result, backend and counts', () => {
    const run = play([
      ...started,
      { type: 'done', runId: RUN, outcome: outcome('done', 0.91, 0.3), tensors: tensorCheck(2, 2) },
    ]);
    expect(recordFromRun(fresh, run)).toEqual({
      ...fresh,
      status: 'done',
      epochs: [log(1), log(2)],
      testAcc: 0.91,
      testLoss: 0.3,
      backend: 'wasm',
      trainCount: 5400,
      valCount: 600,
      error: null,
      trace: { samples: run.samples, health: run.health },
    });
    expect(fresh.status).toBe('running');
    expect(fresh.epochs).toEqual([]);
  });

  test('a run still loading or training stays running', () => {
    expect(recordFromRun(fresh, startRun(RUN, 1000, DEFAULT_CONFIG)).status).toBe('running');
    const training = play(started);
    const r = recordFromRun(fresh, training);
    expect(r.status).toBe('running');
    expect(r.epochs).toHaveLength(2);
    expect(r.testAcc).toBeNull();
  });

  test('what the run state does not know yet is kept from the record', () => {
    const known = { ...fresh, backend: 'webgl', trainCount: 900, valCount: 100 };
    const r = recordFromRun(known, startRun(RUN, 1000, DEFAULT_CONFIG));
    expect(r.backend).toBe('webgl');
    expect(r.trainCount).toBe(900);
    expect(r.valCount).toBe(100);
  });

  test('a stopped run without a test result, and a failed run with its message', () => {
    const stopped = recordFromRun(
      fresh,
      play([
        ...started,
        { type: 'stopped', runId: RUN, outcome: outcome('stopped', null, null), tensors: tensorCheck(2, 2) },
      ]),
    );
    expect(stopped.status).toBe('stopped');
    expect(stopped.testAcc).toBeNull();
    expect(stopped.testLoss).toBeNull();
    const failed = recordFromRun(
      fresh,
      play([...started, { type: 'error', runId: RUN, message: 'out of memory', tensors: null }]),
    );
    expect(failed.status).toBe('error');
    expect(failed.error).toBe('out of memory');
    expect(failed.epochs).toHaveLength(2);
  });
});

describe('upsert', () => {
  test('adds a record in newest-first order without touching the list', () => {
    const list = [rec('c', 300), rec('a', 100)];
    const next = upsert(list, rec('b', 200));
    expect(next.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(list.map((r) => r.id)).toEqual(['c', 'a']);
  });

  test('replaces the record with the same id', () => {
    const list = [rec('b', 200), rec('a', 100)];
    const next = upsert(list, rec('a', 100, { status: 'done', testAcc: 0.9 }));
    expect(next).toHaveLength(2);
    expect(next.map((r) => r.id)).toEqual(['b', 'a']);
    expect(next[1]?.status).toBe('done');
    expect(next[1]?.testAcc).toBe(0.9);
    expect(list[1]?.status).toBe('running');
  });
});

describe('mergeStored', () => {
  test('stored runs still marked running come back stopped and are listed for writing back', () => {
    const stored = [rec('old', 100, { status: 'running', epochs: [log(1)] }), rec('done', 200, { status: 'done' })];
    const { list, repaired } = mergeStored([], stored);
    expect(list.map((r) => [r.id, r.status])).toEqual([
      ['done', 'done'],
      ['old', 'stopped'],
    ]);
    expect(repaired).toEqual([{ ...stored[0], status: 'stopped' }]);
    expect(list[1]?.epochs).toEqual([log(1)]);
    expect(stored[0]?.status).toBe('running');
  });

  test('runs started in this tab before storage was read are kept, and win over a stored copy', () => {
    const live = rec('live', 300, { epochs: [log(1), log(2)] });
    const staleCopy = rec('live', 300, { epochs: [] });
    const { list, repaired } = mergeStored(
      [live],
      [rec('old', 100, { status: 'running' }), staleCopy, rec('done', 200, { status: 'done' })],
    );
    expect(list.map((r) => [r.id, r.status])).toEqual([
      ['live', 'running'],
      ['done', 'done'],
      ['old', 'stopped'],
    ]);
    expect(list[0]).toBe(live);
    expect(repaired.map((r) => r.id)).toEqual(['old']);
  });

  test('nothing stored: the current list, nothing repaired', () => {
    const current = [rec('a', 1)];
    expect(mergeStored(current, [])).toEqual({ list: current, repaired: [] });
  });
});

describe('toggleSelected', () => {
  const runs: RunsState = { ...EMPTY_RUNS, list: [rec('a', 1), rec('b', 2), rec('c', 3)] };

  test('ticks in the order clicked and unticks', () => {
    const one = toggleSelected(runs, 'c');
    expect(one).toEqual(['c']);
    const two = toggleSelected({ ...runs, selected: one }, 'a');
    expect(two).toEqual(['c', 'a']);
    expect(toggleSelected({ ...runs, selected: two }, 'c')).toEqual(['a']);
  });

  test('an unknown id is not ticked, but a ticked id no longer listed can be unticked', () => {
    expect(toggleSelected(runs, 'zzz')).toEqual([]);
    expect(toggleSelected({ ...runs, selected: ['gone', 'a'] }, 'gone')).toEqual(['a']);
  });
});
