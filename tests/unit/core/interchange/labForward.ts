/**
 * The lab's prediction of one image from a TrainedModel, in plain numbers, for tests that compare
 * another implementation (TensorFlow.js, real Keras) with it: each layer's Dense product, its batch
 * normalization with the moving statistics where it has one ((z − mean) / √(variance + ε) · γ + β),
 * its activation; softmax last.
 */
import { ACTIVATION_INFO } from '../../../../src/core/network/activations';
import { BN_EPSILON } from '../../../../src/core/network/batchNorm';
import type { TrainedModel } from '../../../../src/core/runs/model';

export function labForward(m: TrainedModel, x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  [...m.layers, null].forEach((l, k) => {
    const kernel = m.kernels[k] as Float32Array;
    const bias = m.biases[k] as Float32Array;
    const units = bias.length;
    const n = m.norms?.[k] ?? null;
    const z = Array.from({ length: units }, (_, j) => {
      let s = 0;
      a.forEach((v, i) => (s += v * (kernel[i * units + j] as number)));
      if (!n) return s + (bias[j] as number);
      const xhat = (s - (n.movingMean[j] as number)) / Math.sqrt((n.movingVariance[j] as number) + BN_EPSILON);
      return (n.gamma[j] as number) * xhat + (bias[j] as number);
    });
    if (l) a = z.map((v) => ACTIVATION_INFO[l.activation].apply(v));
    else {
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const sum = e.reduce((s, u) => s + u, 0);
      a = e.map((v) => v / sum);
    }
  });
  return a;
}

/** The largest difference between two tables of probabilities. */
export const worstDifference = (got: readonly number[][], want: readonly number[][]): number =>
  Math.max(...got.flatMap((row, n) => row.map((v, c) => Math.abs(v - (want[n]?.[c] as number)))));
