/**
 * What the training worker does, apart from the worker global itself: one run at a time, the
 * dataset loaded once and kept, every message typed. A new `train` stops the current run first.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../core/dataset/dataset';
import { loadDataset, type LoadProgress } from '../data/mnist';
import type { DatasetName } from '../core/network/spec';
import { mulberry32, sampleIndices } from '../core/network/rng';
import { onceUntilFailure } from '../core/once';
import { INPUT_SIZE } from '../core/network/spec';
import {
  checkDevice,
  DeviceLostError,
  isDeviceLost,
  loseWebGLContext,
  releasePooledTextures,
  selectBackend,
} from '../ml/backend';
import { trainRun } from '../ml/train';
import { chooseByTrial, timeBatches } from '../ml/timeBackends';
import { createPredictor, predictorOf, type Predictor } from '../ml/predictor';
import { createDeviceData } from '../ml/deviceData';
import type { TrainedModel } from '../core/runs/model';
import type {
  HealthSample,
  LiveTiles,
  MainToWorker,
  Progress,
  TensorCheck,
  TrainSample,
  WorkerToMain,
} from './protocol';

/** Resolves on the next turn of the event loop without setTimeout's 4 ms clamp. */
function makeYield(): { yieldFn: () => Promise<void>; close: () => void } {
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

const PROGRESS_INTERVAL_MS = 250;
/** Layer health is sampled every 40 batches, but not more often than this (fast networks). */
const HEALTH_MIN_MS = 500;
/** The first layer's weights are read back for the live tiles this often (and at the end of the run). */
const TILES_INTERVAL_MS = 2000;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createTrainingService(post: (m: WorkerToMain) => void): (m: MainToWorker) => void {
  // Each dataset is loaded once and kept (about 55 MB each).
  const data = new Map<DatasetName, Promise<TrainData>>();
  // Everyone waiting for a dataset hears its loading progress (a run, the gallery, or both).
  const loadListeners = new Set<(p: LoadProgress) => void>();
  /**
   * The dataset, loading it if need be. With `signal`, gives up waiting (null) as soon as it
   * aborts: the download goes on for whoever else waits, and is kept for next time.
   */
  const getData = async (
    baseUrl: string,
    dataset: DatasetName,
    onProgress: (p: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<TrainData | null> => {
    loadListeners.add(onProgress);
    try {
      let loading = data.get(dataset);
      if (!loading) {
        loading = loadDataset(baseUrl, dataset, (p) => {
          for (const l of loadListeners) l(p);
        }).catch((e: unknown) => {
          data.delete(dataset); // let the next request try again
          throw e;
        });
        data.set(dataset, loading);
      }
      if (!signal) return await loading;
      if (signal.aborted) return null;
      let stop: (() => void) | undefined;
      const aborted = new Promise<null>((resolve) => {
        stop = () => resolve(null);
        signal.addEventListener('abort', stop, { once: true });
      });
      try {
        return await Promise.race([loading, aborted]);
      } finally {
        if (stop) signal.removeEventListener('abort', stop);
      }
    } finally {
      loadListeners.delete(onProgress);
    }
  };

  // The model `predict` uses: the network the last run trained, whose weights stayed on the device
  // (weights null: the worker has no copy elsewhere), or one the page sent (kept as plain arrays,
  // put on the device on first use). Taken off the device when a run starts (the run needs the
  // memory, and may switch backends). Its tensors are not the run's: they are left out of the
  // run's tensor check.
  let model: { id: string; weights: TrainedModel | null; predictor: Predictor | null } | null = null;
  // The images on the device, uploaded once for all runs (also left out of the tensor check).
  const deviceData = createDeviceData();
  // Set once a backend has been chosen in this worker (by a run, or by the first prediction).
  const backendReady = onceUntilFailure<unknown>(() => selectBackend('auto'));
  const count = () => tf.memory().numTensors - (model?.predictor?.heldTensors ?? 0) - deviceData.heldTensors;
  const bytes = () => tf.memory().numBytes - (model?.predictor?.heldBytes ?? 0) - deviceData.heldBytes;
  /** The run's tensors and bytes now (what the worker keeps on purpose left out). */
  const snapshot = () => ({ tensors: count(), bytes: bytes() });
  const check = (before: { tensors: number; bytes: number }): TensorCheck => {
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPUAllocated?: number };
    return {
      before: before.tensors,
      after: count(),
      bytesBefore: before.bytes,
      bytesAfter: bytes(),
      device: { tensorBytes: m.numBytes, allocated: m.numBytesInGPUAllocated ?? null, uploads: deviceData.uploads },
    };
  };
  const dropPredictor = () => {
    model?.predictor?.dispose();
    // A model trained here lives only on the device: once off it, the page sends it again.
    if (model) model = model.weights ? { ...model, predictor: null } : null;
  };

  const predict = async (m: Extract<MainToWorker, { type: 'predict' }>) => {
    const { requestId } = m;
    try {
      await backendReady.get();
      // Checked and built after the await, in one synchronous step: two predictions arriving
      // while the backend starts must not each build (and one leak) a predictor.
      if (!model || model.id !== m.modelId) {
        post({ type: 'prediction-error', requestId, message: `model ${m.modelId} is not loaded`, unknownModel: true });
        return;
      }
      // A context lost while idle reads all zeros, or throws: a fresh worker is needed.
      checkDevice();
      if (!model.predictor && !model.weights) throw new Error('the model has no weights');
      const predictor = model.predictor ?? createPredictor(model.weights as TrainedModel, true);
      model = { ...model, predictor };
      const before = tf.memory().numTensors;
      const result = await predictor.predict(m.input);
      checkDevice();
      post({
        type: 'prediction',
        requestId,
        probs: result.probs,
        activations: result.activations,
        tensors: { before, after: tf.memory().numTensors },
      });
    } catch (e) {
      const lost = e instanceof DeviceLostError || isDeviceLost();
      post({
        type: 'prediction-error',
        requestId,
        message: lost ? new DeviceLostError().message : errorText(e),
        unknownModel: false,
        ...(lost ? { restart: true } : {}),
      });
    }
  };

  const sample = async (m: Extract<MainToWorker, { type: 'sample' }>) => {
    const { requestId } = m;
    try {
      let lastPost = 0;
      const d = await getData(m.baseUrl, m.dataset, (p) => {
        const t = performance.now();
        if (t - lastPost > 100 || p.loaded === p.total) {
          lastPost = t;
          post({ type: 'sample-loading', requestId, ...p });
        }
      });
      if (!d) throw new Error('the dataset could not be loaded');
      const pick = m.pick;
      const src = pick.split === 'train' ? d.train : d.test;
      const n = src.labels.length;
      const indices =
        pick.split === 'train'
          ? sampleIndices(n, pick.count, mulberry32(pick.seed))
          : pick.indices.filter((i) => Number.isInteger(i) && i >= 0 && i < n);
      const images = new Uint8Array(indices.length * INPUT_SIZE);
      indices.forEach((idx, i) =>
        images.set(src.images.subarray(idx * INPUT_SIZE, (idx + 1) * INPUT_SIZE), i * INPUT_SIZE),
      );
      const labels = Uint8Array.from(indices, (idx) => src.labels[idx] as number);
      post({ type: 'sample', requestId, indices, images, labels });
    } catch (e) {
      post({ type: 'sample-error', requestId, message: errorText(e) });
    }
  };
  let current: { runId: number; controller: AbortController; finished: Promise<void> } | null = null;
  // The drawing a run classifies as it trains (see the 'probe' message).
  let probe: { probeId: number; input: Float32Array | null } = { probeId: 0, input: null };

  const run = async (
    { runId, config, baseUrl, modelId, trials, injectTimes }: Extract<MainToWorker, { type: 'train' }>,
    signal: AbortSignal,
  ) => {
    let tensorsBefore: { tensors: number; bytes: number } | null = null;
    let flush = () => undefined as void;
    // Resolves what predictions wait for while auto chooses (see below); called on every way out.
    let trialDone = () => undefined as void;
    try {
      dropPredictor();
      if (isDeviceLost()) {
        // Lost while this worker sat idle: nothing has started; the page starts the run afresh.
        post({
          type: 'error',
          runId,
          message: new DeviceLostError().message,
          tensors: null,
          restart: true,
          startAgain: true,
        });
        return;
      }
      // A named backend starts at once; auto times the network on each backend once the data is here.
      const auto = config.backend === 'auto';
      // Predictions wait for auto's choice: one starting a backend mid-trial would time the wrong one.
      if (auto) backendReady.set(new Promise<void>((resolve) => (trialDone = resolve)));
      if (!auto) {
        const backend = await selectBackend(config.backend);
        backendReady.set(Promise.resolve());
        post({ type: 'backend', runId, name: backend.name, reason: backend.reason });
      }
      let lastPost = 0;
      const dataset = await getData(
        baseUrl,
        config.dataset,
        (p) => {
          const t = performance.now();
          if (t - lastPost > 100 || p.loaded === p.total) {
            lastPost = t;
            post({ type: 'loading', runId, ...p });
          }
        },
        signal,
      );
      if (signal.aborted || !dataset) {
        // Stopped (or replaced by a new run) while loading: nothing was trained.
        trialDone();
        const outcome = {
          status: 'stopped' as const,
          epochs: [],
          testLoss: null,
          testAcc: null,
          params: 0,
          trainCount: 0,
          valCount: 0,
        };
        post({ type: 'stopped', runId, outcome, tensors: check(snapshot()) });
        return;
      }
      if (auto) {
        post({ type: 'choosing', runId });
        const trialYield = makeYield();
        let chosen: Awaited<ReturnType<typeof chooseByTrial>>;
        try {
          chosen = await chooseByTrial(dataset, config, signal, {
            remembered: trials ?? {},
            injected: injectTimes ?? null,
            // Like a run: a lost context ends the wait on a read-back, and Stop is heard between batches.
            time: (d, c, sig) => timeBatches(d, c, sig, { checkDevice, yieldFn: trialYield.yieldFn }),
          });
        } finally {
          trialYield.close();
          trialDone();
          releasePooledTextures();
        }
        const { choice, trial } = chosen;
        post({ type: 'backend', runId, name: choice.name, reason: choice.reason, trial });
        if (signal.aborted) {
          const outcome = {
            status: 'stopped' as const,
            epochs: [],
            testLoss: null,
            testAcc: null,
            params: 0,
            trainCount: 0,
            valCount: 0,
          };
          post({ type: 'stopped', runId, outcome, tensors: check(snapshot()) });
          return;
        }
      }
      tensorsBefore = snapshot();
      let lastProgress = 0;
      let lastTiles = -Infinity;
      // What the loop measured since the last progress message; sent with the next one.
      let samples: TrainSample[] = [];
      let health: HealthSample[] = [];
      let tiles: LiveTiles | null = null;
      let probed: { probeId: number; probs: Float32Array; x: number } | null = null;
      let probeAsked = 0;
      let lastSeen: Progress | null = null;
      // Posts what was measured since the last progress message (also before a stop or failure).
      flush = () => {
        if (!lastSeen || (samples.length === 0 && health.length === 0 && !tiles && !probed)) return;
        post({ type: 'progress', runId, progress: lastSeen, samples, health, tiles, probe: probed });
        samples = [];
        health = [];
        tiles = null;
        probed = null;
      };
      let lastProbe = -Infinity;
      const { yieldFn, close } = makeYield();
      try {
        const outcome = await trainRun(
          dataset,
          config,
          {
            onStart: (plan) => post({ type: 'started', runId, ...plan }),
            onSample: (s) => {
              samples.push(s.train);
              if (s.health) health.push(s.health);
              if (s.tiles) tiles = s.tiles;
              if (s.probe) probed = { probeId: probeAsked, probs: s.probe, x: s.train.x };
            },
            // At most a few updates a second: each one costs the page a render.
            onProgress: (progress) => {
              lastSeen = progress;
              const t = performance.now();
              if (t - lastProgress < PROGRESS_INTERVAL_MS && progress.batch < progress.batches) return;
              lastProgress = t;
              flush();
            },
            onEpoch: (log) => post({ type: 'epoch', runId, log }),
          },
          signal,
          {
            yieldFn,
            checkDevice,
            keepModel: true,
            deviceData,
            // The trained network stays on the device for the drawings: nothing goes back and forth.
            adopt: (net) => {
              dropPredictor();
              model = {
                id: modelId,
                weights: null,
                predictor: predictorOf(config.layers, net.kernels, net.biases, true),
              };
            },
            health: true,
            healthMinMs: HEALTH_MIN_MS,
            // Tiles every couple of seconds and at the end; the drawing at most as often as the
            // page hears about it (each costs a forward pass on the device).
            extras: ({ final }) => {
              const t = performance.now();
              const wantTiles = final || t - lastTiles >= TILES_INTERVAL_MS;
              if (wantTiles) lastTiles = t;
              const wantProbe =
                probe.input !== null &&
                (final || t - lastProbe >= PROGRESS_INTERVAL_MS || probe.probeId !== probeAsked);
              if (wantProbe) lastProbe = t;
              probeAsked = probe.probeId;
              return { tiles: wantTiles, probe: wantProbe ? probe.input : null };
            },
          },
        );
        flush();
        releasePooledTextures();
        const tensors = check(tensorsBefore);
        post({ type: outcome.status === 'done' ? 'done' : 'stopped', runId, outcome, tensors });
        // One prediction of a blank image compiles the predictor's GPU programs now, so that the
        // first drawing after the run answers as fast as the next ones (synchronous: in a worker).
        if (outcome.status === 'done' && model?.id === modelId)
          await model.predictor?.predict(new Float32Array(INPUT_SIZE)).catch(() => undefined);
      } finally {
        close();
      }
    } catch (e) {
      trialDone();
      flush();
      // Any failure on a lost context is the context's fault, whatever TensorFlow.js threw.
      const lost = e instanceof DeviceLostError || isDeviceLost();
      const message = lost
        ? `${new DeviceLostError().message} The epochs it finished are kept above. Press Train to start again: the lab starts a fresh worker and sets up the GPU anew (or falls back to WASM).`
        : errorText(e);
      if (!isDeviceLost()) releasePooledTextures();
      const tensors = tensorsBefore === null ? null : check(tensorsBefore);
      post({ type: 'error', runId, message, tensors, ...(lost ? { restart: true } : {}) });
    }
  };

  return (m) => {
    if (m.type === 'lose-webgl-context') {
      loseWebGLContext();
      return;
    }
    if (m.type === 'sample') {
      void sample(m);
      return;
    }
    if (m.type === 'load-model') {
      dropPredictor();
      model = { id: m.modelId, weights: m.model, predictor: null };
      return;
    }
    if (m.type === 'predict') {
      void predict(m);
      return;
    }
    if (m.type === 'probe') {
      probe = { probeId: m.probeId, input: m.input };
      return;
    }
    if (m.type === 'stop') {
      if (current?.runId === m.runId) current.controller.abort();
      return;
    }
    const previous = current;
    previous?.controller.abort();
    const controller = new AbortController();
    const finished = (previous?.finished ?? Promise.resolve()).then(() => run(m, controller.signal));
    current = { runId: m.runId, controller, finished };
  };
}
