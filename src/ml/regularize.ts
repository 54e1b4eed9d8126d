/**
 * Weight decay and the max-norm constraint as Keras applies them to every Dense kernel (biases are
 * left alone): `kernel_regularizer=L1L2(l1, l2)` adds the penalty λ₁·Σ|w| + λ₂·Σw² to the loss the
 * model reports, in training and in evaluation, and its gradient λ₁·sign(w) + 2λ₂·w to each
 * kernel's gradient; `kernel_constraint=MaxNorm(c)` scales each unit's incoming weights back to
 * length c after every update. With plain SGD the penalty's part of the update is applied to the
 * kernels before the gradient's step, w ← w·(1 − 2λ₂·lr) − λ₁·lr·sign(w), which leaves the
 * gradient compact (only the rows of a batch's columns: see ml/mlp.ts); the other optimizers take
 * it in the gradient, over every row.
 */
import * as tf from '@tensorflow/tfjs';

/** A run's weight decay and max-norm (0: none of that kind). */
export interface Regularization {
  readonly l2: number;
  readonly l1: number;
  readonly maxNorm: number;
}

/** Keras's backend epsilon, in MaxNorm's division. */
const EPSILON = 1e-7;

export const penalized = (r: Regularization): boolean => r.l2 > 0 || r.l1 > 0;

/** λ₂·Σw² + λ₁·Σ|w| over every kernel, a scalar. Inside tidy. */
export function penalty(kernels: readonly tf.Tensor[], r: Regularization): tf.Tensor {
  const parts = kernels.flatMap((w) => [
    ...(r.l2 > 0 ? [tf.mul(tf.sum(tf.square(w)), r.l2)] : []),
    ...(r.l1 > 0 ? [tf.mul(tf.sum(tf.abs(w)), r.l1)] : []),
  ]);
  return parts.length > 0 ? tf.addN(parts) : tf.scalar(0);
}

/** Whether the step applies the penalty's part to the kernels directly (plain SGD, whose step is the scaled gradient). */
export const decaysKernels = (r: Regularization, stepIsGradient: boolean): boolean => penalized(r) && stepIsGradient;

/**
 * The kernels' gradients with the penalty's added, times `scale` (what the loop multiplies its
 * gradients by: -lr for plain SGD, 1 otherwise); nothing when the kernels decay instead.
 * Gradients must be full (not compacted) when this adds anything. Inside tidy.
 */
export function withPenaltyGradient(
  grads: readonly tf.Tensor[],
  kernels: readonly tf.Tensor[],
  r: Regularization,
  scale: number,
  decays: boolean,
): tf.Tensor[] {
  if (decays || !penalized(r)) return [...grads];
  return grads.map((g, i) => {
    const w = kernels[i] as tf.Tensor;
    let out = g;
    if (r.l2 > 0) out = tf.add(out, tf.mul(w, 2 * r.l2 * scale));
    if (r.l1 > 0) out = tf.add(out, tf.mul(tf.sign(w), r.l1 * scale));
    return out;
  });
}

/** Plain SGD's share of the penalty's update: w ← w·(1 + 2λ₂·scale) + λ₁·scale·sign(w), scale being -lr. Inside tidy. */
export function decayKernels(kernels: readonly tf.Variable[], r: Regularization, scale: number): void {
  for (const w of kernels) {
    const decayed = r.l2 > 0 ? tf.mul(w, 1 + 2 * r.l2 * scale) : w;
    w.assign(r.l1 > 0 ? tf.add(decayed, tf.mul(tf.sign(w), r.l1 * scale)) : decayed);
  }
}

/** Keras's MaxNorm(c) on every kernel (axis 0: each unit's incoming weights), after an update. Inside tidy. */
export function applyMaxNorm(kernels: readonly tf.Variable[], r: Regularization): void {
  if (r.maxNorm <= 0) return;
  for (const w of kernels) {
    const norms = tf.sqrt(tf.sum(tf.square(w), 0, true));
    w.assign(tf.mul(w, tf.div(tf.clipByValue(norms, 0, r.maxNorm), tf.add(norms, EPSILON))));
  }
}

/** `stats` ([summed loss, correct]) with `size` times the penalty added to the loss. Inside tidy. */
export function withPenalty(
  stats: tf.Tensor,
  kernels: readonly tf.Tensor[],
  r: Regularization,
  size: number,
): tf.Tensor {
  if (!penalized(r)) return stats;
  return tf.add(stats, tf.pad(tf.reshape(tf.mul(penalty(kernels, r), size), [1]), [[0, 1]]));
}
