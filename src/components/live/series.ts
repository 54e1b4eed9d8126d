/** What the live charts draw, from the run state: smoothed samples, thinned for drawing. */
import { smoothSamples, thin, type TrainSample } from '../../core/diagnosis/health';
import type { EpochLog } from '../../core/runs/runs';

/** Points drawn per curve at most: enough for the eye, cheap to draw. */
export const MAX_POINTS = 240;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The training curve (smoothed over batches, thinned) and the validation points of `key`. A run
 * with epochs but no samples (a kept run from before runs kept their curves, an import) draws its
 * training curve through its epochs' values.
 */
export function curves(
  samples: readonly TrainSample[],
  epochs: readonly EpochLog[],
  key: 'acc' | 'loss',
): { train: Point[]; val: Point[] } {
  const source =
    samples.length > 0 ? thin(smoothSamples(samples), MAX_POINTS) : epochs.map((e) => ({ ...e, x: e.epoch }));
  const train = source.map((s) => ({ x: s.x, y: s[key] })).filter((p) => Number.isFinite(p.y));
  const val = epochs.flatMap((e) => {
    const v = key === 'acc' ? e.valAcc : e.valLoss;
    return v === null || !Number.isFinite(v) ? [] : [{ x: e.epoch, y: v }];
  });
  return { train, val };
}

/** A loss axis that holds every value and the guessing level: linear from 0, or log by powers of ten. */
export function lossAxis(
  values: readonly number[],
  guess: number,
  log: boolean,
): { domain: [number, number]; ticks: number[] } {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const max = Math.max(guess, ...finite);
  if (!log) {
    // Squared errors (at most 0.2, guessing 0.09) get hundredths; cross-entropy halves and wholes.
    const small = max <= 0.5;
    const top = small ? Math.ceil(max * 20) / 20 : max <= 3 ? Math.ceil(max * 2) / 2 : Math.ceil(max);
    const step = small
      ? top <= 0.1
        ? 0.02
        : top <= 0.25
          ? 0.05
          : 0.1
      : top <= 3
        ? 0.5
        : top <= 8
          ? 1
          : Math.ceil(top / 6);
    return {
      domain: [0, top],
      ticks: Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => Number((i * step).toFixed(2))),
    };
  }
  const min = Math.min(guess, ...finite);
  const lo = 10 ** Math.floor(Math.log10(min));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(Number(t.toPrecision(1)));
  return { domain: [lo, hi], ticks };
}
