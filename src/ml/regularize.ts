/**
 * L2 weight decay as Keras applies it (`kernel_regularizer=L2(λ)` on every Dense layer): the
 * penalty λ·Σw² over the kernels (biases are not regularized) is added to the loss the model
 * reports, in training and in evaluation, and its gradient 2λw to each kernel's gradient. With
 * plain SGD the same update is a decay of every kernel by (1 - 2λ·lr) before the gradient's step,
 * which leaves the gradient compact (only the rows of a batch's columns: see ml/mlp.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** λ·Σ of every kernel's Σw², a scalar. Inside tidy. */
export function l2Penalty(kernels: readonly tf.Tensor[], l2: number): tf.Tensor {
  return tf.mul(tf.addN(kernels.map((w) => tf.sum(tf.square(w)))), l2);
}

/**
 * The kernels' gradients with the penalty's added: g + scale·2λ·w, where `scale` is what the
 * loop multiplies its gradients by (-lr for plain SGD, 1 otherwise). The gradients must be full
 * (not compacted to a batch's columns). Inside tidy.
 */
export function withL2(
  grads: readonly tf.Tensor[],
  kernels: readonly tf.Tensor[],
  l2: number,
  scale: number,
): tf.Tensor[] {
  return grads.map((g, i) => tf.add(g, tf.mul(kernels[i] as tf.Tensor, 2 * l2 * scale)));
}

/**
 * How a step takes the penalty's gradient: plain SGD (whose update is the scaled gradient itself)
 * decays the kernels; the other optimizers need it in the gradient, for every row.
 */
export const decaysKernels = (l2: number, stepIsGradient: boolean): boolean => l2 > 0 && stepIsGradient;

/** Plain SGD's share of the L2 update: w ← w·(1 + 2λ·scale), scale being -lr. Inside tidy. */
export function decayKernels(kernels: readonly tf.Variable[], l2: number, scale: number): void {
  for (const w of kernels) w.assign(tf.mul(w, 1 + 2 * l2 * scale));
}

/** `stats` ([summed loss, correct]) with `size` times the penalty added to the loss. Inside tidy. */
export function withPenalty(stats: tf.Tensor, kernels: readonly tf.Tensor[], l2: number, size: number): tf.Tensor {
  return tf.add(stats, tf.pad(tf.reshape(tf.mul(l2Penalty(kernels, l2), size), [1]), [[0, 1]]));
}
