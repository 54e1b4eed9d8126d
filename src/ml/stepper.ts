/**
 * Stepping through training one batch at a time: a network made exactly as a run makes it (same
 * seed, initializer, optimizer, shuffling and batches), trained one batch per call by the same
 * forward pass, loss head, backward pass and update as the run's step (train/step.ts), so that
 * after n steps its weights are a run's after n batches. Each call reports what core/step/step.ts
 * describes: the batch's loss, the gradient reaching each unit, the update applied, and one
 * image's activations with the new weights. It owns its network and optimizer until disposed;
 * the images are the upload cache's.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../core/dataset/dataset';
import { batchColumns } from '../core/dataset/columns';
import { batchBounds } from '../core/dataset/split';
import { deriveSeed, mulberry32, shuffledIndices } from '../core/network/rng';
import { INPUT_SIZE, type TrainConfig } from '../core/network/spec';
import type { StepImageSource, StepLayer, StepResult, UnitWeights } from '../core/step/step';
import type { DeviceData } from './deviceData';
import { DropoutMasks } from './dropout';
import { Augmenter } from './augment';
import { createMlp, forward, type Mlp } from './mlp';
import { foldedNorm } from './batchNorm';
import { createOptimizer, type Optimizer } from './optimizers';
import { planRun } from './train/plan';
import { COLUMN_OPTIONS, inputRow, trainBatch } from './train/step';
import type { TrainPlan } from './train/plan';

/** The image a step shows, in the run's input range, and where it came from. */
export interface StepImage {
  readonly input: Float32Array;
  readonly source: StepImageSource;
}

export class Stepper {
  readonly net: Mlp;
  readonly optimizer: Optimizer;
  readonly vars: tf.Variable[];
  private readonly plan: TrainPlan;
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly dropout: DropoutMasks | null;
  readonly augment: Augmenter | null;
  private readonly rng: () => number;
  private readonly order: Int32Array;
  private readonly scratch = new Uint8Array(INPUT_SIZE);
  private orderTensor: tf.Tensor | null = null;
  private steps = 0;
  private epoch = 0;
  private batch = 0;

  constructor(
    private readonly data: TrainData,
    readonly config: TrainConfig,
    deviceData: DeviceData,
  ) {
    this.plan = planRun(data, config, {});
    deviceData.keepOnly([data.train, data.test], this.plan.scaled);
    const images = deviceData.images(data.train, this.plan.total, this.plan.scaled);
    this.x = images.x;
    this.y = images.y;
    this.net = createMlp(config.layers, config.seed, config.init);
    this.vars = [...this.net.trainable];
    try {
      this.optimizer = createOptimizer(config.optimizer, config.learningRate, this.vars);
    } catch (e) {
      this.net.dispose();
      throw e;
    }
    this.rng = mulberry32(deriveSeed(config.seed, 1));
    this.dropout = DropoutMasks.of(config);
    this.augment = Augmenter.of(config);
    this.order = new Int32Array(this.plan.split.trainCount);
  }

  /** The next batch of the run: [start, end) of the epoch's order (shuffled at each epoch's start) and its columns. */
  private nextBatch() {
    const { split, batchSize } = this.plan;
    if (this.orderTensor === null || this.batch >= split.batchesPerEpoch) {
      // A new epoch: shuffled as the run's epoch loop shuffles it.
      shuffledIndices(split.trainCount, this.rng, this.order);
      this.orderTensor?.dispose();
      this.orderTensor = tf.tensor1d(this.order, 'int32');
      this.epoch++;
      this.batch = 0;
    }
    const [start, end] = batchBounds(split, batchSize, this.batch);
    const used = this.plan.compact
      ? batchColumns(this.data.train.images, this.order.subarray(start, end), COLUMN_OPTIONS, this.scratch)
      : null;
    return { order: this.orderTensor, start, end, used };
  }

  /**
   * Trains the next batch at `rate` (the learning-rate finder's, core/network/rateFinder.ts) and
   * returns the batch's mean loss before the update; nothing else is read.
   */
  async trainAt(rate: number): Promise<number> {
    const { order, start, end, used } = this.nextBatch();
    this.optimizer.setRate(rate);
    const stats = tf.tidy(() => trainBatch(this, this.plan, order, start, end - start, used).stats);
    try {
      const values = (await stats.data()) as Float32Array;
      return (values[0] ?? NaN) / (end - start);
    } finally {
      stats.dispose();
      this.steps++;
      this.batch++;
    }
  }

  /** Trains the next batch; reports it, with `image` passed through the network after the step. */
  async step(image: StepImage): Promise<StepResult> {
    const { split } = this.plan;
    const { order, start, end, used } = this.nextBatch();
    const rate = this.plan.rate ? this.plan.rate(this.steps) : this.config.learningRate;
    this.optimizer.setRate(rate);
    const parts = this.train(order, start, end - start, used, image.input);
    const all = tf.tidy(() => tf.concat(parts.map((p) => tf.reshape(p, [-1]))));
    tf.dispose(parts);
    let flat: Float32Array;
    try {
      flat = (await all.data()) as Float32Array;
    } finally {
      all.dispose();
    }
    this.steps++;
    this.batch++;
    const size = end - start;
    return {
      step: this.steps,
      epoch: this.epoch,
      batch: this.batch,
      batches: split.batchesPerEpoch,
      size,
      rate,
      loss: (flat[0] ?? NaN) / size,
      acc: (flat[1] ?? 0) / size,
      backend: tf.getBackend(),
      image: image.input,
      source: image.source,
      ...this.decode(flat.subarray(2)),
    };
  }

  /**
   * The step itself (as train/step.ts runs it) and what to read back, each as a tensor: the batch's
   * [loss sum, correct], then per layer its values for the image, gradient at z, update size and
   * ‖ΔW‖, ‖W‖; then the image's probabilities.
   */
  private train(
    order: tf.Tensor,
    start: number,
    size: number,
    used: ReturnType<typeof batchColumns> | null,
    image: Float32Array,
  ): tf.Tensor[] {
    return tf.tidy(() => {
      const { net, optimizer } = this;
      let before: tf.Tensor[] = [];
      const { stats, grads } = trainBatch(this, this.plan, order, start, size, used, () => {
        before = this.vars.map((v) => tf.clone(v));
      });
      const n = net.kernels.length;
      const seen = forward(net, inputRow(image));
      const values = [...seen.hidden, seen.logits];
      const parts: tf.Tensor[] = [stats];
      for (let i = 0; i < n; i++) {
        const w = net.kernels[i] as tf.Tensor;
        const dw = tf.sub(w, before[i] as tf.Tensor);
        const db = tf.sub(net.biases[i] as tf.Tensor, before[n + i] as tf.Tensor);
        // The bias gradient is the batch's mean gradient at each unit's z, times the loop's scale.
        const gradient = tf.div(grads.biasGrads[i] as tf.Tensor, optimizer.gradientScale);
        const update = tf.sqrt(tf.add(tf.sum(tf.square(dw), 0), tf.square(db)));
        parts.push(values[i] as tf.Tensor, gradient, update, tf.norm(dw), tf.norm(before[i] as tf.Tensor));
      }
      parts.push(tf.softmax(seen.logits));
      return parts;
    });
  }

  /** The layers and probabilities from the flat read-back (after the batch's two sums). */
  private decode(flat: Float32Array): { layers: StepLayer[]; probs: Float32Array } {
    const widths = [...this.plan.units, 10];
    let at = 0;
    const take = (count: number) => flat.slice(at, (at += count));
    const layers = widths.map((units, i): StepLayer => {
      const values = take(units);
      const gradient = take(units);
      const update = take(units);
      const [dw = 0, w = 0] = take(2);
      const hidden = i < this.plan.units.length;
      return {
        name: hidden ? `Layer ${i + 1}${this.config.layers[i]?.batchNorm ? ' (batch norm)' : ''}` : 'Output',
        activation: hidden ? (this.plan.activations[i] ?? null) : null,
        values,
        gradient,
        update,
        updateRatio: w > 0 ? dw / w : 0,
      };
    });
    return { layers, probs: take(10) };
  }

  /**
   * A unit's incoming weights (the first layer's without its padding rows) and bias, as they are
   * now; for a layer with batch normalization, folded with its moving statistics (ml/batchNorm.ts).
   */
  async unit(layer: number, unit: number): Promise<UnitWeights> {
    const kernel = this.net.kernels[layer];
    const bias = this.net.biases[layer];
    const width = kernel?.shape[1] ?? 0;
    if (!kernel || !bias || !Number.isInteger(unit) || unit < 0 || unit >= width) {
      throw new Error(`there is no unit ${unit + 1} in layer ${layer + 1}`);
    }
    const rows = layer === 0 ? INPUT_SIZE : (kernel.shape[0] ?? 0);
    const norm = this.net.norms[layer];
    const both = tf.tidy(() => {
      // With batch normalization, the weights and bias folded with its moving statistics: the sum
      // the activation takes for the image, as the layer's strip shows it.
      const { w, b } = norm ? foldedNorm(kernel, norm, bias) : { w: kernel, b: bias };
      return tf.concat([tf.reshape(tf.slice(w, [0, unit], [rows, 1]), [-1]), tf.slice(b, [unit], [1])]);
    });
    try {
      const values = (await both.data()) as Float32Array;
      return { layer, unit, weights: values.slice(0, rows), bias: values[rows] ?? 0 };
    } finally {
      both.dispose();
    }
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
    this.orderTensor?.dispose();
    this.orderTensor = null;
  }
}
