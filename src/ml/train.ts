/**
 * The training loop: Keras's fit(validation_split, shuffle=True) followed by evaluate() on the
 * test set, on whatever tfjs backend is active. It owns every tensor it makes and frees them all
 * whether the run finishes, is stopped through the AbortSignal, or fails.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../core/dataset/dataset';
import { INPUT_SIZE, type TrainConfig } from '../core/network/spec';
import type { EpochLog } from '../core/runs/runs';
import type { KeptModel, TrainedModel } from '../core/runs/model';
import { totalParams } from '../core/network/params';
import { batchColumns } from '../core/dataset/columns';
import { deriveSeed, mulberry32, shuffledIndices } from '../core/network/rng';
import { batchBounds, kerasSplit } from '../core/dataset/split';
import {
  decodeHealth,
  healthVectorLength,
  LIVE_TILE_UNITS,
  type HealthSample,
  type LiveTiles,
  type TrainSample,
} from '../core/diagnosis/health';
import { backward, createMlp, forward, GPU_INPUT_WIDTH, headOps, type Mlp } from './mlp';
import { kernelsFor } from './kernels/kernels';
import { createOptimizer } from './optimizers';
import { healthVector, sumSq } from './healthProbe';
import { createDeviceData, type DeviceData } from './deviceData';

export type { EpochLog };

export interface Progress {
  /** 1-based epoch in progress. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Running means over the batches of this epoch so far. */
  readonly loss: number;
  readonly acc: number;
  /** Training samples per second over the run so far. */
  readonly samplesPerSecond: number;
}

export interface RunOutcome {
  readonly status: 'done' | 'stopped';
  readonly epochs: readonly EpochLog[];
  readonly testLoss: number | null;
  readonly testAcc: number | null;
  /** The trained weights and the test-set predictions, when the run finished and keepModel was set. */
  readonly kept?: KeptModel;
  readonly params: number;
  readonly trainCount: number;
  readonly valCount: number;
}

export interface RunPlan {
  readonly trainCount: number;
  readonly valCount: number;
  readonly batches: number;
}

/** What the loop measured at one read-back, besides the running means of Progress. */
export interface LiveSample {
  /** Loss and accuracy over the batches since the previous read-back. */
  readonly train: TrainSample;
  /** Every layer's health at this step, when it was sampled. */
  readonly health: HealthSample | null;
  /** The first layer's weights, when asked for. */
  readonly tiles: LiveTiles | null;
  /** The probe image's class probabilities with the current weights, when a probe was given. */
  readonly probe: Float32Array | null;
}

/** What to read back at the next read-back besides the metrics; asked before each one. */
export interface ExtrasRequest {
  readonly tiles: boolean;
  /** One image [784] in the run's input range, to classify with the current weights. */
  readonly probe: Float32Array | null;
}

export interface TrainCallbacks {
  onStart?: (plan: RunPlan) => void;
  onProgress?: (p: Progress) => void;
  /** At every read-back, just before onProgress. */
  onSample?: (s: LiveSample) => void;
  onEpoch?: (log: EpochLog) => void;
}

export interface TrainOptions {
  /** Read the metrics back from the device every this many batches (default 10). */
  readonly readEvery?: number;
  /** Multiply only the input columns a batch uses (default true; false for comparisons). */
  readonly compactColumns?: boolean;
  /**
   * Run the step on TensorFlow.js's plain ops (kernels.ts's reference set) instead of the active
   * backend's own kernels (default false; true for comparisons).
   */
  readonly plainOps?: boolean;
  /** Called before every read-back; throws when the device can no longer be trusted. */
  readonly checkDevice?: () => void;
  /** Yields to the event loop between batches so a stop message can arrive. */
  readonly yieldFn?: () => Promise<void>;
  readonly now?: () => number;
  /** Read the trained weights and per-image test predictions back at the end (default false). */
  readonly keepModel?: boolean;
  /**
   * Measure every layer's health (core/diagnosis/health.ts) every `healthEvery` batches (and
   * `healthMinMs`), at the first read-back and at the end of each epoch (default false). Read back
   * with the metrics.
   */
  readonly health?: boolean;
  /** Batches between health samples (default 40; rounded up to a multiple of readEvery). */
  readonly healthEvery?: number;
  /**
   * And at least this many milliseconds (default 0): on a fast network the samples then cost a
   * fixed share of the time, not of the batches.
   */
  readonly healthMinMs?: number;
  /**
   * Asked before every read-back (`last`: the epoch's last batch; `final`: the run's): live tiles
   * and a probe image.
   */
  readonly extras?: (at: { readonly last: boolean; readonly final: boolean }) => ExtrasRequest;
  /**
   * Where the images on the device come from: a cache shared by runs (the worker's), whose tensors
   * the run leaves alone. Default: the run uploads what it needs and frees it at the end.
   */
  readonly deviceData?: DeviceData;
  /**
   * Takes the trained network off the run's hands when it finished (with keepModel): its weights
   * stay on the device, owned by the callee from then on (the worker predicts with them).
   */
  readonly adopt?: (net: Mlp) => void;
}

export class DivergedError extends Error {
  constructor(epoch: number, batch: number, learningRate: number) {
    super(
      `Training diverged in epoch ${epoch} near batch ${batch}: the loss became NaN or infinite. ` +
        `Try a lower learning rate (this run used ${learningRate}) or scaled inputs (pre=scaled).`,
    );
    this.name = 'DivergedError';
  }
}

const EVAL_CHUNK = 2000;

const COLUMN_OPTIONS = { width: INPUT_SIZE, paddedWidth: GPU_INPUT_WIDTH, padIndex: INPUT_SIZE, bucket: 32 } as const;

/**
 * Reads a tensor back, but gives up with the error of `checkDevice` if the device goes away
 * meanwhile: on a lost WebGL context a read-back may never resolve.
 */
async function readBack(t: tf.Tensor, checkDevice: (() => void) | undefined): Promise<Float32Array> {
  const read = t.data() as Promise<Float32Array>;
  if (!checkDevice) return read;
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        checkDevice();
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }, 250);
  });
  try {
    return await Promise.race([read, watch]);
  } finally {
    clearInterval(timer);
  }
}

interface Evaluation {
  readonly loss: number;
  readonly acc: number;
  /** Per row, with `perRow`: the predicted class and its softmax probability. */
  readonly preds?: Uint8Array;
  readonly probs?: Float32Array;
}

/** Mean loss and accuracy of the network over rows [from, to) of x / y, in chunks (and per-row results). */
async function evaluate(
  net: Mlp,
  x: tf.Tensor,
  y: tf.Tensor,
  [from, to]: readonly [number, number],
  checkDevice?: () => void,
  perRow = false,
): Promise<Evaluation> {
  const n = to - from;
  const [totals, preds, probs] = tf.tidy(() => {
    let sums: tf.Tensor = tf.zeros([2]);
    const p: tf.Tensor[] = [];
    const q: tf.Tensor[] = [];
    for (let start = from; start < to; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, to - start);
      const xb = tf.slice(x, [start, 0], [size, GPU_INPUT_WIDTH]);
      const yb = tf.slice(y, [start], [size]);
      const logits = forward(net, xb).logits;
      sums = tf.add(sums, headOps(logits, yb).stats);
      if (perRow) {
        p.push(tf.argMax(logits, 1));
        q.push(tf.max(tf.softmax(logits), 1));
      }
    }
    return perRow ? [sums, tf.concat(p), tf.concat(q)] : [sums];
  });
  try {
    const [loss = NaN, correct = 0] = await readBack(totals as tf.Tensor, checkDevice);
    if (!preds || !probs) return { loss: loss / n, acc: correct / n };
    const predRead = await (preds.data() as Promise<Int32Array>);
    return {
      loss: loss / n,
      acc: correct / n,
      preds: Uint8Array.from(predRead),
      probs: await readBack(probs, checkDevice),
    };
  } finally {
    tf.dispose([totals, preds, probs].filter((t): t is tf.Tensor => t !== undefined));
  }
}

/** The network's weights as plain arrays (the first kernel without its two zero padding rows). */
async function readModel(net: Mlp, config: TrainConfig): Promise<TrainedModel> {
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i < net.kernels.length; i++) {
    const k = net.kernels[i] as tf.Variable;
    const all = (await k.data()) as Float32Array;
    kernels.push(i === 0 ? all.slice(0, INPUT_SIZE * (k.shape[1] as number)) : all);
    biases.push((await (net.biases[i] as tf.Variable).data()) as Float32Array);
  }
  return { layers: config.layers, preprocessing: config.preprocessing, dataset: config.dataset, kernels, biases };
}

/**
 * Trains a fresh network of `config` on `data` and evaluates it on the test set.
 * Resolves with status 'stopped' (and the finished epochs) when `signal` aborts; stop takes effect
 * before the next batch. Rejects with DivergedError when the loss stops being finite.
 */
export async function trainRun(
  data: TrainData,
  config: TrainConfig,
  callbacks: TrainCallbacks,
  signal: AbortSignal,
  options: TrainOptions = {},
): Promise<RunOutcome> {
  const now = options.now ?? (() => performance.now());
  const readEvery = Math.max(1, options.readEvery ?? 10);
  const healthEvery = Math.ceil(Math.max(1, options.healthEvery ?? 40) / readEvery) * readEvery;
  const compact = options.compactColumns ?? true;
  // The step's kernels: the active backend's own (kernels.ts), fixed for the run.
  const k = kernelsFor(tf.getBackend(), options.plainOps ?? false);
  const total = Math.min(config.subset ?? data.train.labels.length, data.train.labels.length);
  const plan = kerasSplit(total, config.validationSplit, config.batchSize);
  const scaled = config.preprocessing === 'scaled';
  const params = totalParams(config.layers);
  const epochs: EpochLog[] = [];
  const base = { params, trainCount: plan.trainCount, valCount: plan.valCount };

  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  let net: Mlp | null = null;
  let optimizer: ReturnType<typeof createOptimizer> | null = null;
  // The run's own upload cache unless it was given one; its images are views of one upload each.
  const ownData = options.deviceData ? null : createDeviceData();
  const deviceData = options.deviceData ?? (ownData as DeviceData);
  try {
    if (signal.aborted) return { status: 'stopped', epochs, testLoss: null, testAcc: null, ...base };
    // Rows [0, trainCount) train, [trainCount, total) validate: one upload of the first `total`.
    deviceData.keepOnly([data.train, data.test], scaled);
    const { x: xTrain, y: yTrain } = deviceData.images(data.train, total, scaled);
    net = createMlp(config.layers, config.seed, config.init);
    const vars = [...net.kernels, ...net.biases];
    optimizer = createOptimizer(config.optimizer, config.learningRate, vars);
    // [summed loss, number correct] of the epoch so far, accumulated on the device.
    const sums = own(tf.tidy(() => tf.variable(tf.zeros([2]), false)));

    const shuffleRng = mulberry32(deriveSeed(config.seed, 1));
    const order = new Int32Array(plan.trainCount);
    const scratch = new Uint8Array(INPUT_SIZE);
    callbacks.onStart?.({ trainCount: plan.trainCount, valCount: plan.valCount, batches: plan.batchesPerEpoch });
    const runStart = now();
    let samplesDone = 0;

    const units = config.layers.map((l) => l.units);
    const activations = config.layers.map((l) => l.activation);
    const tileUnits = Math.min(LIVE_TILE_UNITS, units[0] ?? 10);
    let firstRead = true;
    // A batch at least half the batch size counts as full for health; the last such in an epoch.
    const fullEnough = Math.min(Math.ceil(config.batchSize / 2), plan.trainCount);
    const lastBatchSize = plan.trainCount - (plan.batchesPerEpoch - 1) * config.batchSize;
    const lastFullBatch = lastBatchSize >= fullEnough ? plan.batchesPerEpoch - 1 : plan.batchesPerEpoch - 2;
    let batchesSinceHealth = 0;
    let lastHealthAt = -Infinity;
    const healthMinMs = options.healthMinMs ?? 0;
    const healthOn = options.health ?? false;

    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = now();
      shuffledIndices(plan.trainCount, shuffleRng, order);
      tf.tidy(() => sums.assign(tf.zerosLike(sums)));
      const orderT = tf.tensor1d(order, 'int32');
      let seen = 0;
      // The sums at the previous read-back of this epoch, for the loss of the batches since.
      let previous = { loss: 0, correct: 0, seen: 0 };
      try {
        for (let b = 0; b < plan.batchesPerEpoch; b++) {
          if (signal.aborted) return { status: 'stopped', epochs, testLoss: null, testAcc: null, ...base };
          const [start, end] = batchBounds(plan, config.batchSize, b);
          const size = end - start;
          const currentNet = net;
          const currentOpt = optimizer;
          const rowsOfBatch = order.subarray(start, end);
          const used = compact ? batchColumns(data.train.images, rowsOfBatch, COLUMN_OPTIONS, scratch) : null;
          const last = b === plan.batchesPerEpoch - 1;
          // The epoch's health sample comes from its last full-sized batch: shares measured on a
          // last batch of a few images (54,000 = 421 × 128 + 112; a subset can leave 1) mislead.
          const healthEnd = healthOn && b === lastFullBatch;
          const read = last || healthEnd || (b + 1) % readEvery === 0;
          batchesSinceHealth++;
          const due = read && batchesSinceHealth >= healthEvery && now() - lastHealthAt >= healthMinMs;
          const sampleHealth = healthOn && read && size >= fullEnough && (firstRead || healthEnd || due);
          if (sampleHealth) {
            batchesSinceHealth = 0;
            lastHealthAt = now();
          }
          const extras = read ? options.extras?.({ last, final: last && epoch === config.epochs }) : undefined;
          const probe = extras?.probe && extras.probe.length === INPUT_SIZE ? extras.probe : null;

          // The step; on read-back steps also the health vector, the probe's probabilities and
          // the tiles, each flattened, to be read back in one piece with the sums.
          const extra = tf.tidy(() => {
            const idx = tf.slice(orderT, [start], [size]);
            const columns = used
              ? { cols: tf.tensor1d(used.cols, 'int32'), inv: tf.tensor1d(used.inv, 'int32') }
              : undefined;
            const xb = columns ? k.gatherBatch(xTrain, idx, columns.cols) : k.gatherImages(xTrain, idx);
            const out = forward(currentNet, xb, columns, k);
            const labels = tf.gather(yTrain, idx);
            const { stats, dz } = k.head(out.logits, labels, currentOpt.gradientScale);
            sums.assign(tf.add(sums, stats));
            const grads = backward(currentNet, xb, out.hidden, dz, k);
            // Health: ΣW² before the step; for optimizers whose step is not the gradient itself,
            // clones (which share the old kernels' storage, no copy) to measure the step after it.
            const weightSq = sampleHealth ? currentNet.kernels.map((k) => sumSq(k)) : null;
            const before =
              sampleHealth && !currentOpt.stepIsGradient ? currentNet.kernels.map((k) => tf.clone(k)) : null;
            currentOpt.apply(
              vars,
              [...grads.kernelGrads, ...grads.biasGrads],
              columns && { inv: columns.inv, kernels: k },
            );
            const parts: tf.Tensor[] = [];
            if (weightSq) {
              const gradSq = grads.kernelGrads.map((g) => sumSq(g));
              const stepSq = before
                ? currentNet.kernels.map((k, i) => sumSq(tf.sub(k, before[i] as tf.Tensor)))
                : gradSq;
              parts.push(
                healthVector({ activations, hidden: out.hidden, gradSq, stepSq, weightSq, logits: out.logits, labels }),
              );
            }
            if (probe) {
              const x = tf.pad(tf.tensor2d(probe, [1, INPUT_SIZE]), [
                [0, 0],
                [0, GPU_INPUT_WIDTH - INPUT_SIZE],
              ]);
              parts.push(tf.reshape(tf.softmax(forward(currentNet, x).logits), [-1]));
            }
            if (extras?.tiles)
              parts.push(
                tf.reshape(tf.slice(currentNet.kernels[0] as tf.Tensor, [0, 0], [INPUT_SIZE, tileUnits]), [-1]),
              );
            return parts;
          });
          seen += size;
          samplesDone += size;
          if (read) {
            const both = extra.length > 0 ? tf.concat([sums, ...extra]) : null;
            let values: Float32Array;
            try {
              options.checkDevice?.();
              values = await readBack(both ?? sums, options.checkDevice);
            } finally {
              both?.dispose();
              tf.dispose(extra);
            }
            const lossSum = values[0] ?? NaN;
            const correct = values[1] ?? 0;
            const loss = lossSum / seen;
            if (!Number.isFinite(loss)) throw new DivergedError(epoch, b + 1, config.learningRate);
            const x = epoch - 1 + (b + 1) / plan.batchesPerEpoch;
            let at = 2;
            const health = sampleHealth
              ? decodeHealth(values, at, activations, units, currentOpt.gradientScale, x)
              : null;
            if (sampleHealth) at += healthVectorLength(units.length);
            const probs = probe ? values.slice(at, at + 10) : null;
            if (probe) at += 10;
            const tiles = extras?.tiles
              ? { units: tileUnits, values: values.slice(at, at + INPUT_SIZE * tileUnits), x }
              : null;
            const window = seen - previous.seen;
            const train = { x, loss: (lossSum - previous.loss) / window, acc: (correct - previous.correct) / window };
            previous = { loss: lossSum, correct, seen };
            firstRead = false;
            callbacks.onSample?.({ train, health, tiles, probe: probs });
            callbacks.onProgress?.({
              epoch,
              batch: b + 1,
              batches: plan.batchesPerEpoch,
              loss,
              acc: correct / seen,
              samplesPerSecond: samplesDone / Math.max(1e-9, (now() - runStart) / 1000),
            });
          } else if (options.yieldFn) {
            await options.yieldFn();
          }
        }
      } finally {
        orderT.dispose();
      }
      const [lossSum = NaN, correct = 0] = await readBack(sums, options.checkDevice);
      const val =
        plan.valCount > 0 ? await evaluate(net, xTrain, yTrain, [plan.trainCount, total], options.checkDevice) : null;
      const log: EpochLog = {
        epoch,
        loss: lossSum / seen,
        acc: correct / seen,
        valLoss: val ? val.loss : null,
        valAcc: val ? val.acc : null,
        seconds: (now() - epochStart) / 1000,
      };
      epochs.push(log);
      callbacks.onEpoch?.(log);
    }
    if (signal.aborted) return { status: 'stopped', epochs, testLoss: null, testAcc: null, ...base };
    const testRows = data.test.labels.length;
    const { x: xTest, y: yTest } = deviceData.images(data.test, testRows, scaled);
    const keep = options.keepModel ?? false;
    const test = await evaluate(net, xTest, yTest, [0, testRows], options.checkDevice, keep);
    const outcome = { status: 'done' as const, epochs, testLoss: test.loss, testAcc: test.acc, ...base };
    if (!keep || !test.preds || !test.probs) return outcome;
    const model = await readModel(net, config);
    const labels = data.test.labels.slice();
    if (options.adopt) {
      // From here on the weights are the callee's (they stay on the device to predict).
      const trained = net;
      net = null;
      options.adopt(trained);
    }
    return { ...outcome, kept: { model, test: { labels, preds: test.preds, probs: test.probs } } };
  } finally {
    net?.dispose();
    optimizer?.dispose();
    tf.dispose(owned);
    ownData?.dispose();
  }
}
