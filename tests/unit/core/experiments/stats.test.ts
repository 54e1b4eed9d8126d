import { describe, expect, test } from 'vitest';
import { boundedInterval, intervalsApart, meanInterval, tQuantile975 } from '../../../../src/core/experiments/stats';

describe('95 % t-intervals over repeats', () => {
  test("Student's t quantiles: the table, and the expansion beyond it", () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(30)).toBe(2.042);
    // Published values: t(0.975, 40) = 2.021, 60: 2.000, 120: 1.980.
    expect(tQuantile975(40)).toBeCloseTo(2.021, 2);
    expect(tQuantile975(60)).toBeCloseTo(2.0, 2);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 2);
    expect(tQuantile975(0)).toBeNaN();
  });

  test('three repeats: mean ± 4.303 · s / √3', () => {
    const r = meanInterval([0.9, 0.92, 0.94]);
    expect(r.mean).toBeCloseTo(0.92, 12);
    // s = 0.02
    expect(r.half).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 12);
    expect(r.low).toBeCloseTo(0.92 - r.half, 12);
    expect(r.high).toBeCloseTo(0.92 + r.half, 12);
    expect(r.n).toBe(3);
  });

  test('one value has a mean and no interval; failed runs (NaN) are left out', () => {
    expect(meanInterval([0.5])).toMatchObject({ n: 1, mean: 0.5 });
    expect(meanInterval([0.5]).half).toBeNaN();
    expect(meanInterval([0.5, NaN, 0.7]).mean).toBeCloseTo(0.6, 12);
    expect(meanInterval([]).mean).toBeNaN();
  });

  test('identical repeats have an interval of zero width', () => {
    expect(meanInterval([0.1135, 0.1135]).half).toBe(0);
  });

  test('apart only when the intervals do not overlap', () => {
    const low = meanInterval([0.11, 0.1135, 0.112]);
    const high = meanInterval([0.92, 0.93, 0.925]);
    expect(intervalsApart(low, high)).toBe(true);
    expect(intervalsApart(high, low)).toBe(true);
    const near = meanInterval([0.9, 0.94]);
    const other = meanInterval([0.91, 0.95]);
    expect(intervalsApart(near, other)).toBe(false);
    expect(intervalsApart(meanInterval([0.5]), high)).toBe(false);
  });
});

describe('boundedInterval: an accuracy\u2019s interval stays within 0..1', () => {
  test('two spread-out seeds: the t-interval is cut at the bounds, the mean and half-width kept', () => {
    const bare = meanInterval([0.286, 0.482]);
    expect(bare.low).toBeLessThan(0);
    expect(bare.high).toBeGreaterThan(1);
    const cut = boundedInterval([0.286, 0.482]);
    expect([cut.low, cut.high, cut.mean, cut.half, cut.n]).toEqual([0, 1, bare.mean, bare.half, 2]);
  });
  test('inside the bounds nothing changes; one value has no interval', () => {
    expect(boundedInterval([0.9, 0.91, 0.92])).toEqual(meanInterval([0.9, 0.91, 0.92]));
    expect(Number.isNaN(boundedInterval([0.5]).low)).toBe(true);
  });
});
