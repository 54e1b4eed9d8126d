/**
 * The epoch loop: shuffles the training rows, runs the batches, reads the metrics back every few
 * batches (with whatever live measurements are due) and ends each epoch with its log and the
 * validation loss. This is the hot path of training: per batch it does the step and a few
 * comparisons, and per-epoch state lives in fields rather than in objects made per batch.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, type TrainConfig } from '../../core/network/spec';
import type { EpochLog } from '../../core/runs/runs';
import { batchColumns } from '../../core/dataset/columns';
import { deriveSeed, mulberry32, shuffledIndices } from '../../core/network/rng';
import { batchBounds } from '../../core/dataset/split';
import type { TrainPlan } from './plan';
import { HealthClock, liveSample, readBack } from './readBack';
import { COLUMN_OPTIONS, TrainStep, type BatchOrder, type RunTensors } from './step';
import { evaluate } from './evaluate';
import { DivergedError, type TrainCallbacks, type TrainOptions } from './types';

/** What the loop runs on; all of it fixed for the run. */
export interface LoopContext {
  /** The training images as bytes, to find the columns each batch uses. */
  readonly images: Uint8Array;
  readonly config: TrainConfig;
  readonly plan: TrainPlan;
  readonly tensors: RunTensors;
  readonly callbacks: TrainCallbacks;
  readonly signal: AbortSignal;
  readonly options: TrainOptions;
  readonly now: () => number;
}

export class EpochLoop {
  private readonly shuffleRng: () => number;
  private readonly order: Int32Array;
  private readonly scratch = new Uint8Array(INPUT_SIZE);
  private readonly clock: HealthClock;
  private readonly step: TrainStep;
  private readonly runStart: number;
  private samplesDone = 0;
  // The epoch so far: rows trained, and the sums at its previous read-back (for the loss since).
  private seen = 0;
  private previousLoss = 0;
  private previousCorrect = 0;
  private previousSeen = 0;

  /** Make it just before the first epoch: the run's speed is counted from here. */
  constructor(private readonly ctx: LoopContext) {
    this.shuffleRng = mulberry32(deriveSeed(ctx.config.seed, 1));
    this.order = new Int32Array(ctx.plan.split.trainCount);
    this.clock = new HealthClock(ctx.plan.health, ctx.now);
    this.step = new TrainStep(ctx.tensors, ctx.plan);
    this.runStart = ctx.now();
  }

  /** Trains one epoch (1-based) and returns its log, or null when the run was stopped during it. */
  async epoch(epoch: number): Promise<EpochLog | null> {
    const { plan, tensors, now } = this.ctx;
    const epochStart = now();
    shuffledIndices(plan.split.trainCount, this.shuffleRng, this.order);
    tf.tidy(() => tensors.sums.assign(tf.zerosLike(tensors.sums)));
    this.seen = 0;
    this.previousLoss = 0;
    this.previousCorrect = 0;
    this.previousSeen = 0;
    const order = tf.getBackend() === 'webgl' ? tf.tensor1d(this.order, 'int32') : null;
    try {
      if (!(await this.batches(epoch, order ?? this.order))) return null;
    } finally {
      order?.dispose();
    }
    const [lossSum = NaN, correct = 0] = await readBack(tensors.sums, this.ctx.options.checkDevice);
    const { split, total } = plan;
    const val =
      split.valCount > 0
        ? await evaluate(
            tensors.net,
            tensors.x,
            tensors.y,
            [split.trainCount, total],
            this.ctx.options.checkDevice,
            false,
            plan.regularization,
            plan.loss,
          )
        : null;
    return {
      epoch,
      loss: lossSum / this.seen,
      acc: correct / this.seen,
      valLoss: val ? val.loss : null,
      valAcc: val ? val.acc : null,
      seconds: (now() - epochStart) / 1000,
    };
  }

  /** The epoch's batches, in `order` (see BatchOrder); false when the run was stopped. */
  private async batches(epoch: number, order: BatchOrder): Promise<boolean> {
    const { plan, signal, options, tensors } = this.ctx;
    const batches = plan.split.batchesPerEpoch;
    for (let b = 0; b < batches; b++) {
      if (signal.aborted) return false;
      const [start, end] = batchBounds(plan.split, plan.batchSize, b);
      const size = end - start;
      const used = plan.compact
        ? batchColumns(this.ctx.images, this.order.subarray(start, end), COLUMN_OPTIONS, this.scratch)
        : null;
      const last = b === batches - 1;
      // The epoch's health sample comes from its last full-sized batch: shares measured on a
      // last batch of a few images (54,000 = 421 × 128 + 112; a subset can leave 1) mislead.
      const epochSample = this.clock.epochSampleAt(b);
      const read = last || epochSample || (b + 1) % plan.readEvery === 0;
      const withHealth = this.clock.tick(size, read, epochSample);
      const extras = read ? options.extras?.({ last, final: last && epoch === plan.epochs }) : undefined;
      const probe = extras?.probe && extras.probe.length === INPUT_SIZE ? extras.probe : null;
      const withTiles = extras?.tiles ?? false;
      if (plan.rate) tensors.optimizer.setRate(plan.rate((epoch - 1) * batches + b));
      // The step; on read-back steps also the extras, to be read back in one piece with the sums.
      const extra = this.step.run(order, start, size, used, withHealth, withTiles, probe);
      this.seen += size;
      this.samplesDone += size;
      if (read) {
        const both = extra.length > 0 ? tf.concat([tensors.sums, ...extra]) : null;
        let values: Float32Array;
        try {
          options.checkDevice?.();
          values = await readBack(both ?? tensors.sums, options.checkDevice);
        } finally {
          both?.dispose();
          tf.dispose(extra);
        }
        this.report(values, epoch, b, withHealth, probe !== null, withTiles);
      } else if (options.yieldFn) {
        await options.yieldFn();
      }
    }
    return true;
  }

  /** Hands a read-back after batch `b` (0-based) to the callbacks; throws when the loss diverged. */
  private report(
    values: Float32Array,
    epoch: number,
    b: number,
    withHealth: boolean,
    withProbe: boolean,
    withTiles: boolean,
  ): void {
    const { plan, callbacks, now } = this.ctx;
    const lossSum = values[0] ?? NaN;
    const correct = values[1] ?? 0;
    const loss = lossSum / this.seen;
    if (!Number.isFinite(loss)) throw new DivergedError(epoch, b + 1, this.ctx.config.learningRate);
    const batches = plan.split.batchesPerEpoch;
    const x = epoch - 1 + (b + 1) / batches;
    const window = this.seen - this.previousSeen;
    const train = { x, loss: (lossSum - this.previousLoss) / window, acc: (correct - this.previousCorrect) / window };
    this.previousLoss = lossSum;
    this.previousCorrect = correct;
    this.previousSeen = this.seen;
    this.clock.read();
    const scale = this.ctx.tensors.optimizer.gradientScale;
    callbacks.onSample?.(liveSample(values, train, plan, scale, withHealth, withProbe, withTiles));
    callbacks.onProgress?.({
      epoch,
      batch: b + 1,
      batches,
      loss,
      acc: correct / this.seen,
      samplesPerSecond: this.samplesDone / Math.max(1e-9, (now() - this.runStart) / 1000),
    });
  }
}
