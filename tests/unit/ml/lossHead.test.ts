import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { lossOf, mseLogitGradient, softmaxRow } from '../../../src/core/network/loss';
import { mulberry32 } from '../../../src/core/network/rng';
import { headOps } from '../../../src/ml/mlp';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test("the step's squared-error head gives the batch's summed loss, its number right and each logit's gradient (scaled, over the batch)", () => {
  const rng = mulberry32(5);
  const batch = 12;
  const rows = Array.from({ length: batch }, (_, r) => Array.from({ length: 10 }, () => (rng() - 0.5) * (2 + r)));
  const labels = rows.map(() => Math.floor(rng() * 10));
  const scale = 0.3;
  const { stats, dz } = tf.tidy(() => {
    const h = headOps(tf.tensor2d(rows), tf.tensor1d(labels, 'int32'), scale, 'mse');
    return { stats: h.stats.arraySync() as number[], dz: h.dz.arraySync() as number[][] };
  });
  const probs = rows.map(softmaxRow);
  const sum = probs.reduce((s, p, r) => s + lossOf('mse', p, labels[r] as number), 0);
  const right = probs.filter((p, r) => p.indexOf(Math.max(...p)) === labels[r]).length;
  expect(stats[0]).toBeCloseTo(sum, 5);
  expect(stats[1]).toBe(right);
  probs.forEach((p, r) =>
    mseLogitGradient(p, labels[r] as number).forEach((g, k) => expect(dz[r]?.[k]).toBeCloseTo((g * scale) / batch, 7)),
  );
  // Not cross-entropy's: its loss sum is far larger on the same logits.
  const ce = tf.tidy(
    () => headOps(tf.tensor2d(rows), tf.tensor1d(labels, 'int32'), scale).stats.arraySync() as number[],
  );
  expect(ce[0]).toBeGreaterThan(10 * sum);
});
