/**
 * How long an epoch of a config will take on this machine, from the runs the lab has measured.
 * Model: seconds per training image = c · params^k on one backend and batch size. Between two
 * measured sizes k comes from them (log-log interpolation, k in [0, 1]: work grows at most in
 * proportion to the parameters); with one size only, or sizes too close to tell (less than a
 * factor of 2 apart, where depth and noise swamp the slope), k = 1 from the nearest.
 */
import type { RunRecord } from './runs';
import { secondsPerEpoch } from './runs';
import { totalParams } from './params';
import type { TrainConfig } from './spec';
import { kerasSplit } from './split';

export interface EpochEstimate {
  /** Estimated wall seconds of one epoch (after the first, which also warms up). */
  readonly seconds: number;
  /** The backend whose runs it is based on. */
  readonly backend: string;
  /** How many measured runs it rests on. */
  readonly runs: number;
}

/** Two measured sizes closer than this (in log params: a factor of 2) give no usable slope. */
const MIN_SPREAD = Math.log(2);

interface Point {
  readonly logParams: number;
  readonly logSecPerImage: number;
}

/** Training images per epoch of `config` (MNIST's 60,000 or the subset, less validation). */
export function trainImagesPerEpoch(config: TrainConfig): number {
  return kerasSplit(config.subset ?? 60000, config.validationSplit, config.batchSize).trainCount;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * The estimate for `config`, or null when no finished epoch on a matching backend exists yet.
 * `auto` uses the backend of the newest measured run (what auto chose last time).
 */
export function estimateEpochSeconds(runs: readonly RunRecord[], config: TrainConfig): EpochEstimate | null {
  const measured = runs.filter((r) => r.backend !== null && r.trainCount !== null && r.trainCount > 0 && secondsPerEpoch(r) !== null);
  if (measured.length === 0) return null;
  const newest = measured.reduce((a, b) => (b.startedAt > a.startedAt ? b : a));
  const backend = config.backend === 'auto' ? (newest.backend as string) : config.backend;
  const onBackend = measured.filter((r) => r.backend === backend);
  if (onBackend.length === 0) return null;
  // Per-image cost depends on the batch size (per-batch overhead): prefer runs with the same one.
  const sameBatch = onBackend.filter((r) => r.config.batchSize === config.batchSize);
  const basis = sameBatch.length > 0 ? sameBatch : onBackend;

  const byParams = new Map<number, number[]>();
  for (const r of basis) {
    const perImage = (secondsPerEpoch(r) as number) / (r.trainCount as number);
    byParams.set(r.params, [...(byParams.get(r.params) ?? []), perImage]);
  }
  const points: Point[] = [...byParams]
    .map(([p, xs]) => ({ logParams: Math.log(p), logSecPerImage: Math.log(median(xs)) }))
    .sort((a, b) => a.logParams - b.logParams);

  const target = Math.log(totalParams(config.layers));
  const nearest = points.reduce((a, b) => (Math.abs(b.logParams - target) < Math.abs(a.logParams - target) ? b : a));
  let logPerImage = nearest.logSecPerImage + (target - nearest.logParams);
  if (points.length > 1) {
    // The bracketing pair, or the two nearest at the end the target lies beyond.
    let i = points.findIndex((p) => p.logParams >= target);
    if (i <= 0) i = i === 0 ? 1 : points.length - 1;
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    if (b.logParams - a.logParams >= MIN_SPREAD) {
      const slope = (b.logSecPerImage - a.logSecPerImage) / (b.logParams - a.logParams);
      const k = Math.min(1, Math.max(0, slope));
      const near = Math.abs(target - a.logParams) < Math.abs(target - b.logParams) ? a : b;
      logPerImage = near.logSecPerImage + k * (target - near.logParams);
    }
  }
  return { seconds: Math.exp(logPerImage) * trainImagesPerEpoch(config), backend, runs: basis.length };
}

/**
 * Seconds for a list of runs still to train, each with the epochs it has left (a fraction for the
 * one under way); null while any of them has no estimate.
 */
export function estimateRemainingSeconds(runs: readonly RunRecord[], todo: readonly { readonly config: TrainConfig; readonly epochs: number }[]): number | null {
  let total = 0;
  for (const t of todo) {
    const e = estimateEpochSeconds(runs, t.config);
    if (!e) return null;
    total += e.seconds * t.epochs;
  }
  return total;
}
