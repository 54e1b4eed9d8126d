import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { OptimizerName } from '../../../src/core/network/spec';
import { mulberry32 } from '../../../src/core/network/rng';
import { createOptimizer } from '../../../src/ml/optimizers';

// Each optimizer's update against Keras 2.2's formulas written out in float64 JavaScript, over
// several steps of gradients that span tiny and large values (RMSprop and Adam divide by them).
// RMSprop has no tfjs-layers reference: tf.train.rmsprop adds epsilon inside the square root,
// Keras outside.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 64;
const STEPS = 5;
const EPS = 1e-7;

function gradients(seed: number): Float64Array[] {
  const rng = mulberry32(seed);
  // Magnitudes from 1e-6 to 1, both signs.
  return Array.from({ length: STEPS }, () =>
    Float64Array.from({ length: N }, () => (rng() < 0.5 ? -1 : 1) * 10 ** (-6 * rng())),
  );
}

/** Keras 2.2's update rules, float64; `rates`: one rate for every step, or each step's own (a schedule). */
function reference(
  name: OptimizerName,
  rates: number | readonly number[],
  w0: Float64Array,
  grads: Float64Array[],
): Float64Array {
  const w = Float64Array.from(w0);
  const m = new Float64Array(N);
  const v = new Float64Array(N);
  grads.forEach((g, step) => {
    const t = step + 1;
    const lr = typeof rates === 'number' ? rates : (rates[step] as number);
    for (let i = 0; i < N; i++) {
      const gi = g[i] as number;
      switch (name) {
        case 'sgd':
          w[i] = (w[i] as number) - lr * gi;
          break;
        case 'momentum':
          m[i] = 0.9 * (m[i] as number) - lr * gi;
          w[i] = (w[i] as number) + (m[i] as number);
          break;
        case 'adam': {
          const lrT = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
          m[i] = 0.9 * (m[i] as number) + 0.1 * gi;
          v[i] = 0.999 * (v[i] as number) + 0.001 * gi * gi;
          w[i] = (w[i] as number) - (lrT * (m[i] as number)) / (Math.sqrt(v[i] as number) + EPS);
          break;
        }
        case 'rmsprop':
          v[i] = 0.9 * (v[i] as number) + 0.1 * gi * gi;
          w[i] = (w[i] as number) - (lr * gi) / (Math.sqrt(v[i] as number) + EPS);
          break;
      }
    }
  });
  return w;
}

describe("the optimizers follow Keras 2.2's update rules step by step", () => {
  test.each<[OptimizerName, number]>([
    ['sgd', 0.01],
    ['momentum', 0.01],
    ['adam', 0.001],
    ['rmsprop', 0.001],
  ])('%s (lr %s)', (name, lr) => {
    const rng = mulberry32(7);
    const w0 = Float64Array.from({ length: N }, () => rng() * 2 - 1);
    const grads = gradients(11);
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(w0))));
    const opt = createOptimizer(name, lr, [w]);
    for (const g of grads) {
      // The loop hands the optimizer the gradient times its gradientScale (-lr for plain SGD).
      tf.tidy(() => opt.apply([w], [tf.mul(tf.tensor1d(Float32Array.from(g)), opt.gradientScale)]));
    }
    const got = w.dataSync();
    const want = reference(name, lr, w0, grads);
    // Float32 against float64: within 1e-6 of the largest total step.
    const scale = Math.max(...want.map((x, i) => Math.abs(x - (w0[i] as number))));
    for (let i = 0; i < N; i++)
      expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-6 + 1e-4 * scale);
    opt.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // A schedule (core/network/schedule.ts) sets each step's rate before it: Keras's optimizers read
  // the schedule at every update (Adam's bias correction counts on through rate changes).
  test.each<[OptimizerName, number]>([
    ['sgd', 0.01],
    ['momentum', 0.01],
    ['adam', 0.001],
    ['rmsprop', 0.001],
  ])('%s with a new rate at every step (peak %s)', (name, lr) => {
    const rates = [lr, lr * 0.5, 0, lr * 2, lr * 0.1];
    const rng = mulberry32(5);
    const w0 = Float64Array.from({ length: N }, () => rng() * 2 - 1);
    const grads = gradients(13);
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(w0))));
    const opt = createOptimizer(name, lr, [w]);
    grads.forEach((g, step) => {
      opt.setRate(rates[step] as number);
      tf.tidy(() => opt.apply([w], [tf.mul(tf.tensor1d(Float32Array.from(g)), opt.gradientScale)]));
    });
    const got = w.dataSync();
    const want = reference(name, rates, w0, grads);
    const constant = reference(name, lr, w0, grads);
    const scale = Math.max(...want.map((x, i) => Math.abs(x - (w0[i] as number))));
    const off = (xs: Float64Array) => Math.max(...xs.map((x, i) => Math.abs((got[i] as number) - x)));
    expect(off(want)).toBeLessThan(1e-6 + 1e-4 * scale);
    // The rates mattered: the constant rate's weights are far from these.
    expect(off(constant)).toBeGreaterThan(1e-6 + 1e-3 * scale);
    opt.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a wrong constant is caught: RMSprop with rho 0.99 is not Keras 2.2', () => {
    const rng = mulberry32(7);
    const w0 = Float64Array.from({ length: N }, () => rng() * 2 - 1);
    const grads = gradients(11);
    const keras = reference('rmsprop', 0.001, w0, grads);
    // The same rule with rho 0.99 moves some weight by far more than the tolerance above.
    const v = new Float64Array(N);
    const w = Float64Array.from(w0);
    for (const g of grads)
      for (let i = 0; i < N; i++) {
        v[i] = 0.99 * (v[i] as number) + 0.01 * (g[i] as number) ** 2;
        w[i] = (w[i] as number) - (0.001 * (g[i] as number)) / (Math.sqrt(v[i] as number) + EPS);
      }
    const scale = Math.max(...keras.map((x, i) => Math.abs(x - (w0[i] as number))));
    expect(Math.max(...keras.map((x, i) => Math.abs(x - (w[i] as number))))).toBeGreaterThan(1e-6 + 1e-4 * scale);
  });
});
