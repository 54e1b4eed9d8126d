/**
 * The training loop: Keras's fit(validation_split, shuffle=True) followed by evaluate() on the
 * test set, on whatever tfjs backend is active. It owns every tensor it makes and frees them all
 * whether the run finishes, is stopped through the AbortSignal, or fails.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledImages, TrainData } from '../core/dataset';
import { INPUT_SIZE, NUM_CLASSES, type TrainConfig } from '../core/spec';
import { totalParams } from '../core/params';
import { deriveSeed, mulberry32, shuffledIndices } from '../core/rng';
import { batchBounds, kerasSplit } from '../core/split';
import { backward, batchStats, createMlp, forward, type Mlp } from './mlp';
import { createOptimizer } from './optimizers';


/** One row of Keras's History, plus the epoch's wall time. */
export interface EpochLog {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly loss: number;
  readonly acc: number;
  readonly valLoss: number | null;
  readonly valAcc: number | null;
  readonly seconds: number;
}

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
  readonly params: number;
  readonly trainCount: number;
  readonly valCount: number;
}

export interface RunPlan {
  readonly trainCount: number;
  readonly valCount: number;
  readonly batches: number;
}

export interface TrainCallbacks {
  onStart?: (plan: RunPlan) => void;
  onProgress?: (p: Progress) => void;
  onEpoch?: (log: EpochLog) => void;
}

export interface TrainOptions {
  /** Read the metrics back from the device every this many batches (default 10). */
  readonly readEvery?: number;
  /** Yields to the event loop between batches so a stop message can arrive. */
  readonly yieldFn?: () => Promise<void>;
  readonly now?: () => number;
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

/** Uploads images [from, to) as float32 [n, 784], raw 0..255 or divided by 255. */
function imagesTensor(src: LabelledImages, from: number, to: number, scaled: boolean): tf.Tensor {
  const bytes = src.images.subarray(from * INPUT_SIZE, to * INPUT_SIZE);
  const values = new Float32Array(bytes.length);
  if (scaled) for (let i = 0; i < bytes.length; i++) values[i] = (bytes[i] as number) / 255;
  else values.set(bytes);
  return tf.tensor2d(values, [to - from, INPUT_SIZE]);
}

function labelsTensor(src: LabelledImages, from: number, to: number): tf.Tensor {
  return tf.tensor1d(Int32Array.from(src.labels.subarray(from, to)), 'int32');
}

/** Mean loss and accuracy of the network over all rows of x / y, in chunks. */
async function evaluate(net: Mlp, x: tf.Tensor, y: tf.Tensor): Promise<{ loss: number; acc: number }> {
  const n = x.shape[0];
  const sums = tf.tidy(() => {
    let loss: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0);
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const size = Math.min(EVAL_CHUNK, n - start);
      const xb = tf.slice(x, [start, 0], [size, INPUT_SIZE]);
      const yb = tf.slice(y, [start], [size]);
      const outs = forward(net, xb);
      const stats = batchStats(outs[outs.length - 1] as tf.Tensor, tf.oneHot(yb, NUM_CLASSES) as tf.Tensor, yb);
      loss = tf.add(loss, stats.lossSum);
      correct = tf.add(correct, stats.correct);
    }
    return tf.stack([loss, correct]);
  });
  const [loss, correct] = await sums.data();
  sums.dispose();
  return { loss: (loss as number) / n, acc: (correct as number) / n };
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
  try {
    const xTrain = own(imagesTensor(data.train, 0, plan.trainCount, scaled));
    const yTrain = own(labelsTensor(data.train, 0, plan.trainCount));
    const xVal = plan.valCount > 0 ? own(imagesTensor(data.train, plan.trainCount, total, scaled)) : null;
    const yVal = plan.valCount > 0 ? own(labelsTensor(data.train, plan.trainCount, total)) : null;
    net = createMlp(config.layers, config.seed);
    const vars = [...net.kernels, ...net.biases];
    optimizer = createOptimizer(config.optimizer, config.learningRate, vars);
    const [lossAcc, correctAcc] = tf.tidy(() => [tf.variable(tf.scalar(0), false), tf.variable(tf.scalar(0), false)]);
    own(lossAcc);
    own(correctAcc);
    const shuffleRng = mulberry32(deriveSeed(config.seed, 1));
    const order = new Int32Array(plan.trainCount);
    callbacks.onStart?.({ trainCount: plan.trainCount, valCount: plan.valCount, batches: plan.batchesPerEpoch });
    const runStart = now();
    let samplesDone = 0;

    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const epochStart = now();
      shuffledIndices(plan.trainCount, shuffleRng, order);
      const orderT = tf.tensor1d(order, 'int32');
      tf.tidy(() => {
        lossAcc.assign(tf.zerosLike(lossAcc));
        correctAcc.assign(tf.zerosLike(correctAcc));
      });
      let seen = 0;
      try {
        for (let b = 0; b < plan.batchesPerEpoch; b++) {
          if (signal.aborted) return { status: 'stopped', epochs, testLoss: null, testAcc: null, ...base };
          const [start, end] = batchBounds(plan, config.batchSize, b);
          const size = end - start;
          const currentNet = net;
          const currentOpt = optimizer;
          tf.tidy(() => {
            const idx = tf.slice(orderT, [start], [size]);
            const xb = tf.gather(xTrain, idx) as tf.Tensor;
            const yb = tf.gather(yTrain, idx) as tf.Tensor;
            const oneHot = tf.oneHot(yb, NUM_CLASSES) as tf.Tensor;
            const outs = forward(currentNet, xb);
            const stats = batchStats(outs[outs.length - 1] as tf.Tensor, oneHot, yb);
            lossAcc.assign(tf.add(lossAcc, stats.lossSum));
            correctAcc.assign(tf.add(correctAcc, stats.correct));
            const grads = backward(currentNet, xb, outs, oneHot, stats.pTrue, size);
            currentOpt.apply(vars, [...grads.kernelGrads, ...grads.biasGrads]);
          });
          seen += size;
          samplesDone += size;
          const last = b === plan.batchesPerEpoch - 1;
          if (last || (b + 1) % readEvery === 0) {
            const [lossSum, correct] = await Promise.all([lossAcc.data(), correctAcc.data()]);
            const loss = (lossSum?.[0] ?? NaN) / seen;
            if (!Number.isFinite(loss)) throw new DivergedError(epoch, b + 1, config.learningRate);
            callbacks.onProgress?.({
              epoch,
              batch: b + 1,
              batches: plan.batchesPerEpoch,
              loss,
              acc: (correct?.[0] ?? 0) / seen,
              samplesPerSecond: samplesDone / Math.max(1e-9, (now() - runStart) / 1000),
            });
          } else if (options.yieldFn) {
            await options.yieldFn();
          }
        }
      } finally {
        orderT.dispose();
      }
      const [lossSum, correct] = await Promise.all([lossAcc.data(), correctAcc.data()]);
      const val = xVal && yVal ? await evaluate(net, xVal, yVal) : null;
      const log: EpochLog = {
        epoch,
        loss: (lossSum?.[0] ?? NaN) / seen,
        acc: (correct?.[0] ?? 0) / seen,
        valLoss: val ? val.loss : null,
        valAcc: val ? val.acc : null,
        seconds: (now() - epochStart) / 1000,
      };
      epochs.push(log);
      callbacks.onEpoch?.(log);
    }
    if (signal.aborted) return { status: 'stopped', epochs, testLoss: null, testAcc: null, ...base };
    const xTest = own(imagesTensor(data.test, 0, data.test.labels.length, scaled));
    const yTest = own(labelsTensor(data.test, 0, data.test.labels.length));
    const test = await evaluate(net, xTest, yTest);
    return { status: 'done', epochs, testLoss: test.loss, testAcc: test.acc, ...base };
  } finally {
    net?.dispose();
    optimizer?.dispose();
    tf.dispose(owned);
  }
}
