/**
 * The training step's kernels (types.ts) as TensorFlow.js ops, for the WASM and CPU backends.
 * On WASM every product is shaped for XNNPACK: TensorFlow.js's WASM matMul hands only
 * untransposed operands to XNNPACK and multiplies transposed ones in a plain loop 10-30 times
 * slower (issue 11), so transposes are made explicit (one pass over the operand); and the row
 * gathers are kernels of ours (wasmKernels.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, type LossName } from '../../core/network/spec';
import { ACTIVATION_FORMS } from '../activations';
import { CLIP_EPSILON } from '../clip';
import type { Kernels, StepHead } from './types';
import { wasmAddExpandedRows, wasmGatherBatch, wasmGatherRows } from './wasmKernels';
import { ownProductFor, wasmGemm } from './gemm/wasmGemm';

const dims = (t: tf.Tensor, transposed: boolean): [number, number] => {
  const [r, c] = t.shape as [number, number];
  return transposed ? [c, r] : [r, c];
};

/** Whether op(a)·op(b) is ours (gemm/wasmGemm.ts). */
const ours = (a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): boolean => {
  const [m, k] = dims(a, transposeA);
  return ownProductFor(m, dims(b, transposeB)[1], k);
};

/**
 * The loss head with TensorFlow.js ops, as Keras computes it: softmax, probabilities clipped to
 * [1e-7, 1 - 1e-7], cross-entropy. Returns [summed loss, number correct] (shape [2]) and
 * d(mean loss)/d(logits) times `gradientScale`, which is mask * (p - y) / batch: the mask is zero
 * for samples whose true-class probability was clipped (the clip's gradient is zero there, as in
 * Keras/TensorFlow). With `mse`, the mean squared error between p and the one-hot labels and its
 * gradient through the softmax (core/network/loss.ts). `labels` is int32 [batch]. Inside tidy.
 */
export function headOps(logits: tf.Tensor, labels: tf.Tensor, gradientScale = 1, loss: LossName = 'ce'): StepHead {
  const batch = logits.shape[0] as number;
  const probs = tf.softmax(logits);
  const oneHot = tf.oneHot(labels, NUM_CLASSES);
  if (loss === 'mse') return mseHead(probs, oneHot, labels, gradientScale / batch);
  const pTrue = tf.sum(tf.mul(probs, oneHot), 1);
  const lossSum = withNaN(tf.neg(tf.sum(tf.log(tf.clipByValue(pTrue, CLIP_EPSILON, 1 - CLIP_EPSILON)))), pTrue);
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32'));
  const inRange = tf.logicalAnd(tf.greaterEqual(pTrue, CLIP_EPSILON), tf.lessEqual(pTrue, 1 - CLIP_EPSILON));
  const scale = tf.mul(tf.cast(inRange, 'float32'), gradientScale / batch).reshape([batch, 1]);
  return { stats: tf.stack([lossSum, correct]), dz: tf.mul(tf.sub(probs, oneHot), scale) };
}

/**
 * `lossSum`, or NaN where any of `pTrue` is NaN (non-finite logits). TensorFlow.js's WASM clip maps
 * NaN to its lower bound, so without this a run whose weights had overflowed kept reporting a loss
 * of 16.118 (−log 1e-7) and finished "done" (Keras reports nan; the CPU backend's clip and the
 * WebGL head keep NaN). For a finite pTrue the sum is finite and lossSum + 0 is lossSum exactly.
 */
export function withNaN(lossSum: tf.Tensor, pTrue: tf.Tensor): tf.Tensor {
  return tf.add(lossSum, tf.mul(tf.sum(pTrue, -1), 0));
}

/** headOps's mean squared error: per row Σ_j (p_j − y_j)² / 10, and p ⊙ (g − Σ g p) with g = 2 (p − y) / 10. */
function mseHead(probs: tf.Tensor, oneHot: tf.Tensor, labels: tf.Tensor, scale: number): StepHead {
  const diff = tf.sub(probs, oneHot);
  const lossSum = tf.div(tf.sum(tf.square(diff)), NUM_CLASSES);
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32'));
  const g = tf.mul(diff, 2 / NUM_CLASSES);
  const dot = tf.sum(tf.mul(g, probs), 1, true);
  return { stats: tf.stack([lossSum, correct]), dz: tf.mul(tf.mul(probs, tf.sub(g, dot)), scale) };
}

/** The kernels as plain TensorFlow.js ops (the CPU backend, and the reference for the others). */
export const OPS_KERNELS: Kernels = {
  name: 'ops',
  gatherImages: (x, rows) => tf.gather(x, rows),
  gatherRows: (a, rows) => tf.gather(a, rows),
  gatherBatch: (x, rows, cols) => tf.gather(tf.gather(x, rows), cols, 1),
  expandRows: (compact, inv) =>
    tf.gather(
      tf.pad(compact, [
        [0, 1],
        [0, 0],
      ]),
      inv,
    ),
  addExpandedRows: (base, compact, inv) =>
    tf.add(
      base,
      tf.gather(
        tf.pad(compact, [
          [0, 1],
          [0, 0],
        ]),
        inv,
      ),
    ),
  dense: (x, w, b, activation) => ACTIVATION_FORMS[activation].dense(x, w, b),
  activate: (a, activation) => ACTIVATION_FORMS[activation].activate(a),
  affine: (x, w, b) => tf.fused.matMul({ a: x, b: w, bias: b }),
  // Explicit transposes: XNNPACK's fast path on WASM; on the CPU backend the same result.
  product: (a, b, transposeA, transposeB) =>
    tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b),
  activationGradient: (h, dh, activation) => ACTIVATION_FORMS[activation].gradient(h, dh),
  columnSums: (a) => tf.sum(a, 0),
  head: headOps,
};

/**
 * The ops kernels with the WASM backend's row gathers, and its products by our module where it
 * runs (gemm/wasmGemm.ts: XNNPACK's sums, without transposes), else XNNPACK's.
 */
export const WASM_KERNELS: Kernels = {
  ...OPS_KERNELS,
  name: 'wasm',
  gatherImages: wasmGatherRows,
  gatherRows: wasmGatherRows,
  gatherBatch: wasmGatherBatch,
  expandRows: (compact, inv) =>
    wasmAddExpandedRows(tf.zeros([inv.shape[0] as number, compact.shape[1] as number]), compact, inv),
  addExpandedRows: wasmAddExpandedRows,
  dense: (x, w, b, activation) =>
    ours(x, w)
      ? ACTIVATION_FORMS[activation].activate(wasmGemm(x, w, false, false, b))
      : ACTIVATION_FORMS[activation].dense(x, w, b),
  affine: (x, w, b) => (ours(x, w) ? wasmGemm(x, w, false, false, b) : OPS_KERNELS.affine(x, w, b)),
  product: (a, b, transposeA, transposeB) =>
    ours(a, b, transposeA, transposeB)
      ? wasmGemm(a, b, transposeA, transposeB)
      : OPS_KERNELS.product(a, b, transposeA, transposeB),
  // A row of ones times a: TensorFlow.js's WASM Sum over the first axis transposes a first.
  columnSums: (a) => {
    const [rows, cols] = a.shape as [number, number];
    return ownProductFor(1, cols, rows)
      ? tf.reshape(wasmGemm(tf.ones([1, rows]), a, false, false), [cols])
      : tf.sum(a, 0);
  },
};
