/**
 * One training step on the device: a batch's forward and backward pass and the optimizer's update,
 * and on read-back steps the extras to read with the metrics (the layers' health, a probe image's
 * probabilities, the live tiles), each flattened. Runs at every batch: it allocates nothing beyond
 * the step's own tensors, all inside one tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE } from '../../core/network/spec';
import type { BatchColumns } from '../../core/dataset/columns';
import { backward, forward, GPU_INPUT_WIDTH, type Mlp } from '../mlp';
import type { Optimizer } from '../optimizers';
import { healthVector, sumSq } from '../healthProbe';
import { applyMaxNorm, decayKernels, decaysKernels, withPenalty, withPenaltyGradient } from '../regularize';
import type { TrainPlan } from './plan';
import type { DropoutMasks } from '../dropout';
import type { Augmenter } from '../augment';
import { updateMoving } from '../batchNorm';

/** The tensors a run trains: made before the first batch, freed by trainRun. */
export interface RunTensors {
  readonly net: Mlp;
  readonly optimizer: Optimizer;
  /** The network's trainable variables (Mlp.trainable), as the optimizer takes them. */
  readonly vars: readonly tf.Variable[];
  /** [summed loss, number correct] of the epoch so far, accumulated on the device. */
  readonly sums: tf.Variable;
  /** The training and validation rows: images [total, GPU_INPUT_WIDTH] and labels [total]. */
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  /** The run's dropout masks, batch after batch; null when it drops nothing. */
  readonly dropout: DropoutMasks | null;
  /** The run's augmentation, batch after batch; null when it has none. */
  readonly augment: Augmenter | null;
}

/** How a batch's input columns are compacted (core/dataset/columns.ts) for the first layer. */
export const COLUMN_OPTIONS = {
  width: INPUT_SIZE,
  paddedWidth: GPU_INPUT_WIDTH,
  padIndex: INPUT_SIZE,
  bucket: 32,
} as const;

/**
 * The epoch's row order: on the device (WebGL slices each batch's rows out of it in a shader), or
 * on the host, where each batch's 128 rows are copied in (on WASM, TensorFlow.js's Slice reads the
 * whole order back first: 1.1 ms of a 2.4 ms step of [32], measured in Node).
 */
export type BatchOrder = tf.Tensor | Int32Array;

export class TrainStep {
  constructor(
    private readonly t: RunTensors,
    private readonly plan: TrainPlan,
  ) {}

  /**
   * Trains on rows order[start, start + size) (multiplying only the `used` columns, when given) and
   * returns the asked-for extras, flattened, in the order liveSample (readBack.ts) decodes them.
   */
  run(
    order: BatchOrder,
    start: number,
    size: number,
    used: BatchColumns | null,
    withHealth: boolean,
    withTiles: boolean,
    probe: Float32Array | null,
  ): tf.Tensor[] {
    return tf.tidy(() => {
      const { net, optimizer, sums } = this.t;
      // Health: ΣW² before the step; where the step is not the gradient itself (another optimizer,
      // weight decay applied to the kernels, max-norm), clones (which share the old kernels'
      // storage, no copy) to measure the step after it.
      const health: { weightSq: tf.Tensor[]; before: tf.Tensor[] | null } | { weightSq: null } = { weightSq: null };
      const { out, labels, stats, grads } = trainBatch(this.t, this.plan, order, start, size, used, (decays) => {
        if (!withHealth) return;
        const changes = !optimizer.stepIsGradient || decays || this.plan.regularization.maxNorm > 0;
        Object.assign(health, {
          weightSq: net.kernels.map((w) => sumSq(w)),
          before: changes ? net.kernels.map((w) => tf.clone(w)) : null,
        });
      });
      sums.assign(tf.add(sums, stats));
      const parts: tf.Tensor[] = [];
      if (health.weightSq) {
        const { weightSq, before } = health;
        const gradSq = grads.kernelGrads.map((g) => sumSq(g));
        const stepSq = before ? net.kernels.map((w, i) => sumSq(tf.sub(w, before[i] as tf.Tensor))) : gradSq;
        const { activations } = this.plan;
        parts.push(
          healthVector({ activations, hidden: out.hidden, gradSq, stepSq, weightSq, logits: out.logits, labels }),
        );
      }
      if (probe) parts.push(probabilities(net, probe));
      if (withTiles) parts.push(firstLayerTiles(net, this.plan.tileUnits));
      return parts;
    });
  }
}

/** What training one batch leaves to read: the forward pass, the labels, the gradients it used. */
export interface TrainedBatch {
  readonly out: ReturnType<typeof forward>;
  readonly labels: tf.Tensor;
  /** [summed loss, number correct] of the batch, the weight-decay penalty included (as Keras reports it). */
  readonly stats: tf.Tensor;
  readonly grads: ReturnType<typeof backward>;
}

/**
 * Trains on rows order[start, start + size) (multiplying only the `used` columns, when given): the
 * forward pass (with the batch's dropout masks), the loss head, the penalty, the backward pass,
 * the update and the max-norm constraint. `beforeUpdate` runs when the gradients are known and no weight has changed yet
 * (told whether the kernels are about to decay: ml/regularize.ts). The run's step and the stepper
 * (ml/stepper.ts) both train through here. Inside tidy.
 */
export function trainBatch(
  t: Pick<RunTensors, 'net' | 'optimizer' | 'vars' | 'x' | 'y' | 'dropout' | 'augment'>,
  plan: TrainPlan,
  order: BatchOrder,
  start: number,
  size: number,
  used: BatchColumns | null,
  beforeUpdate?: (decays: boolean) => void,
): TrainedBatch {
  const { net, optimizer } = t;
  const k = plan.kernels;
  const idx =
    order instanceof Int32Array
      ? tf.tensor1d(order.subarray(start, start + size), 'int32')
      : tf.slice(order, [start], [size]);
  const columns = used ? { cols: tf.tensor1d(used.cols, 'int32'), inv: tf.tensor1d(used.inv, 'int32') } : undefined;
  // Augmented batches are never compacted (plan.ts): the warp moves ink into other columns.
  const gathered = columns ? k.gatherBatch(t.x, idx, columns.cols) : k.gatherImages(t.x, idx);
  const xb = t.augment ? t.augment.apply(gathered) : gathered;
  const masks = t.dropout?.next(size, xb.shape[1] ?? 0);
  const out = forward(net, xb, columns, k, masks, true);
  out.norms.forEach((cache, i) => {
    const norm = net.norms[i];
    if (cache && norm) updateMoving(norm, cache);
  });
  const labels = tf.gather(t.y, idx);
  const head = k.head(out.logits, labels, optimizer.gradientScale, plan.loss);
  const reg = plan.regularization;
  const stats = withPenalty(head.stats, net.kernels, reg, size);
  const raw = backward(net, xb, out.hidden, head.dz, k, masks && { inputs: out.inputs, masks }, out.norms);
  const decays = decaysKernels(reg, optimizer.stepIsGradient);
  const scale = optimizer.gradientScale;
  const grads = { ...raw, kernelGrads: withPenaltyGradient(raw.kernelGrads, net.kernels, reg, scale, decays) };
  beforeUpdate?.(decays);
  if (decays) decayKernels(net.kernels, reg, scale);
  const all = [...grads.kernelGrads, ...grads.biasGrads, ...grads.gammaGrads];
  optimizer.apply(t.vars, all, columns && { inv: columns.inv, kernels: k });
  applyMaxNorm(net.kernels, reg);
  return { out, labels, stats, grads };
}

/** One image [784] as the network's input row [1, GPU_INPUT_WIDTH] (zero padding columns). Inside tidy. */
export function inputRow(image: Float32Array): tf.Tensor {
  return tf.pad(tf.tensor2d(image, [1, INPUT_SIZE]), [
    [0, 0],
    [0, GPU_INPUT_WIDTH - INPUT_SIZE],
  ]);
}

/** The class probabilities [10] of one image [784] with the current weights. Inside tidy. */
function probabilities(net: Mlp, image: Float32Array): tf.Tensor {
  return tf.reshape(tf.softmax(forward(net, inputRow(image)).logits), [-1]);
}

/** The first `units` columns of the first layer's kernel, without its padding rows, flattened. Inside tidy. */
function firstLayerTiles(net: Mlp, units: number): tf.Tensor {
  return tf.reshape(tf.slice(net.kernels[0] as tf.Tensor, [0, 0], [INPUT_SIZE, units]), [-1]);
}
