/**
 * The training worker's service driven in Node: real MNIST images from a fake loader, TensorFlow.js's
 * CPU backend, and every posted message kept in order for the tests to wait for and read.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, type DatasetName, type TrainConfig } from '../../../src/core/network/spec';
import type { TrainedModel } from '../../../src/core/runs/model';
import { describeBackend, startBackend } from '../../../src/ml/backend';
import type { LoadData } from '../../../src/worker/dataCache';
import type { MainToWorker, WorkerToMain } from '../../../src/worker/protocol';
import { createTrainingService } from '../../../src/worker/service';
import { loadMnist } from '../helpers';

export type Msg<T extends WorkerToMain['type']> = Extract<WorkerToMain, { type: T }>;
export type RunMsg = Extract<WorkerToMain, { runId: number }>;

/** 1,000 training and 1,500 test images (two chunks of an imported model's test). */
export function mnistData(): TrainData {
  return { train: loadMnist('train', 1000), test: loadMnist('t10k', 1500) };
}

/** A small ReLU network with Adam on scaled inputs: well above chance after one quick epoch. */
export const QUICK: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 32, activation: 'relu' }],
  epochs: 1,
  batchSize: 16,
  learningRate: 0.003,
  optimizer: 'adam',
  preprocessing: 'scaled',
  backend: 'cpu',
  seed: 3,
};

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A loadData that reports progress as it "downloads" and counts its calls; `failures` calls reject first. */
export function fakeLoader(data: TrainData, failures: readonly string[] = []) {
  const calls: { baseUrl: string; dataset: DatasetName }[] = [];
  const load: LoadData = async (baseUrl, dataset, onProgress) => {
    calls.push({ baseUrl, dataset });
    const failure = failures[calls.length - 1];
    await tick();
    onProgress({ loaded: 0, total: 1000, fromCache: false });
    await tick();
    if (failure !== undefined) throw new Error(failure);
    onProgress({ loaded: 1000, total: 1000, fromCache: false });
    return data;
  };
  return { load, calls };
}

/**
 * A service with the CPU backend (or `backend`, for every run) and `load` for data; `send` is the
 * page, `messages` what the worker posted.
 */
export function harness(load: LoadData, backend: 'cpu' | 'wasm' = 'cpu') {
  const messages: WorkerToMain[] = [];
  const backendRequests: string[] = [];
  let waiters: { match: (m: WorkerToMain) => boolean; resolve: (m: WorkerToMain) => void }[] = [];
  const handle = createTrainingService(
    (m) => {
      messages.push(m);
      const hit = waiters.filter((w) => w.match(m));
      waiters = waiters.filter((w) => !w.match(m));
      for (const w of hit) w.resolve(m);
    },
    {
      loadData: load,
      selectBackend: async (requested) => {
        backendRequests.push(requested);
        if (!(await startBackend(backend))) throw new Error(`the ${backend} backend did not start`);
        return { name: backend, reason: describeBackend(backend) };
      },
    },
  );

  /** The first message of `type` (from index `from` on) that `pred` accepts, as soon as it is posted. */
  function waitFor<T extends WorkerToMain['type']>(
    type: T | readonly T[],
    pred: (m: Msg<T>) => boolean = () => true,
    { from = 0, timeoutMs = 30_000 }: { from?: number; timeoutMs?: number } = {},
  ): Promise<Msg<T>> {
    const types: readonly string[] = typeof type === 'string' ? [type] : type;
    const match = (m: WorkerToMain): boolean => types.includes(m.type) && pred(m as Msg<T>);
    const seen = messages.slice(from).find(match);
    if (seen) return Promise.resolve(seen as Msg<T>);
    return new Promise<Msg<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w.match !== match);
        const got = messages.map((m) => m.type).join(', ');
        reject(new Error(`no '${types.join("' or '")}' message within ${timeoutMs} ms; got: ${got}`));
      }, timeoutMs);
      waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Msg<T>);
        },
      });
    });
  }

  return {
    messages,
    backendRequests,
    send: (m: MainToWorker) => handle(m),
    waitFor,
    /** The messages about run `runId`, in order. */
    run: (runId: number): RunMsg[] => messages.filter((m): m is RunMsg => 'runId' in m && m.runId === runId),
    /** The messages answering request `requestId` (samples, predictions, tests), in order. */
    request: (requestId: number) => messages.filter((m) => 'requestId' in m && m.requestId === requestId),
  };
}

export function train(runId: number, config: TrainConfig = QUICK, modelId = `run-${runId}`): MainToWorker {
  return { type: 'train', runId, config, baseUrl: '/lab/', modelId };
}

/** Test image `i` of `data` scaled to 0..1, as a scaled model's input. */
export function scaledImage(data: TrainData, i: number): Float32Array {
  return Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
}

/** The class probabilities and hidden outputs of `model` for `input`, in double precision (no TensorFlow.js). */
export function forward(model: TrainedModel, input: ArrayLike<number>): { probs: number[]; hidden: number[][] } {
  let h: number[] = Array.from(input);
  const hidden: number[][] = [];
  const layer = (k: Float32Array, b: Float32Array) => {
    const z = Array.from(b);
    const out = b.length;
    for (let i = 0; i < h.length; i++) {
      const x = h[i] as number;
      if (x === 0) continue;
      for (let j = 0; j < out; j++) z[j] = (z[j] as number) + x * (k[i * out + j] as number);
    }
    return z;
  };
  model.layers.forEach((l, i) => {
    const z = layer(model.kernels[i] as Float32Array, model.biases[i] as Float32Array);
    h = z.map((v) => {
      switch (l.activation) {
        case 'relu':
          return Math.max(0, v);
        case 'sigmoid':
          return 1 / (1 + Math.exp(-v));
        case 'tanh':
          return Math.tanh(v);
        case 'linear':
          return v;
      }
    });
    hidden.push(h);
  });
  const last = model.layers.length;
  const logits = layer(model.kernels[last] as Float32Array, model.biases[last] as Float32Array);
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return { probs: e.map((v) => v / sum), hidden };
}

/** Everything TensorFlow.js holds right now. */
export function memory(): { tensors: number; bytes: number } {
  const m = tf.memory();
  return { tensors: m.numTensors, bytes: m.numBytes };
}

export function argMax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}
