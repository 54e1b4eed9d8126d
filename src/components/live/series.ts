/** What the live charts draw, from the run state: smoothed samples, thinned for drawing. */
import { smoothSamples, thin, type TrainSample } from '../../core/health';
import type { EpochLog } from '../../core/runs';

/** Points drawn per curve at most: enough for the eye, cheap for the renderer. */
export const MAX_POINTS = 240;

export interface ChartPoint {
  readonly x: number;
  readonly train?: number;
  readonly val?: number;
}

/** Training (smoothed, thinned) and validation values of `key` on one x axis, in epochs. */
export function chartPoints(samples: readonly TrainSample[], epochs: readonly EpochLog[], key: 'acc' | 'loss'): ChartPoint[] {
  const train = thin(smoothSamples(samples), MAX_POINTS).map((s) => ({ x: s.x, train: s[key] }));
  const val = epochs.flatMap((e) => {
    const v = key === 'acc' ? e.valAcc : e.valLoss;
    return v === null || !Number.isFinite(v) ? [] : [{ x: e.epoch, val: v }];
  });
  return [...train, ...val].sort((a, b) => a.x - b.x);
}
