/**
 * The interface of the few kernels a training step is made of (kernels.ts picks one
 * implementation per backend). Apart from the picker so that the implementations can import it
 * without a cycle.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Activation, LossName } from '../../core/network/spec';

export interface StepHead {
  /** [summed loss, number correct], shape [2]. */
  readonly stats: tf.Tensor;
  /**
   * d(mean loss)/d(logits) times the gradient scale: for cross-entropy mask * (p - y) * scale / batch
   * (core/network/loss.ts has the mean squared error's).
   */
  readonly dz: tf.Tensor;
}

export interface Kernels {
  /** Which implementation this is. */
  readonly name: 'webgl' | 'wasm' | 'ops';
  /** A batch's rows (int32 [b]) of the training images x [N, GPU_INPUT_WIDTH], every column. */
  gatherImages(x: tf.Tensor, rows: tf.Tensor): tf.Tensor;
  // The first layer's compacted columns (core/dataset/columns.ts).
  /** Rows `rows` (int32 [k]) of a [R, C]: [k, C]. The first kernel's rows for a batch's columns. */
  gatherRows(a: tf.Tensor, rows: tf.Tensor): tf.Tensor;
  /** x[rows][:, cols]: a batch of images holding only the columns it uses. */
  gatherBatch(x: tf.Tensor, rows: tf.Tensor, cols: tf.Tensor): tf.Tensor;
  /** [R, C] whose row r is row inv[r] of compact [K, C], or zeros where inv[r] >= K. */
  expandRows(compact: tf.Tensor, inv: tf.Tensor): tf.Tensor;
  /** base + expandRows(compact, inv). */
  addExpandedRows(base: tf.Tensor, compact: tf.Tensor, inv: tf.Tensor): tf.Tensor;
  // Products.
  /** activation(x·w + b): a hidden Dense layer. */
  dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: Activation): tf.Tensor;
  /**
   * activation(a) of pre-activations a [batch, units] (a layer with batch normalization), with the
   * padding of WebGL's packed textures kept at zero as `dense` keeps it; 'linear' just cleans it.
   */
  activate(a: tf.Tensor, activation: Activation): tf.Tensor;
  /** x·w + b: the logits. */
  affine(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** a·b with a or b transposed (the backward pass's products). */
  product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor;
  // The backward pass's other pieces.
  /** dh times the activation's derivative, in terms of its output h. */
  activationGradient(h: tf.Tensor, dh: tf.Tensor, activation: Activation): tf.Tensor;
  /** Column sums of [R, C]: [C] (the bias gradients). */
  columnSums(a: tf.Tensor): tf.Tensor;
  /**
   * Keras's loss head from the logits and int32 labels: softmax, then cross-entropy (probabilities
   * clipped to [1e-7, 1 - 1e-7]) or the mean squared error against the one-hot labels.
   */
  head(logits: tf.Tensor, labels: tf.Tensor, gradientScale: number, loss: LossName): StepHead;
}
