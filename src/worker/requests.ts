/**
 * The page's side of the worker's request/reply messages: samples of images, predictions and the
 * tests of imported models, each waiting for its reply by request id, all failed at once when the
 * worker goes away.
 */
import type { TrainedModel } from '../core/runs/model';
import type { LoadProgress } from '../data/mnist';
import type {
  MainToWorker,
  ModelTest,
  PredictMessage,
  Sample,
  SampleMessage,
  TensorCount,
  TestModelMessage,
  WorkerToMain,
} from './protocol';

export interface PredictResult {
  readonly probs: Float32Array;
  readonly activations: readonly Float32Array[];
  /** The worker's tensor count before and after this prediction. */
  readonly tensors: TensorCount;
}

/** How a model test is going: the dataset loading, then images tested. */
export type TestProgress =
  | ({ readonly stage: 'loading' } & LoadProgress)
  | { readonly stage: 'testing'; readonly tested: number; readonly total: number };

interface Pending<T, P> {
  readonly resolve: (value: T) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress: (p: P) => void;
}

interface PendingPrediction {
  readonly resolve: (r: PredictResult) => void;
  readonly reject: (e: Error) => void;
  readonly retry: (() => void) | null;
}

type ReplyMessage = SampleMessage | PredictMessage | TestModelMessage;

const REPLY_TYPES = new Set<WorkerToMain['type']>([
  'sample',
  'sample-loading',
  'sample-error',
  'prediction',
  'prediction-error',
  'test-model-loading',
  'test-model-progress',
  'test-model-result',
  'test-model-error',
]);

export const isReply = (m: WorkerToMain): m is ReplyMessage => REPLY_TYPES.has(m.type);

/**
 * `send` posts to the worker (starting one if need be); `restart` replaces a worker whose GPU
 * context is gone.
 */
export function createRequests(send: (m: MainToWorker) => void, restart: (why: string) => void) {
  let nextRequestId = 1;
  const samples = new Map<number, Pending<Sample, LoadProgress>>();
  const tests = new Map<number, Pending<ModelTest, TestProgress>>();
  const predictions = new Map<number, PendingPrediction>();
  // The model id this worker instance was last given (a new worker has none).
  let loadedModel: string | null = null;
  // Whether that model is the network a run left in the worker (gone from it when the next starts).
  let loadedByRun = false;

  const onPrediction = (m: PredictMessage) => {
    const p = predictions.get(m.requestId);
    if (!p) return;
    predictions.delete(m.requestId);
    if (m.type === 'prediction') p.resolve({ probs: m.probs, activations: m.activations, tensors: m.tensors });
    else if (m.restart) {
      // The GPU context is gone: a fresh worker, then this prediction once more (with the model).
      restart('The worker had to restart (lost GPU context). Try again.');
      if (p.retry) p.retry();
      else p.reject(new Error(m.message));
    } else if (m.unknownModel && p.retry) p.retry();
    else p.reject(new Error(m.message));
  };

  return {
    /** Hands a reply to whoever waits for it. */
    receive(m: ReplyMessage) {
      if (m.type === 'prediction' || m.type === 'prediction-error') onPrediction(m);
      else if (m.type === 'sample' || m.type === 'sample-loading' || m.type === 'sample-error')
        replyToSample(samples, m);
      else replyToTest(tests, m);
    },
    /** Every request waiting fails with `why` (the worker is gone, and the model with it). */
    failAll(why: string) {
      for (const p of [...samples.values(), ...tests.values(), ...predictions.values()]) p.reject(new Error(why));
      samples.clear();
      tests.clear();
      predictions.clear();
      loadedModel = null;
    },
    /** A run finished in the worker: its network is model `modelId` there now. */
    runLeftModel(modelId: string) {
      loadedModel = modelId;
      loadedByRun = true;
    },
    /** A run starts: it takes the last model off the device (the worker keeps a model sent as weights). */
    runStarts() {
      if (loadedByRun) loadedModel = null;
    },
    sample(m: Omit<Extract<MainToWorker, { type: 'sample' }>, 'requestId'>, onProgress: (p: LoadProgress) => void) {
      const requestId = nextRequestId++;
      return new Promise<Sample>((resolve, reject) => {
        samples.set(requestId, { resolve, reject, onProgress });
        send({ ...m, requestId });
      });
    },
    testModel(model: TrainedModel, baseUrl: string, onProgress: (p: TestProgress) => void) {
      const requestId = nextRequestId++;
      return new Promise<ModelTest>((resolve, reject) => {
        tests.set(requestId, { resolve, reject, onProgress });
        send({ type: 'test-model', requestId, model, baseUrl });
      });
    },
    predict(modelId: string, model: TrainedModel, input: Float32Array) {
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
  };
}

function replyToSample(samples: Map<number, Pending<Sample, LoadProgress>>, m: SampleMessage) {
  const p = samples.get(m.requestId);
  if (!p) return;
  if (m.type === 'sample-loading') return p.onProgress({ loaded: m.loaded, total: m.total, fromCache: m.fromCache });
  samples.delete(m.requestId);
  if (m.type === 'sample-error') p.reject(new Error(m.message));
  else p.resolve({ indices: m.indices, images: m.images, labels: m.labels });
}

function replyToTest(tests: Map<number, Pending<ModelTest, TestProgress>>, m: TestModelMessage) {
  const p = tests.get(m.requestId);
  if (!p) return;
  if (m.type === 'test-model-loading')
    return p.onProgress({ stage: 'loading', loaded: m.loaded, total: m.total, fromCache: m.fromCache });
  if (m.type === 'test-model-progress') return p.onProgress({ stage: 'testing', tested: m.tested, total: m.total });
  tests.delete(m.requestId);
  if (m.type === 'test-model-error') p.reject(new Error(m.message));
  else p.resolve({ loss: m.loss, acc: m.acc, test: m.test });
}
