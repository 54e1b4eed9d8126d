import { describe, expect, test } from 'vitest';
import { IDLE_RUN, reduceRun, startRun, type RunState } from '../../../src/store/runSlice';
import type { EpochLog, Progress, RunOutcome, TensorCheck, RunMessage } from '../../../src/worker/protocol';

const RUN = 7;

const progress = (epoch: number, batch: number, batches: number, acc: number, loss: number): Progress => ({
  epoch,
  batch,
  batches,
  acc,
  loss,
  samplesPerSecond: 5000,
});

const epochLog: EpochLog = { epoch: 1, loss: 0.92, acc: 0.78, valLoss: 0.51, valAcc: 0.88, seconds: 2.5 };

const outcome: RunOutcome = {
  status: 'done',
  epochs: [epochLog],
  testLoss: 0.49,
  testAcc: 0.873,
  params: 25450,
  trainCount: 5400,
  valCount: 600,
};

const tensors: TensorCheck = { before: 3, after: 3 };

/** A whole one-epoch run as the worker reports it. */
const messages: RunMessage[] = [
  { type: 'backend', runId: RUN, name: 'cpu', reason: 'WebGL is not available' },
  { type: 'loading', runId: RUN, loaded: 6000, total: 6000, fromCache: true },
  { type: 'started', runId: RUN, trainCount: 5400, valCount: 600, batches: 43 },
  { type: 'progress', runId: RUN, progress: progress(1, 10, 40, 0.45, 1.9) },
  { type: 'progress', runId: RUN, progress: progress(1, 40, 40, 0.78, 0.92) },
  { type: 'epoch', runId: RUN, log: epochLog },
  { type: 'done', runId: RUN, outcome, tensors },
];

const replay = (from: RunState, ms: readonly RunMessage[]): RunState[] => {
  const states: RunState[] = [];
  let s = from;
  for (const m of ms) {
    s = reduceRun(s, m);
    states.push(s);
  }
  return states;
};

describe('startRun', () => {
  test('a fresh run is loading, empty, and remembers its id and start time', () => {
    const s = startRun(RUN, 1_700_000_000_000);
    expect(s).toEqual({ ...IDLE_RUN, runId: RUN, status: 'loading', startedAt: 1_700_000_000_000 });
    expect(s.live).toEqual([]);
    expect(s.epochs).toEqual([]);
    expect(IDLE_RUN.status).toBe('idle');
    expect(IDLE_RUN.runId).toBe(0);
  });
});

describe('reduceRun', () => {
  test('a run goes loading -> training -> done and collects what the worker reports', () => {
    const start = startRun(RUN, 1000);
    const states = replay(start, messages);
    expect(states.map((s) => s.status)).toEqual(['loading', 'loading', 'training', 'training', 'training', 'training', 'done']);

    const [afterBackend, afterLoading, afterStarted] = states as [RunState, RunState, RunState];
    expect(afterBackend.backend).toEqual({ name: 'cpu', reason: 'WebGL is not available' });
    expect(afterLoading.loading).toEqual({ loaded: 6000, total: 6000, fromCache: true });
    expect(afterStarted.plan).toEqual({ trainCount: 5400, valCount: 600, batches: 43 });
    expect(afterStarted.live).toEqual([]);

    const end = states[states.length - 1] as RunState;
    expect(end.live).toEqual([
      { x: 0.25, acc: 0.45, loss: 1.9 },
      { x: 1, acc: 0.78, loss: 0.92 },
    ]);
    expect(end.progress).toEqual(progress(1, 40, 40, 0.78, 0.92));
    expect(end.epochs).toEqual([epochLog]);
    expect(end.outcome).toEqual(outcome);
    expect(end.tensors).toEqual({ before: 3, after: 3 });
    expect(end.error).toBeNull();
    expect(end.runId).toBe(RUN);
    expect(end.startedAt).toBe(1000);
    expect(end.backend).toEqual({ name: 'cpu', reason: 'WebGL is not available' });
    expect(end.plan).toEqual({ trainCount: 5400, valCount: 600, batches: 43 });
    // The state it started from is untouched.
    expect(start).toEqual(startRun(RUN, 1000));
  });

  test('live points are placed at epoch - 1 + batch / batches', () => {
    let s = reduceRun(startRun(RUN, 0), { type: 'started', runId: RUN, trainCount: 400, valCount: 0, batches: 4 });
    for (const p of [progress(1, 2, 4, 0.3, 2), progress(3, 1, 4, 0.8, 0.6), progress(5, 4, 4, 0.9, 0.3)]) {
      s = reduceRun(s, { type: 'progress', runId: RUN, progress: p });
    }
    expect(s.live.map((p) => p.x)).toEqual([0.5, 2.25, 5]);
    expect(s.live.map((p) => p.acc)).toEqual([0.3, 0.8, 0.9]);
    expect(s.live.map((p) => p.loss)).toEqual([2, 0.6, 0.3]);
  });

  test('messages of another run are ignored', () => {
    const s = replay(startRun(RUN, 0), messages.slice(0, 4)).at(-1) as RunState;
    const others: RunMessage[] = [
      { type: 'backend', runId: RUN - 1, name: 'webgl', reason: '' },
      { type: 'progress', runId: RUN - 1, progress: progress(2, 5, 10, 0.1, 3) },
      { type: 'epoch', runId: RUN + 1, log: epochLog },
      { type: 'done', runId: RUN - 1, outcome, tensors },
      { type: 'error', runId: RUN + 1, message: 'out of memory', tensors: null },
    ];
    for (const m of others) expect(reduceRun(s, m)).toBe(s);
    expect(s.status).toBe('training');
    expect(s.live).toHaveLength(1);
  });

  test('an error sets status error, its message and the tensor check', () => {
    const training = replay(startRun(RUN, 0), messages.slice(0, 4)).at(-1) as RunState;
    const s = reduceRun(training, {
      type: 'error',
      runId: RUN,
      message: 'The loss became NaN at epoch 1, batch 12',
      tensors: { before: 3, after: 5 },
    });
    expect(s.status).toBe('error');
    expect(s.error).toBe('The loss became NaN at epoch 1, batch 12');
    expect(s.tensors).toEqual({ before: 3, after: 5 });
    expect(s.outcome).toBeNull();
    expect(s.live).toEqual(training.live);

    const early = reduceRun(startRun(RUN, 0), { type: 'error', runId: RUN, message: 'could not load MNIST', tensors: null });
    expect(early.status).toBe('error');
    expect(early.error).toBe('could not load MNIST');
    expect(early.tensors).toBeNull();
  });

  test('a stop sets status stopped with the partial outcome', () => {
    const training = replay(startRun(RUN, 0), messages.slice(0, 5)).at(-1) as RunState;
    const partial: RunOutcome = { ...outcome, status: 'stopped', epochs: [], testLoss: null, testAcc: null };
    const s = reduceRun(training, { type: 'stopped', runId: RUN, outcome: partial, tensors: { before: 3, after: 3 } });
    expect(s.status).toBe('stopped');
    expect(s.outcome).toEqual(partial);
    expect(s.tensors).toEqual({ before: 3, after: 3 });
    expect(s.error).toBeNull();
    expect(s.live).toHaveLength(2);
  });
});
