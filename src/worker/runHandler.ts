/**
 * One training run in the worker, from the `train` message to its last message: the backend
 * (named, or auto's timed trial once the data is here), the dataset, the training loop with its
 * live measurements, and the ending (done, stopped, or an error the page can act on).
 */
import {
  askWasmThreads,
  DeviceLostError,
  isDeviceLost,
  checkDevice,
  releasePooledTextures,
  selectBackend,
} from '../ml/backend';
import { chooseByTrial, timeBatches } from '../ml/timeBackends';
import { DivergedError, trainRun } from '../ml/train';
import { inferenceWeights } from '../ml/mlp';
import type { TrainData } from '../core/dataset/dataset';
import type { DataCache } from './dataCache';
import { throttledProgress } from './dataCache';
import { createLiveBuffer, type ProbeSlot } from './liveBuffer';
import { errorText, type ModelHolder, type TensorSnapshot } from './modelHolder';
import type { MainToWorker, WorkerToMain } from './protocol';

/** Layer health is sampled every 40 batches, but not more often than this (fast networks). */
const HEALTH_MIN_MS = 500;

type TrainMessage = Extract<MainToWorker, { type: 'train' }>;

export interface RunDeps {
  readonly post: (m: WorkerToMain) => void;
  readonly data: DataCache;
  readonly holder: ModelHolder;
  readonly probe: ProbeSlot;
  /** What predictions wait for until a backend is chosen (auto's trial replaces it while it runs). */
  readonly backendReady: { set(p: Promise<unknown>): void };
  readonly selectBackend: typeof selectBackend;
}

/** Resolves on the next turn of the event loop without setTimeout's 4 ms clamp. */
export function makeYield(): { yieldFn: () => Promise<void>; close: () => void } {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    yieldFn: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/** The outcome of a run stopped before it trained anything. */
const NOTHING_TRAINED = {
  status: 'stopped' as const,
  epochs: [],
  testLoss: null,
  testAcc: null,
  params: 0,
  trainCount: 0,
  valCount: 0,
};

/** Auto's choice: times the network on each backend, then says which one runs it and why. */
async function chooseBackend(m: TrainMessage, dataset: TrainData, signal: AbortSignal, post: RunDeps['post']) {
  post({ type: 'choosing', runId: m.runId });
  const trialYield = makeYield();
  try {
    const { choice, trial } = await chooseByTrial(dataset, m.config, signal, {
      remembered: m.trials ?? {},
      injected: m.injectTimes ?? null,
      // Like a run: a lost context ends the wait on a read-back, and Stop is heard between batches.
      time: (d, c, sig) => timeBatches(d, c, sig, { checkDevice, yieldFn: trialYield.yieldFn }),
    });
    post({ type: 'backend', runId: m.runId, name: choice.name, reason: choice.reason, trial });
  } finally {
    trialYield.close();
    releasePooledTextures();
  }
}

/** Trains on `dataset` with the live measurements, then reports how it ended. */
async function trainAndReport(
  m: TrainMessage,
  dataset: TrainData,
  signal: AbortSignal,
  deps: RunDeps,
  before: TensorSnapshot,
  live: ReturnType<typeof createLiveBuffer>,
) {
  const { runId, config, modelId } = m;
  const { post, holder } = deps;
  const { yieldFn, close } = makeYield();
  try {
    const outcome = await trainRun(
      dataset,
      config,
      {
        onStart: (plan) => post({ type: 'started', runId, ...plan }),
        onSample: (s) => live.add(s),
        onProgress: (progress) => live.progress(progress),
        onEpoch: (log) => post({ type: 'epoch', runId, log }),
      },
      signal,
      {
        yieldFn,
        checkDevice,
        keepModel: true,
        deviceData: holder.deviceData,
        // The trained network stays on the device for the drawings: nothing goes back and forth.
        adopt: (net) => {
          const { kernels, biases } = inferenceWeights(net);
          holder.adopt(modelId, config.layers, kernels, biases);
        },
        ...(m.quiet ? {} : { health: true, healthMinMs: HEALTH_MIN_MS, extras: (at) => live.extras(at) }),
      },
    );
    live.flush();
    releasePooledTextures();
    post({ type: outcome.status === 'done' ? 'done' : 'stopped', runId, outcome, tensors: holder.check(before) });
    if (outcome.status === 'done') await holder.warmUp(modelId);
  } finally {
    close();
  }
}

/** A failure: on a lost context it is the context's fault, whatever TensorFlow.js threw. */
function reportFailure(e: unknown, runId: number, deps: RunDeps, before: TensorSnapshot | null) {
  const lost = e instanceof DeviceLostError || isDeviceLost();
  const message = lost
    ? `${new DeviceLostError().message} The epochs it finished are kept above. Press Train to start again: the lab starts a fresh worker and sets up the GPU anew (or falls back to WASM).`
    : errorText(e);
  if (!isDeviceLost()) releasePooledTextures();
  const tensors = before === null ? null : deps.holder.check(before);
  const diverged = e instanceof DivergedError ? { diverged: true } : {};
  deps.post({ type: 'error', runId, message, tensors, ...(lost ? { restart: true } : {}), ...diverged });
}

export async function handleRun(m: TrainMessage, signal: AbortSignal, deps: RunDeps): Promise<void> {
  const { runId, config } = m;
  const { post, holder } = deps;
  let before: TensorSnapshot | null = null;
  const live = createLiveBuffer(runId, post, deps.probe);
  // Resolves what predictions wait for while auto chooses (see below); called on every way out.
  let trialDone = () => undefined as void;
  try {
    holder.drop();
    if (m.threads !== undefined) askWasmThreads(m.threads);
    if (isDeviceLost()) {
      // Lost while this worker sat idle: nothing has started; the page starts the run afresh.
      const message = new DeviceLostError().message;
      post({ type: 'error', runId, message, tensors: null, restart: true, startAgain: true });
      return;
    }
    // A named backend starts at once; auto times the network on each backend once the data is here.
    const auto = config.backend === 'auto';
    // Predictions wait for auto's choice: one starting a backend mid-trial would time the wrong one.
    if (auto) deps.backendReady.set(new Promise<void>((resolve) => (trialDone = resolve)));
    else {
      const backend = await deps.selectBackend(config.backend);
      deps.backendReady.set(Promise.resolve());
      post({ type: 'backend', runId, name: backend.name, reason: backend.reason });
    }
    const onLoad = throttledProgress((p) => post({ type: 'loading', runId, ...p }));
    const dataset = await deps.data.get(m.baseUrl, config.dataset, onLoad, signal);
    if (auto && dataset && !signal.aborted) await chooseBackend(m, dataset, signal, post).finally(trialDone);
    trialDone();
    if (signal.aborted || !dataset) {
      // Stopped (or replaced by a new run) while loading or choosing: nothing was trained.
      post({ type: 'stopped', runId, outcome: NOTHING_TRAINED, tensors: holder.check(holder.snapshot()) });
      return;
    }
    before = holder.snapshot();
    await trainAndReport(m, dataset, signal, deps, before, live);
  } catch (e) {
    trialDone();
    live.flush();
    reportFailure(e, runId, deps, before);
  }
}
