/**
 * Kernel initialisers (issue 12), as Keras defines them, drawn from the lab's seeded generator on
 * plain arrays so that a seed gives the same weights on every backend. Biases start at zero.
 *
 * Keras's VarianceScaling(scale, mode, distribution), with n = fan_in, fan_out or their mean:
 * - uniform: U(-limit, limit), limit = sqrt(3 · scale / n), so the variance is scale / n;
 * - truncated normal: N(0, σ²) cut at ±2σ and drawn again outside, with
 *   σ = sqrt(scale / n) / 0.87962566103423978, the standard deviation of a unit normal truncated
 *   at ±2 (Keras 2.2.3 and later, and Keras 3: the cut keeps the variance at scale / n).
 *
 * glorot_uniform (Keras's Dense default): scale 1, fan_avg, uniform: limit sqrt(6 / (in + out)).
 * glorot_normal: scale 1, fan_avg, truncated normal. he_uniform: scale 2, fan_in, uniform.
 * he_normal: scale 2, fan_in, truncated normal. lecun_normal: scale 1, fan_in, truncated normal.
 */
import type { Rng } from './rng';

export const INITS = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_normal'] as const;
export type InitName = (typeof INITS)[number];

interface InitRule {
  readonly scale: number;
  readonly mode: 'fan_in' | 'fan_avg';
  readonly distribution: 'uniform' | 'truncated_normal';
  /** How the page names it. */
  readonly label: string;
}

export const INIT_RULES: Readonly<Record<InitName, InitRule>> = {
  glorot_uniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform', label: 'Glorot uniform (Keras default)' },
  glorot_normal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', label: 'Glorot normal' },
  he_uniform: { scale: 2, mode: 'fan_in', distribution: 'uniform', label: 'He uniform' },
  he_normal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal', label: 'He normal' },
  lecun_normal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', label: 'LeCun normal' },
};

/** The standard deviation of a unit normal truncated at ±2 (scipy.stats.truncnorm.std(-2, 2)). */
export const TRUNCATED_STD = 0.87962566103423978;

/** The variance `init` gives a kernel of fan-in `fanIn` and fan-out `fanOut`: scale / n. */
export function initVariance(init: InitName, fanIn: number, fanOut: number): number {
  const r = INIT_RULES[init];
  const n = r.mode === 'fan_in' ? fanIn : (fanIn + fanOut) / 2;
  return r.scale / Math.max(1, n);
}

/**
 * Fills `out[0 .. fanIn·fanOut)` with a kernel [fanIn, fanOut] (row-major) drawn by `init` from
 * `rng`. Glorot uniform draws one number per weight, (rng() · 2 − 1) · limit, exactly as the lab
 * always has, so runs from before the setting existed keep their weights. The normals use
 * Box-Muller pairs and redraw outside ±2σ.
 */
export function drawKernel(init: InitName, fanIn: number, fanOut: number, rng: Rng, out: Float32Array): void {
  const count = fanIn * fanOut;
  const variance = initVariance(init, fanIn, fanOut);
  if (INIT_RULES[init].distribution === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    for (let j = 0; j < count; j++) out[j] = (rng() * 2 - 1) * limit;
    return;
  }
  const sigma = Math.sqrt(variance) / TRUNCATED_STD;
  let j = 0;
  while (j < count) {
    // 1 - rng() is in (0, 1]: the log never sees zero.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    for (const z of [radius * Math.cos(angle), radius * Math.sin(angle)]) {
      if (j < count && Math.abs(z) <= 2) out[j++] = z * sigma;
    }
  }
}
