/**
 * The page's handle on the training worker: starts it on first use, registers one listener,
 * and turns worker crashes into typed error messages.
 */
import {
  parseTrialTable,
  rememberTrial,
  TRIALS_STORAGE_KEY,
  type InjectedTimes,
  type TrialTable,
} from '../core/device/backendTrial';
import type { DatasetName, TrainConfig } from '../core/network/spec';
import type { TrainedModel } from '../core/runs/model';
import type { LoadProgress } from '../data/mnist';
import type {
  MainToWorker,
  PredictMessage,
  RunMessage,
  Sample,
  SampleMessage,
  TensorCheck,
  TensorCount,
  WorkerToMain,
} from './protocol';
import { NEW_RELEASE_MESSAGE, newReleaseDeployed } from './release';

export type { LoadProgress, RunMessage, Sample, TensorCheck, TensorCount };

export type SamplePick = Extract<MainToWorker, { type: 'sample' }>['pick'];

export interface PredictResult {
  readonly probs: Float32Array;
  readonly activations: readonly Float32Array[];
  /** The worker's tensor count before and after this prediction. */
  readonly tensors: TensorCount;
}

export interface TrainingClient {
  /**
   * Starts a run (stopping any current one); returns its id, carried by every message of it. When
   * it finishes, its network stays in the worker as model `modelId`: predictions with that id need
   * no weights sent.
   */
  train(config: TrainConfig, modelId: string): number;
  stop(runId: number): void;
  /** Random training images, or test images by index; loads the dataset first if need be. */
  sample(dataset: DatasetName, pick: SamplePick, onProgress: (p: LoadProgress) => void): Promise<Sample>;
  /** Classifies one image ([784], the model's input range) with `model`, known as `modelId`. */
  predict(modelId: string, model: TrainedModel, input: Float32Array): Promise<PredictResult>;
  /**
   * The image the current run classifies live as it trains ([784] in the run's input range), or
   * null; its probabilities come back in progress messages tagged with `probeId`.
   */
  setProbe(probeId: number, input: Float32Array | null): void;
  /** Diagnostics for tests: makes the worker lose its WebGL context. */
  loseWebGLContext(): void;
  /** Diagnostics for tests: backend=auto takes these times per batch instead of measuring (null: measure). */
  injectBackendTimes(times: InjectedTimes | null): void;
  dispose(): void;
}

/** The page's local storage, or null where it is refused (private mode, a sandbox). */
function localStore(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The backend trials remembered in this browser (per device and size class): read at every run,
 * so that trials made in another tab count too; written when a run measured one.
 */
export function trialMemory(storage = localStore()) {
  let inMemory: TrialTable = {};
  // Once a write failed (storage full or refused), this visit's table is the one in memory.
  let stored = storage !== null;
  return {
    read(): TrialTable {
      if (!stored || !storage) return inMemory;
      try {
        return parseTrialTable(storage.getItem(TRIALS_STORAGE_KEY));
      } catch {
        return inMemory;
      }
    },
    remember(trial: Parameters<typeof rememberTrial>[1]): void {
      const next = rememberTrial(this.read(), trial);
      inMemory = next;
      try {
        storage?.setItem(TRIALS_STORAGE_KEY, JSON.stringify(next));
      } catch {
        stored = false;
      }
    },
  };
}

interface Pending {
  readonly resolve: (s: Sample) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress: (p: LoadProgress) => void;
}

const isSampleMessage = (m: WorkerToMain): m is SampleMessage =>
  m.type === 'sample' || m.type === 'sample-loading' || m.type === 'sample-error';
const isPredictMessage = (m: WorkerToMain): m is PredictMessage =>
  m.type === 'prediction' || m.type === 'prediction-error';

interface PendingPrediction {
  readonly resolve: (r: PredictResult) => void;
  readonly reject: (e: Error) => void;
  readonly retry: (() => void) | null;
}

export function createTrainingClient(onMessage: (m: RunMessage) => void): TrainingClient {
  let worker: Worker | null = null;
  let nextRunId = 1;
  let activeRunId = 0;
  let nextRequestId = 1;
  const pending = new Map<number, Pending>();
  const predictions = new Map<number, PendingPrediction>();
  // The model id this worker instance was last given (a new worker has none).
  let loadedModel: string | null = null;
  // Whether that model is the network a run left in the worker (gone from it when the next starts).
  let loadedByRun = false;
  const trials = trialMemory();
  let injectTimes: InjectedTimes | null = null;

  const failPending = (why: string) => {
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
    for (const p of predictions.values()) p.reject(new Error(why));
    predictions.clear();
    loadedModel = null;
  };

  const onPrediction = (m: PredictMessage) => {
    const p = predictions.get(m.requestId);
    if (!p) return;
    predictions.delete(m.requestId);
    if (m.type === 'prediction') p.resolve({ probs: m.probs, activations: m.activations, tensors: m.tensors });
    else if (m.restart) {
      // The GPU context is gone: a fresh worker, then this prediction once more (with the model).
      restartWorker('The worker had to restart (lost GPU context). Try again.');
      if (p.retry) p.retry();
      else p.reject(new Error(m.message));
    } else if (m.unknownModel && p.retry) p.retry();
    else p.reject(new Error(m.message));
  };

  const onSample = (m: SampleMessage) => {
    const p = pending.get(m.requestId);
    if (!p) return;
    if (m.type === 'sample-loading') {
      p.onProgress({ loaded: m.loaded, total: m.total, fromCache: m.fromCache });
      return;
    }
    pending.delete(m.requestId);
    if (m.type === 'sample-error') p.reject(new Error(m.message));
    else p.resolve({ indices: m.indices, images: m.images, labels: m.labels });
  };

  // The last train message, to start it again in a fresh worker (see 'startAgain').
  let lastTrain: Extract<MainToWorker, { type: 'train' }> | null = null;
  const restartWorker = (why: string) => {
    worker?.terminate();
    worker = null;
    failPending(why);
  };

  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' });
    w.addEventListener('message', (e: MessageEvent<WorkerToMain>) => {
      const m = e.data;
      if (isSampleMessage(m)) {
        onSample(m);
        return;
      }
      if (isPredictMessage(m)) {
        onPrediction(m);
        return;
      }
      if (m.type === 'backend' && m.trial?.source === 'measured') trials.remember(m.trial);
      // The finished run's network stays in the worker: predicting with it sends no weights.
      if (m.type === 'done' && lastTrain?.runId === m.runId) {
        loadedModel = lastTrain.modelId;
        loadedByRun = true;
      }
      if (m.type === 'error' && m.restart) {
        w.terminate();
        if (worker === w) worker = null;
        failPending('The worker had to restart (lost GPU context). Try again.');
        if (m.startAgain && m.runId === activeRunId && lastTrain?.runId === m.runId) {
          // Nothing had started: the same run, in a fresh worker, without troubling the page.
          send(lastTrain);
          return;
        }
        // A newer run queued in this worker dies with it: say so instead of leaving it loading.
        if (m.runId !== activeRunId) {
          onMessage({
            type: 'error',
            runId: activeRunId,
            message: 'The training worker had to restart (lost GPU context). Press Train again.',
            tensors: null,
          });
        }
      }
      onMessage(m);
    });
    w.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      const runId = activeRunId;
      // A worker that could not even load its script may be a deleted chunk of an old release.
      void newReleaseDeployed().then((stale) => {
        const message = stale ? NEW_RELEASE_MESSAGE : `The training worker crashed: ${e.message || 'unknown error'}.`;
        onMessage({
          type: 'error',
          runId,
          message: stale ? message : `${message} Press Train to start a new one.`,
          tensors: null,
          ...(stale ? { reload: true } : {}),
        });
        failPending(message);
      });
    });
    worker = w;
    return w;
  };
  const send = (m: MainToWorker) => ensure().postMessage(m);
  const baseUrl = () => new URL(import.meta.env.BASE_URL, location.href).href;

  return {
    train(config, modelId) {
      activeRunId = nextRunId++;
      lastTrain = {
        type: 'train',
        runId: activeRunId,
        config,
        baseUrl: baseUrl(),
        modelId,
        ...(config.backend === 'auto' ? { trials: trials.read(), injectTimes } : {}),
      };
      // A run takes the last model off the device (the worker keeps a model sent as weights).
      if (loadedByRun) loadedModel = null;
      send(lastTrain);
      return activeRunId;
    },
    stop(runId) {
      if (worker) send({ type: 'stop', runId });
    },
    sample(dataset, pick, onProgress) {
      const requestId = nextRequestId++;
      return new Promise<Sample>((resolve, reject) => {
        pending.set(requestId, { resolve, reject, onProgress });
        send({ type: 'sample', requestId, dataset, pick, baseUrl: baseUrl() });
      });
    },
    predict(modelId, model, input) {
      return new Promise<PredictResult>((resolve, reject) => {
        const ask = (canRetry: boolean) => {
          if (loadedModel !== modelId || !canRetry) {
            send({ type: 'load-model', modelId, model });
            loadedModel = modelId;
            loadedByRun = false;
          }
          const requestId = nextRequestId++;
          // A worker that lost the model (restarted) says so once; the model is sent again.
          predictions.set(requestId, { resolve, reject, retry: canRetry ? () => ask(false) : null });
          send({ type: 'predict', requestId, modelId, input });
        };
        ask(true);
      });
    },
    setProbe(probeId, input) {
      send({ type: 'probe', probeId, input });
    },
    loseWebGLContext() {
      if (worker) send({ type: 'lose-webgl-context' });
    },
    injectBackendTimes(times) {
      injectTimes = times;
    },
    dispose() {
      failPending('The worker was closed.');
      worker?.terminate();
      worker = null;
    },
  };
}
