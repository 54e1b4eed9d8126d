/**
 * The loss a run minimises and reports, as Keras 3 computes it on the softmax's probabilities p of
 * a batch of images with labels y (one-hot):
 * - `ce`: categorical cross-entropy, −log p_y with p clipped to [1e-7, 1 − 1e-7] (the default);
 * - `mse`: mean squared error over the ten outputs, Σ_j (p_j − y_j)² / 10 (Keras
 *   `mean_squared_error`: the mean over the last axis), as LeCun et al. 1998 trained.
 * Both are averaged over the batch. Pure: the references the device kernels are tested against.
 */
import { NUM_CLASSES, type LossName, type TrainConfig } from './spec';

/** The softmax of one row of logits (the largest subtracted first, as every backend does). */
export function softmaxRow(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** One image's loss from its probabilities p [10] and its label. */
export function lossOf(loss: LossName, p: readonly number[], label: number): number {
  if (loss === 'ce') return -Math.log(Math.min(Math.max(p[label] ?? 0, 1e-7), 1 - 1e-7));
  return p.reduce((sum, pj, j) => sum + (pj - (j === label ? 1 : 0)) ** 2, 0) / p.length;
}

/**
 * d(loss)/d(logits) of one image under `mse`: with g_j = 2 (p_j − y_j) / 10, the softmax's
 * Jacobian gives p_k (g_k − Σ_j g_j p_j). (Cross-entropy's is p − y where p_y is not clipped.)
 */
export function mseLogitGradient(p: readonly number[], label: number): number[] {
  const g = p.map((pj, j) => (2 * (pj - (j === label ? 1 : 0))) / p.length);
  const dot = g.reduce((sum, gj, j) => sum + gj * (p[j] as number), 0);
  return p.map((pk, k) => pk * ((g[k] as number) - dot));
}

/** What a network that gives every class 1/10 scores: ln 10 ≈ 2.30, or (0.9² + 9 × 0.1²) / 10 = 0.09. */
export function guessLoss(loss: LossName): number {
  const even = Array.from({ length: NUM_CLASSES }, () => 1 / NUM_CLASSES);
  return lossOf(loss, even, 0);
}

/** The loss in a run's name: nothing for cross-entropy (the default), else "MSE loss". */
export function describeLoss(c: Partial<Pick<TrainConfig, 'loss'>>): string {
  return c.loss === 'mse' ? 'MSE loss' : '';
}
