/**
 * How long an epoch of a config will take on this machine, from the runs the lab has measured.
 * Model: seconds per training image = c · params^k on one backend and batch size. Between two
 * measured sizes k comes from them (log-log interpolation, k in [0, 1]: work grows at most in
 * proportion to the parameters); with one size only, or sizes too close to tell (less than a
 * factor of 2 apart, where depth and noise swamp the slope), k = 1 from the nearest.
 */
import type { RunRecord } from './runs';
import { median, secondsPerEpoch } from './runs';
import { totalParams } from '../network/params';
import type { TrainConfig } from '../network/spec';
import { kerasSplit } from '../dataset/split';

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

// Records are immutable (an update makes a new object), so each one's median is computed once.
const perEpoch = new WeakMap<RunRecord, number | null>();
export function cachedSecondsPerEpoch(r: RunRecord): number | null {
  let s = perEpoch.get(r);
  if (s === undefined) {
    s = secondsPerEpoch(r);
    perEpoch.set(r, s);
  }
  return s;
}

/** Estimates for any config from one history: the history is sorted through once, not per call. */
export type Estimator = (config: TrainConfig) => EpochEstimate | null;

/**
 * Builds the estimator for a history. Each run's seconds per epoch is read once and the measured
 * points are grouped per backend and batch size on first use, so estimating every remaining run
 * of a queue on every progress tick stays cheap with a thousand runs kept.
 */
export function makeEstimator(runs: readonly RunRecord[]): Estimator {
  const measured = runs.flatMap((r) => {
    // A run trained in a group (RunRecord.group) took the group's time, not its own.
    const alone = r.group === undefined;
    const s =
      alone && r.backend !== null && r.trainCount !== null && r.trainCount > 0 ? cachedSecondsPerEpoch(r) : null;
    return s === null ? [] : [{ run: r, perImage: s / (r.trainCount as number) }];
  });
  if (measured.length === 0) return () => null;
  const newest = measured.reduce((a, b) => (b.run.startedAt > a.run.startedAt ? b : a));
  const bases = new Map<string, { points: Point[]; runs: number } | null>();
  const basisFor = (backend: string, batchSize: number) => {
    const key = `${backend}|${batchSize}`;
    if (!bases.has(key)) {
      const onBackend = measured.filter((m) => m.run.backend === backend);
      // Per-image cost depends on the batch size (per-batch overhead): prefer runs with the same one.
      const sameBatch = onBackend.filter((m) => m.run.config.batchSize === batchSize);
      const basis = sameBatch.length > 0 ? sameBatch : onBackend;
      const byParams = new Map<number, number[]>();
      for (const m of basis) {
        const list = byParams.get(m.run.params);
        if (list) list.push(m.perImage);
        else byParams.set(m.run.params, [m.perImage]);
      }
      const points = [...byParams]
        .map(([p, xs]) => ({ logParams: Math.log(p), logSecPerImage: Math.log(median(xs)) }))
        .sort((a, b) => a.logParams - b.logParams);
      bases.set(key, basis.length === 0 ? null : { points, runs: basis.length });
    }
    return bases.get(key) ?? null;
  };
  return (config) => {
    const backend = config.backend === 'auto' ? (newest.run.backend as string) : config.backend;
    const basis = basisFor(backend, config.batchSize);
    if (!basis) return null;
    return {
      seconds:
        Math.exp(logSecondsPerImage(basis.points, Math.log(totalParams(config.layers)))) * trainImagesPerEpoch(config),
      backend,
      runs: basis.runs,
    };
  };
}

/**
 * The estimate for `config`, or null when no finished epoch on a matching backend exists yet.
 * `auto` uses the backend of the newest measured run (what auto chose last time).
 */
export function estimateEpochSeconds(runs: readonly RunRecord[], config: TrainConfig): EpochEstimate | null {
  return makeEstimator(runs)(config);
}

/** log(seconds per image) at log(params) `target` from the measured points (sorted by size). */
function logSecondsPerImage(points: readonly Point[], target: number): number {
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
  return logPerImage;
}

/**
 * Seconds for a list of runs still to train, each with the epochs it has left (a fraction for the
 * one under way); null while any of them has no estimate.
 */
export function estimateRemainingSeconds(
  history: readonly RunRecord[] | Estimator,
  todo: readonly { readonly config: TrainConfig; readonly epochs: number }[],
): number | null {
  const estimate = typeof history === 'function' ? history : makeEstimator(history);
  let total = 0;
  for (const t of todo) {
    const e = estimate(t.config);
    if (!e) return null;
    total += e.seconds * t.epochs;
  }
  return total;
}
