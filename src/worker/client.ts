/**
 * The page's handle on the training worker: starts it on first use, registers one listener,
 * and turns worker crashes into typed error messages.
 */
import type { InjectedTimes } from '../core/device/backendTrial';
import { trialMemory } from './trialMemory';
import type { DatasetName, TrainConfig } from '../core/network/spec';
import type { GroupTime } from '../core/runs/groupTrial';
import type { TrainedModel } from '../core/runs/model';
import type { StepResult, UnitWeights } from '../core/step/step';
import type { FinderPoint } from '../core/network/rateFinder';
import type { LoadProgress } from '../data/mnist';
import type { MainToWorker, ModelTest, RunMessage, Sample, TensorCheck, TensorCount, WorkerToMain } from './protocol';
import { NEW_RELEASE_MESSAGE, newReleaseDeployed } from './release';
import { createRequests, isReply, type PredictResult, type TestProgress } from './requests';
import { workerStartFailure } from './workerStart';
import { createStepRequests, isStepReply } from './stepRequests';

export type { LoadProgress, ModelTest, PredictResult, RunMessage, Sample, TensorCheck, TensorCount, TestProgress };

/** How a run trains besides its config: quiet (no live measurements) and the WASM threads asked for. */
export type TrainOptions = Pick<Extract<MainToWorker, { type: 'train' }>, 'quiet' | 'threads'>;

export type SamplePick = Extract<MainToWorker, { type: 'sample' }>['pick'];

export interface TrainingClient {
  /**
   * Starts a run (stopping any current one); returns its id, carried by every message of it. When
   * it finishes, its network stays in the worker as model `modelId`: predictions with that id need
   * no weights sent.
   */
  train(config: TrainConfig, modelId: string, options?: TrainOptions): number;
  /**
   * Starts runs of one group (core/runs/groups.ts) trained together on their backend, many networks in one
   * step, quietly (stopping any current run); returns their ids, in order. Stopping any of them
   * stops them all.
   */
  trainGroup(configs: readonly TrainConfig[], threads: number): number[];
  /**
   * The group trial (core/runs/groupTrial.ts): ms per batch of one network of `config`'s, alone and
   * in groups of each of `sizes`, on its backend (WASM: `threads` threads), while the worker is idle.
   */
  timeGroups(config: TrainConfig, sizes: readonly number[], threads: number): Promise<readonly GroupTime[]>;
  stop(runId: number): void;
  /** Random training images, or test images by index; loads the dataset first if need be. */
  sample(dataset: DatasetName, pick: SamplePick, onProgress: (p: LoadProgress) => void): Promise<Sample>;
  /** Classifies one image ([784], the model's input range) with `model`, known as `modelId`. */
  predict(modelId: string, model: TrainedModel, input: Float32Array): Promise<PredictResult>;
  /**
   * Trains one batch of `config`'s run in the worker, from a fresh network when `reset` or when
   * the config changed, and passes `input` (or the first test image) through it.
   */
  step(
    config: TrainConfig,
    input: Float32Array | null,
    reset: boolean,
    onProgress: (p: LoadProgress) => void,
  ): Promise<StepResult>;
  /** One unit's incoming weights and bias in the stepped network (layer and unit 0-based). */
  stepUnit(layer: number, unit: number): Promise<UnitWeights>;
  /** Runs the learning-rate finder on `config`'s network in the worker (each batch's point as it comes). */
  findRate(
    config: TrainConfig,
    onPoint: (point: FinderPoint, index: number) => void,
    onProgress: (p: LoadProgress) => void,
  ): Promise<readonly FinderPoint[]>;
  /** Tests `model` on its dataset's test images in the worker (loading the dataset if need be). */
  testModel(model: TrainedModel, onProgress: (p: TestProgress) => void): Promise<ModelTest>;
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

/** Workers that have sent a message: one that fails before it did never started. */
const answered = new WeakSet<Worker>();

/**
 * A new training worker: replies go to `reply`, run messages to `run`, a crash (after the worker
 * is terminated) to `crashed`.
 */
function startWorker(
  reply: (m: WorkerToMain) => void,
  run: (w: Worker, m: RunMessage) => void,
  crashed: (w: Worker, e: ErrorEvent) => void,
): Worker {
  const w = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' });
  w.addEventListener('message', (e: MessageEvent<WorkerToMain>) => {
    answered.add(w);
    if (isStepReply(e.data) || isReply(e.data)) reply(e.data);
    else run(w, e.data);
  });
  w.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    w.terminate();
    crashed(w, e);
  });
  return w;
}

const THREADS_TEXT = 'The training worker restarted to train with another number of threads.';
const RESTART_TEXT = 'The worker had to restart (lost GPU context). Try again.';

/**
 * The WASM threads a worker's runs ask for (0: as many as cores), fixed once its backend starts:
 * for a run of `backend` asking `threads`, the count the worker trains with, after replacing a live
 * worker that has another (`restart`). Other backends keep the worker's count.
 */
function threadKeeper(alive: () => boolean, restart: () => void) {
  let current = 0;
  return (backend: TrainConfig['backend'], threads: number): number => {
    const t = backend === 'wasm' ? threads : current;
    if (alive() && t !== current) restart();
    current = t;
    return t;
  };
}

export function createTrainingClient(onMessage: (m: RunMessage) => void): TrainingClient {
  let worker: Worker | null = null;
  let nextRunId = 1;
  let activeRunId = 0;
  // The runs of the group under way beside activeRunId (its first): a crash ends them all.
  let groupRest: number[] = [];
  const trials = trialMemory();
  let injectTimes: InjectedTimes | null = null;
  // The last train message, to start it again in a fresh worker (see 'startAgain').
  let lastTrain: Extract<MainToWorker, { type: 'train' }> | null = null;
  const failAll = (why: string) => {
    requests.failAll(why);
    steps.failAll(why);
  };
  const restartWorker = (why: string) => {
    worker?.terminate();
    worker = null;
    failAll(why);
  };
  const send = (m: MainToWorker) => ensure().postMessage(m);
  const requests = createRequests(send, restartWorker);
  const steps = createStepRequests(send);
  const baseUrl = () => new URL(import.meta.env.BASE_URL, location.href).href;

  /** A run's message: the model it leaves behind, a lost context, then the store hears it. */
  const onRunMessage = (w: Worker, m: RunMessage) => {
    if (m.type === 'backend' && m.trial?.source === 'measured') trials.remember(m.trial);
    // The finished run's network stays in the worker: predicting with it sends no weights.
    if (m.type === 'done' && lastTrain?.runId === m.runId) requests.runLeftModel(lastTrain.modelId);
    if (m.type === 'error' && m.restart) {
      w.terminate();
      if (worker === w) worker = null;
      failAll(RESTART_TEXT);
      if (m.startAgain && m.runId === activeRunId && lastTrain?.runId === m.runId) {
        // Nothing had started: the same run, in a fresh worker, without troubling the page.
        send(lastTrain);
        return;
      }
      // A newer run queued in this worker dies with it: say so instead of leaving it loading.
      if (m.runId !== activeRunId) {
        const message = 'The training worker had to restart (lost GPU context). Press Train again.';
        onMessage({ type: 'error', runId: activeRunId, message, tensors: null });
      }
    }
    onMessage(m);
  };

  const ensure = (): Worker =>
    (worker ??= startWorker(
      (m) => (isStepReply(m) ? steps.receive(m) : isReply(m) ? requests.receive(m) : undefined),
      onRunMessage,
      (w, e) => {
        if (worker === w) worker = null;
        reportCrash(e, answered.has(w), [activeRunId, ...groupRest], onMessage, failAll);
      },
    ));

  const threadsFor = threadKeeper(() => worker !== null, () => restartWorker(THREADS_TEXT)); // prettier-ignore
  const begin = (backend: TrainConfig['backend'], threads: number, ids: readonly number[]) => {
    threadsFor(backend, threads);
    [activeRunId = 0, ...groupRest] = ids;
    requests.runStarts();
  };

  return {
    train(config, modelId, options = {}) {
      begin(config.backend, options.threads ?? 0, [nextRunId++]);
      const auto = config.backend === 'auto' ? { trials: trials.read(), injectTimes } : {};
      lastTrain = { type: 'train', runId: activeRunId, config, baseUrl: baseUrl(), modelId, ...options, ...auto };
      send(lastTrain);
      return activeRunId;
    },
    trainGroup(configs, threads) {
      const runs = configs.map((config) => ({ runId: nextRunId++, config }));
      const ids = runs.map((r) => r.runId);
      begin(configs[0]?.backend ?? 'wasm', threads, ids);
      lastTrain = null;
      send({ type: 'train-group', runs, baseUrl: baseUrl(), threads });
      return runs.map((r) => r.runId);
    },
    // In the worker that trains the runs after it, with their thread count.
    timeGroups: (config, sizes, threads) =>
      steps.timeGroups(config, sizes, baseUrl(), threadsFor(config.backend, threads)),
    stop: (runId) => void (worker && send({ type: 'stop', runId })),
    ...requestMethods(requests, steps, send, baseUrl),
    loseWebGLContext: () => void (worker && send({ type: 'lose-webgl-context' })),
    injectBackendTimes: (times) => void (injectTimes = times),
    dispose: () => restartWorker('The worker was closed.'),
  };
}

/** The client's requests that are not runs: images, predictions, model tests, steps, the rate finder, the probe. */
function requestMethods(
  requests: ReturnType<typeof createRequests>,
  steps: ReturnType<typeof createStepRequests>,
  send: (m: MainToWorker) => void,
  baseUrl: () => string,
): Pick<TrainingClient, 'sample' | 'predict' | 'testModel' | 'step' | 'stepUnit' | 'findRate' | 'setProbe'> {
  return {
    sample: (dataset, pick, onProgress) =>
      requests.sample({ type: 'sample', dataset, pick, baseUrl: baseUrl() }, onProgress),
    predict: (modelId, model, input) => requests.predict(modelId, model, input),
    testModel: (model, onProgress) => requests.testModel(model, baseUrl(), onProgress),
    step: (config, input, reset, onProgress) => steps.step(config, baseUrl(), input, reset, onProgress),
    stepUnit: (layer, unit) => steps.unit(layer, unit),
    findRate: (config, onPoint, onProgress) => steps.findRate(config, baseUrl(), onPoint, onProgress),
    setProbe: (probeId, input) => send({ type: 'probe', probeId, input }),
  };
}

/**
 * The worker crashed: a deleted chunk of an old release (only a reload helps), or a real crash
 * (a new worker starts at the next Train). The runs `runIds` end with the reason; requests fail.
 */
function reportCrash(
  e: ErrorEvent,
  heard: boolean,
  runIds: readonly number[],
  onMessage: (m: RunMessage) => void,
  failAll: (why: string) => void,
) {
  // A worker that could not even load its script may be a deleted chunk of an old release, or one
  // a content-security policy blocks.
  void newReleaseDeployed().then(async (stale) => {
    const message = stale
      ? NEW_RELEASE_MESSAGE
      : heard
        ? `The training worker crashed: ${e.message || 'unknown error'}.`
        : await workerStartFailure('The training worker', e.message);
    for (const runId of runIds)
      onMessage({
        type: 'error',
        runId,
        message: stale || !heard ? message : `${message} Press Train to start a new one.`,
        tensors: null,
        ...(stale ? { reload: true } : {}),
      });
    failAll(message);
  });
}
