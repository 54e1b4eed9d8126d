// The store pulls in worker/client.ts, which reads import.meta.env (typed by Vite).
/// <reference types="vite/client" />
import type { TrainConfig } from '../../../src/core/network/spec';
import type { StepResult } from '../../../src/core/step/step';
import type { GroupTime } from '../../../src/core/runs/groupTrial';
import { FinderCurve, finderRate, RATE_FINDER, type FinderPoint } from '../../../src/core/network/rateFinder';
import type { RunMessage, TensorCheck, TrainingClient, TrainOptions } from '../../../src/worker/client';

/** A TrainingClient without a worker: the test plays the worker by calling `send`. */
export function fakeWorker() {
  let onMessage: ((m: RunMessage) => void) | null = null;
  const trained: TrainConfig[] = [];
  /** What each train call asked besides its config (quiet, threads). */
  const trainOptions: (TrainOptions | undefined)[] = [];
  const stopped: number[] = [];
  /** Each trainGroup call: its configs and the run ids it returned. */
  const groups: { configs: readonly TrainConfig[]; runIds: number[] }[] = [];
  const probes: { probeId: number; input: Float32Array | null }[] = [];
  // Steps asked for; each waits until the test answers it with `stepAnswer`.
  const steps: { config: TrainConfig; input: Float32Array | null; reset: boolean }[] = [];
  const stepAnswers: ((r: StepResult) => void)[] = [];
  // Group trials asked for; each waits until the test answers it (trialAnswer) or fails it.
  const trials: { config: TrainConfig; sizes: readonly number[] }[] = [];
  const trialAnswers: { resolve: (t: readonly GroupTime[]) => void; reject: (e: Error) => void }[] = [];
  let nextRunId = 1;
  const client: TrainingClient = {
    train(config, _modelId, options) {
      trained.push(config);
      trainOptions.push(options);
      return nextRunId++;
    },
    trainGroup(configs) {
      const runIds = configs.map(() => nextRunId++);
      groups.push({ configs, runIds });
      return runIds;
    },
    stop(runId) {
      stopped.push(runId);
    },
    sample: () => Promise.reject(new Error('no samples in this test')),
    predict: () => Promise.reject(new Error('no predictions in this test')),
    testModel: () => Promise.reject(new Error('no model tests in this test')),
    step: (config, input, reset) => {
      steps.push({ config, input, reset });
      return new Promise<StepResult>((resolve) => stepAnswers.push(resolve));
    },
    stepUnit: (layer, unit) => Promise.resolve({ layer, unit, weights: new Float32Array(784), bias: 0 }),
    // A finder's curve: the loss falls fastest near 1e-3 and blows up past 1.
    findRate: (_config, onPoint) => {
      const curve = new FinderCurve();
      for (let i = 0; i < RATE_FINDER.steps; i++) {
        const rate = finderRate(i);
        const x = Math.log10(rate);
        if (!curve.add(rate, x < 0 ? 2.3 - 2 / (1 + Math.exp(-2.5 * (x + 3))) : 0.3 + 10 * rate)) break;
        onPoint(curve.points.at(-1) as FinderPoint, i);
      }
      return Promise.resolve(curve.points);
    },
    timeGroups: (config, sizes) => {
      trials.push({ config, sizes });
      return new Promise((resolve, reject) => trialAnswers.push({ resolve, reject }));
    },
    setProbe: (probeId, input) => void probes.push({ probeId, input }),
    loseWebGLContext: () => undefined,
    injectBackendTimes: () => undefined,
    dispose: () => undefined,
  };
  return {
    trained,
    trainOptions,
    groups,
    stopped,
    probes,
    steps,
    trials,
    /** Answers the oldest group trial not yet answered with these times (an Error: fails it). */
    trialAnswer(times: readonly GroupTime[] | Error) {
      const answer = trialAnswers.shift();
      if (!answer) throw new Error('no group trial is waiting');
      if (times instanceof Error) answer.reject(times);
      else answer.resolve(times);
    },
    /** Answers the oldest step not yet answered. */
    stepAnswer(r: StepResult) {
      const answer = stepAnswers.shift();
      if (!answer) throw new Error('no step is waiting');
      answer(r);
    },
    makeClient(cb: (m: RunMessage) => void): TrainingClient {
      onMessage = cb;
      return client;
    },
    send(m: RunMessage) {
      if (!onMessage) throw new Error('the store has not created its client yet');
      onMessage(m);
    },
  };
}

/** A run's tensor check as the worker reports it: `before` and `after` tensors (bytes alike). */
export function tensorCheck(before: number, after: number): TensorCheck {
  return {
    before,
    after,
    bytesBefore: before * 400,
    bytesAfter: after * 400,
    device: { tensorBytes: after * 400, allocated: null, uploads: 2 },
  };
}

/**
 * A store opened at link `query` with a fake worker, an in-memory history, a fixed clock and
 * storage that keeps nothing; resolves once the store has read its history.
 */
export async function fakeWorkerStore(query: string) {
  const { createLabStore } = await import('../../../src/store/store');
  const { memoryRuns } = await import('../../../src/store/runsDb');
  const worker = fakeWorker();
  const store = createLabStore(
    query,
    (cb) => worker.makeClient(cb),
    memoryRuns([], true),
    () => 1_700_000_000_000,
    { getItem: () => null, setItem: () => undefined },
  );
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  return { store, worker };
}
