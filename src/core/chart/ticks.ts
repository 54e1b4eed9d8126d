/**
 * Axis ticks a reader takes in at a glance (0, 0.2, 0.4 … or 0.85, 0.90, 0.95; never 0.08, 0.28,
 * 0.48), and the points a chart draws: a curve thinned evenly, curves side by side in one data
 * array, the point under the pointer, an SVG path. Plain numbers, no React or DOM.
 */

/** Steps are 1, 2 or 5 times a power of ten (d3's and Heckbert's "nice numbers"). */
const MANTISSAS = [1, 2, 5, 10];

/** Tolerance for floating-point division (0.3 / 0.1 is 2.9999999999999996). */
const EPS = 1e-9;

/** A nice count of ticks is rarely below three: 0 and 1 alone say little about the scale. */
const MIN_COUNT = 3;

/**
 * The smallest step of 1, 2 or 5 × 10^k that is at least `raw` (at least 1 when `integer`, for
 * epochs). A `raw` that is not a positive finite number gives 1.
 */
export function niceStep(raw: number, integer = false): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = MANTISSAS.find((m) => m * power >= raw * (1 - EPS)) ?? 10;
  const step = Number((mantissa * power).toPrecision(12));
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** How many decimals a tick of this step needs: 0.2 → 1, 0.05 → 2, 5 → 0. */
export function stepDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.max(0, -Math.floor(Math.log10(step) + EPS));
}

/** The multiples of `step` from `first` to `last` (multipliers), rounded to the step's decimals. */
function multiples(first: number, last: number, step: number): number[] {
  const digits = stepDecimals(step);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(digits)) + 0);
}

/**
 * At most `maxCount` (3 or more) evenly spaced nice ticks that cover [min, max]: the first at or
 * below `min`, the last at or above it, so [first, last] is the axis's domain. niceTicks(0, 1, 6)
 * is [0, 0.2, 0.4, 0.6, 0.8, 1]; niceTicks(0.86, 0.98, 6) is [0.85, 0.9, 0.95, 1]. A single value
 * gets a little room either side. Non-finite bounds give no ticks.
 */
export function niceTicks(min: number, max: number, maxCount: number, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi === lo) {
    const room = integer || lo === 0 ? 1 : Math.abs(lo) / 10;
    lo -= room;
    hi += room;
  }
  const count = Math.max(MIN_COUNT, Math.floor(maxCount) || MIN_COUNT);
  let step = niceStep((hi - lo) / (count - 1), integer);
  // A step that divides the span may still need one tick more once both ends are rounded out; the
  // next nice step then fits (with three ticks any step of at least the span does).
  for (;;) {
    const first = Math.floor(lo / step + EPS);
    const last = Math.ceil(hi / step - EPS);
    if (last - first + 1 <= count) return multiples(first, last, step);
    step = niceStep(step * (1 + 1e-6), integer);
  }
}

/**
 * Ticks for a log axis over [min, max] (both positive): the powers of ten, and 2 and 5 times them
 * when the axis spans at most two decades, so that an axis from 1 to 10 is not left with its ends.
 * logTicks(1, 10) is [1, 2, 5, 10]; logTicks(0.001, 10) is [0.001, 0.01, 0.1, 1, 10].
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const [lo, hi] = min <= max ? [min, max] : [max, min];
  const first = Math.floor(Math.log10(lo) + EPS);
  const last = Math.ceil(Math.log10(hi) - EPS);
  const mantissas = last - first <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let d = first; d <= last; d++)
    for (const m of mantissas) {
      const t = Number((m * 10 ** d).toPrecision(12));
      if (t >= lo * (1 - EPS) && t <= hi * (1 + EPS)) ticks.push(t);
    }
  return ticks;
}

/**
 * Integer ticks from 0 to at most `max` (epochs): at most `maxCount`, a nice step apart, the axis
 * staying [0, max]. epochTicks(3, 11) is [0, 1, 2, 3]; epochTicks(20, 11) is [0, 2, …, 20].
 */
export function epochTicks(max: number, maxCount: number): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0];
  const count = Math.max(2, Math.floor(maxCount) || 2);
  const step = niceStep(max / (count - 1), true);
  return multiples(0, Math.floor(max / step + EPS), step);
}

/**
 * Labels for evenly spaced ticks, all with the decimals their step needs ("0.85", "0.90", "0.95");
 * ticks that are not evenly spaced (powers of ten on a log axis) print as plain numbers.
 */
export function tickFormatter(ticks: readonly number[]): (value: number) => string {
  const [a, b, c] = ticks;
  if (a === undefined || b === undefined) return (v) => String(Number(v.toPrecision(6)));
  const step = b - a;
  const even = c === undefined || Math.abs(c - b - step) <= Math.abs(step) * 1e-6;
  if (!even) return (v) => String(Number(v.toPrecision(6)));
  const digits = stepDecimals(Math.abs(step));
  return (v) => v.toFixed(digits);
}

/**
 * At most `max` of `points`, evenly spaced by index, the first and the last always kept: a
 * chart library draws a few hundred points quickly and thousands slowly, and the eye cannot tell.
 */
export function thinEvenly<T>(points: readonly T[], max: number): readonly T[] {
  const n = points.length;
  const keep = Math.max(2, Math.floor(max));
  if (n <= keep) return points;
  return Array.from({ length: keep }, (_, i) => points[Math.round((i * (n - 1)) / (keep - 1))] as T);
}

/** A point of a curve, in data units or pixels. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** The point of `points` (in x order) nearest `x`, found by halving; undefined when there are none. */
export function nearestPoint<P extends XY>(points: readonly P[], x: number): P | undefined {
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as P).x <= x) lo = mid;
    else hi = mid;
  }
  const a = points[lo];
  const b = points[hi];
  if (!a || !b) return a ?? b;
  return Math.abs(a.x - x) <= Math.abs(b.x - x) ? a : b;
}

/** The key of curve `i` in a row of `rowsByX`. */
export const columnKey = (i: number): string => `s${i}`;

/** A row of curves side by side: the x, and each curve's y there (if it has a point there) under its key. */
export type Row = { x: number; [key: string]: number };

/**
 * Curves side by side, a row per x in x order, for a chart library that takes one data array:
 * curve i's y under columnKey(i), absent from the rows of x where curve i has no point.
 */
export function rowsByX(curves: readonly (readonly XY[])[]): Row[] {
  const byX = new Map<number, Row>();
  curves.forEach((points, i) => {
    for (const p of points) {
      const row = byX.get(p.x) ?? { x: p.x };
      row[columnKey(i)] = p.y;
      byX.set(p.x, row);
    }
  });
  return [...byX.values()].sort((a, b) => a.x - b.x);
}

/** The SVG path through the points (pixels) that have both coordinates, skipping the others. */
export function svgPath(points: readonly { readonly x: number | null; readonly y: number | null }[]): string {
  let d = '';
  for (const { x, y } of points) if (x !== null && y !== null) d += `${d ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
  return d;
}
