import { describe, expect, test } from 'vitest';
import { tensorCheck } from '../fakeWorker';
import {
  IDLE_RUN,
  MAX_HEALTH_SAMPLES,
  MAX_TRAIN_SAMPLES,
  reduceRun,
  startRun,
  type RunState,
} from '../../../../src/store/slices/runState';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import type {
  EpochLog,
  HealthSample,
  Progress,
  RunOutcome,
  TensorCheck,
  RunMessage,
  TrainSample,
} from '../../../../src/worker/protocol';

const RUN = 7;

const progress = (epoch: number, batch: number, batches: number, acc: number, loss: number): Progress => ({
  epoch,
  batch,
  batches,
  acc,
  loss,
  samplesPerSecond: 5000,
});

/** A progress message as the worker sends it: the running means, and the samples since the last one. */
const tick = (
  p: Progress,
  samples: TrainSample[] = [{ x: p.epoch - 1 + p.batch / p.batches, loss: p.loss, acc: p.acc }],
  health: HealthSample[] = [],
): RunMessage => ({
  type: 'progress',
  runId: RUN,
  progress: p,
  samples,
  health,
  tiles: null,
  probe: null,
});

const config = { ...DEFAULT_CONFIG, epochs: 3 };

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

const tensors: TensorCheck = tensorCheck(3, 3);

/** A whole one-epoch run as the worker reports it. */
const messages: RunMessage[] = [
  { type: 'backend', runId: RUN, name: 'cpu', reason: 'WebGL is not available' },
  { type: 'loading', runId: RUN, loaded: 6000, total: 6000, fromCache: true },
  { type: 'started', runId: RUN, trainCount: 5400, valCount: 600, batches: 43 },
  tick(progress(1, 10, 40, 0.45, 1.9)),
  tick(progress(1, 40, 40, 0.78, 0.92)),
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
    const s = startRun(RUN, 1_700_000_000_000, config);
    expect(s).toEqual({ ...IDLE_RUN, runId: RUN, status: 'loading', startedAt: 1_700_000_000_000, config });
    expect(s.samples).toEqual([]);
    expect(s.health).toEqual([]);
    expect(IDLE_RUN.config).toBeNull();
    expect(s.epochs).toEqual([]);
    expect(IDLE_RUN.status).toBe('idle');
    expect(IDLE_RUN.runId).toBe(0);
  });
});

describe('reduceRun', () => {
  test('a run goes loading -> training -> done and collects what the worker reports', () => {
    const start = startRun(RUN, 1000, config);
    const states = replay(start, messages);
    expect(states.map((s) => s.status)).toEqual([
      'loading',
      'loading',
      'training',
      'training',
      'training',
      'training',
      'done',
    ]);

    const [afterBackend, afterLoading, afterStarted] = states as [RunState, RunState, RunState];
    expect(afterBackend.backend).toEqual({ name: 'cpu', reason: 'WebGL is not available', trial: null });
    expect(afterLoading.loading).toEqual({ loaded: 6000, total: 6000, fromCache: true });
    expect(afterStarted.plan).toEqual({ trainCount: 5400, valCount: 600, batches: 43 });
    expect(afterStarted.samples).toEqual([]);

    const end = states[states.length - 1] as RunState;
    expect(end.samples).toEqual([
      { x: 0.25, acc: 0.45, loss: 1.9 },
      { x: 1, acc: 0.78, loss: 0.92 },
    ]);
    expect(end.config).toBe(config);
    expect(end.progress).toEqual(progress(1, 40, 40, 0.78, 0.92));
    expect(end.epochs).toEqual([epochLog]);
    expect(end.outcome).toEqual(outcome);
    expect(end.tensors).toEqual(tensorCheck(3, 3));
    expect(end.error).toBeNull();
    expect(end.runId).toBe(RUN);
    expect(end.startedAt).toBe(1000);
    expect(end.backend).toEqual({ name: 'cpu', reason: 'WebGL is not available', trial: null });
    expect(end.plan).toEqual({ trainCount: 5400, valCount: 600, batches: 43 });
    // The state it started from is untouched.
    expect(start).toEqual(startRun(RUN, 1000, config));
  });

  test('auto: "choosing" while it times the backends, then the backend with the times it chose by', () => {
    const trial = {
      device: 'd',
      sizeClass: 23,
      times: [
        { name: 'wasm' as const, label: 'WebAssembly (CPU, 1 thread)', ms: 9 },
        { name: 'webgl' as const, label: 'WebGL (software renderer)', ms: 52 },
      ],
      chosen: 'wasm' as const,
      source: 'measured' as const,
      at: 1,
    };
    const [choosing, chosen] = replay(startRun(RUN, 1000, config), [
      { type: 'choosing', runId: RUN },
      { type: 'backend', runId: RUN, name: 'wasm', reason: 'WebAssembly on the CPU', trial },
    ]) as [RunState, RunState];
    expect(choosing).toMatchObject({ status: 'loading', choosing: true, backend: null });
    expect(chosen).toMatchObject({ status: 'loading', choosing: false, backend: { name: 'wasm', trial } });
  });

  test('samples of every progress message are appended in order, several per message too', () => {
    let s = reduceRun(startRun(RUN, 0, config), {
      type: 'started',
      runId: RUN,
      trainCount: 400,
      valCount: 0,
      batches: 4,
    });
    s = reduceRun(
      s,
      tick(progress(1, 2, 4, 0.3, 2), [
        { x: 0.25, loss: 2.2, acc: 0.2 },
        { x: 0.5, loss: 2, acc: 0.3 },
      ]),
    );
    s = reduceRun(s, tick(progress(3, 1, 4, 0.8, 0.6), []));
    s = reduceRun(s, tick(progress(5, 4, 4, 0.9, 0.3), [{ x: 5, loss: 0.3, acc: 0.9 }]));
    expect(s.samples.map((p) => p.x)).toEqual([0.25, 0.5, 5]);
    expect(s.samples.map((p) => p.acc)).toEqual([0.2, 0.3, 0.9]);
    expect(s.progress?.epoch).toBe(5);
  });

  test('health samples, tiles and the probe follow the newest message; long runs stay bounded', () => {
    const layer = { gradRms: 1e-3, updateRatio: 1e-4, actMean: 0.5, saturated: 0.9, dead: null };
    const health = (x: number): HealthSample => ({ x, layers: [layer, { ...layer, saturated: null }], clipped: 0 });
    let s = reduceRun(startRun(RUN, 0, config), {
      type: 'started',
      runId: RUN,
      trainCount: 400,
      valCount: 0,
      batches: 4,
    });
    const tiles = { units: 2, values: new Float32Array(1568), x: 0.5 };
    const probe = { probeId: 3, probs: new Float32Array(10).fill(0.1), x: 0.5 };
    s = reduceRun(s, {
      ...(tick(progress(1, 2, 4, 0.3, 2)) as Extract<RunMessage, { type: 'progress' }>),
      health: [health(0.5)],
      tiles,
      probe,
    });
    expect(s.health).toEqual([health(0.5)]);
    expect(s.tiles).toBe(tiles);
    expect(s.probe).toBe(probe);
    // A message without tiles or probe keeps the last ones.
    s = reduceRun(s, tick(progress(1, 4, 4, 0.4, 1.9), [], [health(1)]));
    expect(s.tiles).toBe(tiles);
    expect(s.probe).toBe(probe);
    expect(s.health.map((h) => h.x)).toEqual([0.5, 1]);
    // Thousands of samples: the history stays within its bound and keeps the newest.
    for (let i = 0; i < 50; i++) {
      const many = Array.from({ length: 100 }, (_, k) => ({ x: i * 100 + k, loss: 1, acc: 0.5 }));
      s = reduceRun(
        s,
        tick(
          progress(1, 4, 4, 0.4, 1.9),
          many,
          many.map((m) => health(m.x)),
        ),
      );
    }
    expect(s.samples.length).toBeLessThanOrEqual(MAX_TRAIN_SAMPLES);
    expect(s.health.length).toBeLessThanOrEqual(MAX_HEALTH_SAMPLES);
    expect(s.samples.at(-1)?.x).toBe(4999);
    expect(s.health.at(-1)?.x).toBe(4999);
    expect(s.samples[0]?.x).toBe(0.25 * 0 + 0.5); // the first sample survives the thinning
  });

  test('a run that ended stays ended: a crash reported after done does not make it an error (issue 10)', () => {
    const done = replay(startRun(RUN, 0, config), messages).at(-1) as RunState;
    expect(done.status).toBe('done');
    const late: RunMessage[] = [
      { type: 'error', runId: RUN, message: 'The training worker crashed: out of memory.', tensors: null },
      tick(progress(1, 40, 40, 0.1, 9)),
      { type: 'stopped', runId: RUN, outcome, tensors },
    ];
    for (const m of late) expect(reduceRun(done, m)).toBe(done);
  });

  test('messages of another run are ignored', () => {
    const s = replay(startRun(RUN, 0, config), messages.slice(0, 4)).at(-1) as RunState;
    const others: RunMessage[] = [
      { type: 'backend', runId: RUN - 1, name: 'webgl', reason: '' },
      { ...(tick(progress(2, 5, 10, 0.1, 3)) as Extract<RunMessage, { type: 'progress' }>), runId: RUN - 1 },
      { type: 'epoch', runId: RUN + 1, log: epochLog },
      { type: 'done', runId: RUN - 1, outcome, tensors },
      { type: 'error', runId: RUN + 1, message: 'out of memory', tensors: null },
    ];
    for (const m of others) expect(reduceRun(s, m)).toBe(s);
    expect(s.status).toBe('training');
    expect(s.samples).toHaveLength(1);
  });

  test('an error sets status error, its message and the tensor check', () => {
    const training = replay(startRun(RUN, 0, config), messages.slice(0, 4)).at(-1) as RunState;
    const s = reduceRun(training, {
      type: 'error',
      runId: RUN,
      message: 'The loss became NaN at epoch 1, batch 12',
      tensors: tensorCheck(3, 5),
    });
    expect(s.status).toBe('error');
    expect(s.error).toBe('The loss became NaN at epoch 1, batch 12');
    expect(s.tensors).toEqual(tensorCheck(3, 5));
    expect(s.outcome).toBeNull();
    expect(s.samples).toEqual(training.samples);

    const early = reduceRun(startRun(RUN, 0, config), {
      type: 'error',
      runId: RUN,
      message: 'could not load MNIST',
      tensors: null,
    });
    expect(early.status).toBe('error');
    expect(early.error).toBe('could not load MNIST');
    expect(early.tensors).toBeNull();
  });

  test('a stop sets status stopped with the partial outcome', () => {
    const training = replay(startRun(RUN, 0, config), messages.slice(0, 5)).at(-1) as RunState;
    const partial: RunOutcome = { ...outcome, status: 'stopped', epochs: [], testLoss: null, testAcc: null };
    const s = reduceRun(training, { type: 'stopped', runId: RUN, outcome: partial, tensors: tensorCheck(3, 3) });
    expect(s.status).toBe('stopped');
    expect(s.outcome).toEqual(partial);
    expect(s.tensors).toEqual(tensorCheck(3, 3));
    expect(s.error).toBeNull();
    expect(s.samples).toHaveLength(2);
  });
});
