/**
 * Intervals over repeats (issue 12): the mean of a config's runs with a 95 % interval from
 * Student's t over the seeds, mean ± t(0.975, n - 1) · s / √n, where s is the sample standard
 * deviation. Pure; the findings and the charts read it.
 */

/** t(0.975, df) for df = 1..30 (two-sided 95 %); beyond 30 the table's values approach 1.96. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The two-sided 95 % quantile of Student's t with `df` degrees of freedom (df ≥ 1). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  const d = Math.floor(df);
  if (d <= T975.length) return T975[d - 1] as number;
  // Beyond the table: the Cornish-Fisher expansion around the normal quantile (error < 0.001 here).
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d);
}

export interface Interval {
  readonly n: number;
  readonly mean: number;
  /** Half-width of the 95 % interval; NaN with fewer than 2 values (no spread to measure). */
  readonly half: number;
  readonly low: number;
  readonly high: number;
}

/** Mean and 95 % t-interval of `values` (NaN entries are left out). */
export function meanInterval(values: readonly number[]): Interval {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  const mean = n === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, half: NaN, low: NaN, high: NaN };
  const s = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * s) / Math.sqrt(n);
  return { n, mean, half, low: mean - half, high: mean + half };
}

/**
 * `meanInterval` for a quantity bounded to [lo, hi] (an accuracy: 0..1): the same mean and n, the
 * ends clipped to the bounds. With two seeds t is 12.7 and the bare interval of a spread-out pair
 * reaches below 0 or above 1, which no accuracy can.
 */
export function boundedInterval(values: readonly number[], lo = 0, hi = 1): Interval {
  const i = meanInterval(values);
  if (!Number.isFinite(i.half)) return i;
  return { ...i, low: Math.max(lo, i.low), high: Math.min(hi, i.high) };
}

/** Whether two intervals are apart (neither contains a point of the other); false if either is unknown. */
export function intervalsApart(a: Interval, b: Interval): boolean {
  if (!Number.isFinite(a.half) || !Number.isFinite(b.half)) return false;
  return a.high < b.low || b.high < a.low;
}

/**
 * The difference of means `b − a` with a 95 % Welch interval (unequal variances):
 * (mean b − mean a) ± t(0.975, df) · √(s²a/na + s²b/nb), df by Welch–Satterthwaite (rounded down,
 * so the interval errs wide). NaN half-width with fewer than two values on either side. When both
 * sides have no spread (four runs of one seed each at 0.1135, say) the half-width is 0.
 */
export function differenceInterval(a: readonly number[], b: readonly number[]): Interval {
  const xa = a.filter((v) => Number.isFinite(v));
  const xb = b.filter((v) => Number.isFinite(v));
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const d = mean(xb) - mean(xa);
  const n = Math.min(xa.length, xb.length);
  if (xa.length < 2 || xb.length < 2) return { n, mean: d, half: NaN, low: NaN, high: NaN };
  /** The squared standard error of a mean: s² / n, with s² the sample variance. */
  const se2 = (xs: readonly number[]) => {
    // Equal values have no spread; their floating-point mean can differ from them in the last bit.
    if (xs.every((x) => x === xs[0])) return 0;
    const m = mean(xs);
    return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length;
  };
  const va = se2(xa);
  const vb = se2(xb);
  const se = Math.sqrt(va + vb);
  if (se === 0) return { n, mean: d, half: 0, low: d, high: d };
  const df = (va + vb) ** 2 / (va ** 2 / (xa.length - 1) + vb ** 2 / (xb.length - 1));
  const half = tQuantile975(Math.max(1, Math.floor(df))) * se;
  return { n, mean: d, half, low: d - half, high: d + half };
}
