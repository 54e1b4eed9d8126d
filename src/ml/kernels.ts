/**
 * The few kernels a training step is made of. mlp.ts writes the forward and backward pass once
 * over them; each backend family has one implementation: WebGL programs on packed textures
 * (webglKernels.ts), and TensorFlow.js ops shaped for XNNPACK's fast path on WASM, which the
 * CPU backend runs too (opsKernels.ts). An activation's forms (fused forward, derivative as ops
 * and as GLSL) are one entry of activations.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../core/network/spec';
import { OPS_KERNELS, WASM_KERNELS } from './opsKernels';
import { WEBGL_KERNELS } from './webglKernels';

export interface StepHead {
  /** [summed clipped cross-entropy, number correct], shape [2]. */
  readonly stats: tf.Tensor;
  /** d(mean loss)/d(logits) times the gradient scale: mask * (p - y) * scale / batch. */
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
  /** x·w + b: the logits. */
  affine(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** a·b with a or b transposed (the backward pass's products). */
  product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor;
  // The backward pass's other pieces.
  /** dh times the activation's derivative, in terms of its output h. */
  activationGradient(h: tf.Tensor, dh: tf.Tensor, activation: Activation): tf.Tensor;
  /** Column sums of [R, C]: [C] (the bias gradients). */
  columnSums(a: tf.Tensor): tf.Tensor;
  /** Keras's loss head from the logits and int32 labels: softmax, clip to [1e-7, 1 - 1e-7], cross-entropy. */
  head(logits: tf.Tensor, labels: tf.Tensor, gradientScale: number): StepHead;
}

/**
 * The kernels for the active backend; with `plainOps`, TensorFlow.js's ops whatever the backend
 * (the reference the fast paths are compared with).
 */
export function kernelsFor(backend: string = tf.getBackend(), plainOps = false): Kernels {
  if (plainOps) return OPS_KERNELS;
  return backend === 'webgl' ? WEBGL_KERNELS : backend === 'wasm' ? WASM_KERNELS : OPS_KERNELS;
}
