import { describe, expect, test } from 'vitest';
import {
  FinderCurve,
  finderRate,
  RATE_FINDER,
  suggestRate,
  type FinderPoint,
} from '../../../../src/core/network/rateFinder';

/** The finder's points for a loss that is a function of the rate (as long as the curve goes on). */
function curveOf(loss: (rate: number) => number): FinderPoint[] {
  const c = new FinderCurve();
  for (let i = 0; i < RATE_FINDER.steps; i++) if (!c.add(finderRate(i), loss(finderRate(i)))) break;
  return c.points;
}

/** A loss that falls from 2.3 to 0.3 around 1e-3 (steepest there), then blows up past 0.1. */
const sigmoidFall = (rate: number) =>
  2.3 - 2 / (1 + Math.exp(-2.5 * (Math.log10(rate) + 3))) + (rate > 0.1 ? 20 * (rate - 0.1) : 0);

describe('the learning-rate finder', () => {
  test('the rate rises exponentially from 1e-7 to 10 over 200 batches', () => {
    expect(finderRate(0)).toBeCloseTo(1e-7, 20);
    expect(finderRate(RATE_FINDER.steps - 1)).toBeCloseTo(10, 10);
    const ratio = finderRate(1) / finderRate(0);
    for (let i = 1; i < 50; i++) expect(finderRate(i + 1) / finderRate(i)).toBeCloseTo(ratio, 10);
    expect(ratio ** (RATE_FINDER.steps - 1)).toBeCloseTo(1e8, 0);
  });

  test('the smoothed loss is the bias-corrected moving average (β 0.98): a constant loss stays itself', () => {
    const c = new FinderCurve();
    for (let i = 0; i < 30; i++) c.add(finderRate(i), 1.7);
    c.points.forEach((p) => expect(p.smooth).toBeCloseTo(1.7, 12));
    const d = new FinderCurve();
    d.add(1e-7, 2);
    d.add(2e-7, 1);
    // (0.98·0.02·2 + 0.02·1) / (1 − 0.98²)
    expect(d.points[1]?.smooth).toBeCloseTo((0.98 * 0.02 * 2 + 0.02 * 1) / (1 - 0.98 ** 2), 12);
  });

  test('it stops once the smoothed loss passes 4 times its lowest, or at a loss that is not a number', () => {
    const points = curveOf(sigmoidFall);
    expect(points.length).toBeLessThan(RATE_FINDER.steps);
    const last = points.at(-1) as FinderPoint;
    const lowest = Math.min(...points.map((p) => p.smooth));
    expect(last.smooth).toBeGreaterThan(4 * lowest);
    expect(points.slice(0, -1).every((p) => p.smooth <= 4 * lowest)).toBe(true);
    const c = new FinderCurve();
    expect(c.add(1e-7, 2.3)).toBe(true);
    expect(c.add(2e-7, NaN)).toBe(false);
    expect(c.points).toHaveLength(1);
  });

  test('it suggests where the centred loss falls fastest, before its lowest point', () => {
    const points = curveOf(sigmoidFall);
    const s = suggestRate(points);
    if (!s) throw new Error('no suggestion');
    // The curve is steepest at 1e-3; the centred mean does not move it (a moving average would lag).
    expect(s.rate).toBeGreaterThan(0.8e-3);
    expect(s.rate).toBeLessThan(1.25e-3);
    expect(s.slope).toBeLessThan(-1);
    expect(s.lowestRate).toBeGreaterThan(s.rate);
    // A steeper fall elsewhere moves the suggestion there.
    const moved = suggestRate(curveOf((r) => sigmoidFall(r * 100)));
    expect(moved?.rate).toBeGreaterThan(0.8e-5);
    expect(moved?.rate).toBeLessThan(1.25e-5);
  });

  test('no suggestion when the loss never falls, or from too few batches', () => {
    expect(suggestRate(curveOf(() => 2.3))).toBeNull();
    expect(suggestRate(curveOf((r) => 2.3 + r))).toBeNull();
    expect(suggestRate(curveOf(sigmoidFall).slice(0, 8))).toBeNull();
  });
});
