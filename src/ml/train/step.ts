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

/** The tensors a run trains: made before the first batch, freed by trainRun. */
export interface RunTensors {
  readonly net: Mlp;
  readonly optimizer: Optimizer;
  /** The network's kernels then biases, as the optimizer takes them. */
  readonly vars: readonly tf.Variable[];
  /** [summed loss, number correct] of the epoch so far, accumulated on the device. */
  readonly sums: tf.Variable;
  /** The training and validation rows: images [total, GPU_INPUT_WIDTH] and labels [total]. */
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

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
    order: tf.Tensor,
    start: number,
    size: number,
    used: BatchColumns | null,
    withHealth: boolean,
    withTiles: boolean,
    probe: Float32Array | null,
  ): tf.Tensor[] {
    return tf.tidy(() => {
      const { net, optimizer, sums, x, y } = this.t;
      const k = this.plan.kernels;
      const idx = tf.slice(order, [start], [size]);
      const columns = used ? { cols: tf.tensor1d(used.cols, 'int32'), inv: tf.tensor1d(used.inv, 'int32') } : undefined;
      const xb = columns ? k.gatherBatch(x, idx, columns.cols) : k.gatherImages(x, idx);
      const out = forward(net, xb, columns, k);
      const labels = tf.gather(y, idx);
      const { stats, dz } = k.head(out.logits, labels, optimizer.gradientScale);
      const reg = this.plan.regularization;
      sums.assign(tf.add(sums, withPenalty(stats, net.kernels, reg, size)));
      const raw = backward(net, xb, out.hidden, dz, k);
      const decays = decaysKernels(reg, optimizer.stepIsGradient);
      const scale = optimizer.gradientScale;
      const grads = { ...raw, kernelGrads: withPenaltyGradient(raw.kernelGrads, net.kernels, reg, scale, decays) };
      // Health: ΣW² before the step; for optimizers whose step is not the gradient itself,
      // clones (which share the old kernels' storage, no copy) to measure the step after it.
      const weightSq = withHealth ? net.kernels.map((w) => sumSq(w)) : null;
      const changes = !optimizer.stepIsGradient || decays || reg.maxNorm > 0;
      const before = withHealth && changes ? net.kernels.map((w) => tf.clone(w)) : null;
      if (decays) decayKernels(net.kernels, reg, scale);
      optimizer.apply(
        this.t.vars,
        [...grads.kernelGrads, ...grads.biasGrads],
        columns && { inv: columns.inv, kernels: k },
      );
      applyMaxNorm(net.kernels, reg);
      const parts: tf.Tensor[] = [];
      if (weightSq) {
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

/** The class probabilities [10] of one image [784] with the current weights. Inside tidy. */
function probabilities(net: Mlp, image: Float32Array): tf.Tensor {
  const x = tf.pad(tf.tensor2d(image, [1, INPUT_SIZE]), [
    [0, 0],
    [0, GPU_INPUT_WIDTH - INPUT_SIZE],
  ]);
  return tf.reshape(tf.softmax(forward(net, x).logits), [-1]);
}

/** The first `units` columns of the first layer's kernel, without its padding rows, flattened. Inside tidy. */
function firstLayerTiles(net: Mlp, units: number): tf.Tensor {
  return tf.reshape(tf.slice(net.kernels[0] as tf.Tensor, [0, 0], [INPUT_SIZE, units]), [-1]);
}
