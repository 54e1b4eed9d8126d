/**
 * The learning-rate finder (Smith 2015, "Cyclical learning rates", section 3.3, the "LR range
 * test"; the form fastai made common): train the network from its initial weights for a few hundred
 * batches while the rate rises exponentially from 1e-7 to 10, record each batch's loss, and read
 * the good rates off the curve of loss against rate. The test stops early once the loss, as an
 * exponential moving average with bias correction (β = 0.98, as fastai does), passes 4 times its
 * lowest (the rate has blown it up). The suggestion is the rate where the loss, as a centred mean
 * over 11 batches (no lag), falls fastest against log rate, before its lowest point: Smith's rule,
 * the rate at which the network learns fastest.
 */

export const RATE_FINDER = {
  /** The rate of the first batch and of the last. */
  start: 1e-7,
  end: 10,
  /** Batches in all (fewer when the loss blows up first). */
  steps: 200,
  /** The moving average's weight of the past. */
  beta: 0.98,
  /** Stop once the smoothed loss is this many times its lowest. */
  blowUp: 4,
} as const;

/** The rate of finder batch `i` (0-based): exponential from `start` to `end` over `steps`. */
export function finderRate(i: number, steps: number = RATE_FINDER.steps): number {
  const { start, end } = RATE_FINDER;
  return start * Math.pow(end / start, i / Math.max(1, steps - 1));
}

export interface FinderPoint {
  /** The batch's learning rate. */
  readonly rate: number;
  /** Its mean loss before the update (as Keras reports a batch). */
  readonly loss: number;
  /** The loss's moving average up to it (what decides to stop). */
  readonly smooth: number;
}

/** Smooths a series of batch losses as they come, and says when the test should stop. */
export class FinderCurve {
  readonly points: FinderPoint[] = [];
  private average = 0;
  private best = Infinity;

  /** Adds batch `loss` at `rate`; returns false when the test should stop (NaN, or blown up). */
  add(rate: number, loss: number): boolean {
    if (!Number.isFinite(loss)) return false;
    const n = this.points.length + 1;
    this.average = RATE_FINDER.beta * this.average + (1 - RATE_FINDER.beta) * loss;
    const smooth = this.average / (1 - Math.pow(RATE_FINDER.beta, n));
    this.points.push({ rate, loss, smooth });
    this.best = Math.min(this.best, smooth);
    return !(n > 1 && smooth > RATE_FINDER.blowUp * this.best);
  }
}

export interface RateSuggestion {
  /** The rate suggested: where the smoothed loss falls fastest, before its lowest point. */
  readonly rate: number;
  /** How fast it falls there: the change of the smoothed loss per tenfold rate (negative). */
  readonly slope: number;
  /** The rate at the smoothed loss's lowest point, and that loss. */
  readonly lowestRate: number;
  readonly lowest: number;
}

/** Points each side of the centred mean the suggestion reads (and the chart draws). */
export const SPAN = 5;
/** The loss must fall by at least this share of its start for any rate to count as helping. */
export const MIN_FALL = 0.05;

/**
 * Each point's loss as the mean of the batch losses `span` points either side (fewer at the
 * ends): smooth without the lag of the moving average, so the fastest fall is found where it is.
 */
export function centredLoss(points: readonly FinderPoint[], span = SPAN): number[] {
  return points.map((_, i) => {
    const from = Math.max(0, i - span);
    const to = Math.min(points.length - 1, i + span);
    let sum = 0;
    for (let j = from; j <= to; j++) sum += (points[j] as FinderPoint).loss;
    return sum / (to - from + 1);
  });
}

/**
 * The suggestion from a finder's points, or null when no rate helped: too few points, or a
 * centred loss that never falls below 95 % of where it started. The slope is taken between points
 * `span` either side (on log rate) of the centred loss.
 */
export function suggestRate(points: readonly FinderPoint[], span = SPAN): RateSuggestion | null {
  if (points.length < 2 * span + 2) return null;
  const loss = centredLoss(points, span);
  let low = 0;
  loss.forEach((l, i) => {
    if (l < (loss[low] as number)) low = i;
  });
  if ((loss[low] as number) > (1 - MIN_FALL) * (loss[0] as number)) return null;
  let best: { i: number; slope: number } | null = null;
  for (let i = span; i + span < points.length && i <= low; i++) {
    const a = i - span;
    const b = i + span;
    const run = Math.log10((points[b] as FinderPoint).rate) - Math.log10((points[a] as FinderPoint).rate);
    const slope = ((loss[b] as number) - (loss[a] as number)) / run;
    if (slope < 0 && (best === null || slope < best.slope)) best = { i, slope };
  }
  if (best === null) return null;
  return {
    rate: Number((points[best.i] as FinderPoint).rate.toPrecision(2)),
    slope: best.slope,
    lowestRate: (points[low] as FinderPoint).rate,
    lowest: loss[low] as number,
  };
}
