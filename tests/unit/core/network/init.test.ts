import { describe, expect, test } from 'vitest';
import { drawKernel, initVariance, INITS, TRUNCATED_STD, type InitName } from '../../../../src/core/network/init';
import { mulberry32 } from '../../../../src/core/network/rng';

/** Mean, variance, largest |w| and excess kurtosis of a drawn kernel. */
function moments(init: InitName, fanIn: number, fanOut: number, seed = 1) {
  const w = new Float32Array(fanIn * fanOut);
  drawKernel(init, fanIn, fanOut, mulberry32(seed), w);
  const n = w.length;
  let sum = 0;
  for (const x of w) sum += x;
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  let max = 0;
  for (const x of w) {
    m2 += (x - mean) ** 2;
    m4 += (x - mean) ** 4;
    max = Math.max(max, Math.abs(x));
  }
  const variance = m2 / n;
  return { mean, variance, max, kurtosis: m4 / n / variance ** 2 - 3 };
}

describe('initialisers: the Keras formulas, drawn from the seeded generator', () => {
  test.each<[InitName, number, number, number]>([
    // [init, fan in, fan out, Keras's variance scale / n]
    ['glorot_uniform', 784, 32, 2 / (784 + 32)],
    ['glorot_normal', 784, 32, 2 / (784 + 32)],
    ['he_uniform', 784, 32, 2 / 784],
    ['he_normal', 784, 32, 2 / 784],
    ['lecun_normal', 784, 32, 1 / 784],
    ['he_normal', 32, 10, 2 / 32],
    ['glorot_uniform', 32, 10, 2 / 42],
  ])('%s [%i, %i]: variance scale / n', (init, fanIn, fanOut, variance) => {
    expect(initVariance(init, fanIn, fanOut)).toBeCloseTo(variance, 12);
  });

  test.each(INITS.map((i) => [i] as const))(
    '%s on [784, 256]: drawn mean 0 and variance within 2 % of the formula',
    (init) => {
      const m = moments(init, 784, 256);
      const v = initVariance(init, 784, 256);
      expect(Math.abs(m.mean)).toBeLessThan(0.01 * Math.sqrt(v));
      expect(m.variance / v).toBeGreaterThan(0.98);
      expect(m.variance / v).toBeLessThan(1.02);
    },
  );

  test('uniform ones stay within ±sqrt(3 v) and are flat (excess kurtosis −1.2)', () => {
    for (const init of ['glorot_uniform', 'he_uniform'] as const) {
      const m = moments(init, 784, 256);
      const limit = Math.sqrt(3 * initVariance(init, 784, 256));
      expect(m.max).toBeLessThanOrEqual(limit);
      expect(m.max).toBeGreaterThan(0.999 * limit);
      expect(m.kurtosis).toBeCloseTo(-1.2, 1);
    }
  });

  test('normal ones are cut at two of their σ (σ = sqrt(v) / 0.8796) and have the truncated normal\u2019s shape', () => {
    for (const init of ['glorot_normal', 'he_normal', 'lecun_normal'] as const) {
      const m = moments(init, 784, 256);
      const sigma = Math.sqrt(initVariance(init, 784, 256)) / TRUNCATED_STD;
      expect(m.max).toBeLessThanOrEqual(2 * sigma * (1 + 1e-6));
      expect(m.max).toBeGreaterThan(1.99 * sigma);
      // A normal truncated at ±2 has excess kurtosis about −0.63 (a uniform −1.2, a full normal 0).
      expect(m.kurtosis).toBeGreaterThan(-0.75);
      expect(m.kurtosis).toBeLessThan(-0.5);
    }
  });

  test('Glorot uniform draws exactly what the lab drew before the setting existed (one number per weight)', () => {
    const rng = mulberry32(9);
    const w = new Float32Array(40 * 7);
    drawKernel('glorot_uniform', 40, 7, mulberry32(9), w);
    const limit = Math.sqrt(6 / 47);
    const old = Float32Array.from({ length: 40 * 7 }, () => (rng() * 2 - 1) * limit);
    expect(w).toEqual(old);
  });

  test('same seed, same kernel; another seed, another', () => {
    const a = new Float32Array(100);
    const b = new Float32Array(100);
    const c = new Float32Array(100);
    drawKernel('he_normal', 10, 10, mulberry32(3), a);
    drawKernel('he_normal', 10, 10, mulberry32(3), b);
    drawKernel('he_normal', 10, 10, mulberry32(4), c);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('fills only fanIn × fanOut entries (the first kernel has padding rows)', () => {
    const w = new Float32Array(30).fill(7);
    drawKernel('lecun_normal', 5, 5, mulberry32(1), w);
    expect(Array.from(w.slice(25))).toEqual([7, 7, 7, 7, 7]);
    expect(w.slice(0, 25).every((x) => x !== 7)).toBe(true);
  });
});
