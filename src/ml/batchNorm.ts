/**
 * Batch normalization on the device (core/network/batchNorm.ts has the law): a layer's γ and
 * moving statistics as variables, the training pass over the batch's statistics with what its
 * backward pass needs, that backward pass, the moving statistics' update, and the layer folded
 * into its kernel and β for inference. β is the layer's bias variable (its Dense has none).
 */
import * as tf from '@tensorflow/tfjs';
import { BN_EPSILON, BN_MOMENTUM } from '../core/network/batchNorm';
import type { Kernels } from './kernels/types';

/** A layer's batch normalization: γ (trained) and the moving mean and variance (not). */
export interface LayerNorm {
  readonly gamma: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
}

/** Keras's initial values: γ 1, moving mean 0, moving variance 1. */
export function createNorm(units: number): LayerNorm {
  return tf.tidy(() => ({
    gamma: tf.variable(tf.ones([units]), true),
    movingMean: tf.variable(tf.zeros([units]), false),
    movingVariance: tf.variable(tf.ones([units]), false),
  }));
}

export const normVariables = (n: LayerNorm): tf.Variable[] => [n.gamma, n.movingMean, n.movingVariance];

/** What a training pass keeps of a layer's normalization: for its backward pass and the moving statistics. */
export interface NormCache {
  /** The normalized products x̂ [batch, units]. */
  readonly xhat: tf.Tensor;
  /** 1 / √(variance + ε) [units]. */
  readonly invStd: tf.Tensor;
  /** The batch's mean and (biased) variance [units]. */
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
}

/** Training: the products z [batch, units] to γ·x̂ + β over the batch's statistics. Inside tidy. */
export function normTrain(z: tf.Tensor, norm: LayerNorm, beta: tf.Tensor): { a: tf.Tensor; cache: NormCache } {
  const mean = tf.mean(z, 0);
  const centered = tf.sub(z, mean);
  const variance = tf.mean(tf.square(centered), 0);
  const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
  const xhat = tf.mul(centered, invStd);
  return { a: tf.add(tf.mul(xhat, norm.gamma), beta), cache: { xhat, invStd, mean, variance } };
}

/**
 * The backward pass from dA, the gradient at γ·x̂ + β: the gradients of β (its column sums) and γ,
 * and at the products, dz = γ/σ · (dA − mean(dA) − x̂ · mean(dA · x̂)). Inside tidy.
 */
export function normBackward(
  dA: tf.Tensor,
  cache: NormCache,
  gamma: tf.Tensor,
  k: Kernels,
): { dz: tf.Tensor; dBeta: tf.Tensor; dGamma: tf.Tensor } {
  const n = dA.shape[0] as number;
  const dBeta = k.columnSums(dA);
  const dGamma = k.columnSums(tf.mul(dA, cache.xhat));
  const centered = tf.sub(tf.sub(dA, tf.div(dBeta, n)), tf.mul(cache.xhat, tf.div(dGamma, n)));
  return { dz: k.activate(tf.mul(centered, tf.mul(gamma, cache.invStd)), 'linear'), dBeta, dGamma };
}

/** Keras's update after a training batch: moving ← moving · momentum + batch · (1 − momentum). Inside tidy. */
export function updateMoving(norm: LayerNorm, cache: NormCache): void {
  norm.movingMean.assign(tf.add(tf.mul(norm.movingMean, BN_MOMENTUM), tf.mul(cache.mean, 1 - BN_MOMENTUM)));
  norm.movingVariance.assign(tf.add(tf.mul(norm.movingVariance, BN_MOMENTUM), tf.mul(cache.variance, 1 - BN_MOMENTUM)));
}

/** Inference: the kernel w [in, units] and β folded with the moving statistics (see core's foldNorm). Inside tidy. */
export function foldedNorm(w: tf.Tensor, norm: LayerNorm, beta: tf.Tensor): { w: tf.Tensor; b: tf.Tensor } {
  const scale = tf.mul(norm.gamma, tf.rsqrt(tf.add(norm.movingVariance, BN_EPSILON)));
  return { w: tf.mul(w, scale), b: tf.sub(beta, tf.mul(norm.movingMean, scale)) };
}
