import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  columnKey,
  epochTicks,
  logTicks,
  nearestPoint,
  niceStep,
  niceTicks,
  rowsByX,
  stepDecimals,
  svgPath,
  thinEvenly,
  tickFormatter,
} from '../../../../src/core/chart/ticks';

// Issue 25, item 6: the experiment chart's y axis read 0.08, 0.28, 0.48 (recharts' even split of a
// domain that hugs the values). Ticks are 1, 2 or 5 × 10^k apart and land on multiples of the step.

/** True when `v` is a whole multiple of `step` (to rounding). */
const onGrid = (v: number, step: number) => Math.abs(v / step - Math.round(v / step)) < 1e-6;

describe('niceStep', () => {
  test.each([
    [0.2, 0.2],
    [0.19, 0.2],
    [0.21, 0.5],
    [0.024, 0.05],
    [0.3, 0.5],
    [0.7, 1],
    [1, 1],
    [1.5, 2],
    [3, 5],
    [6, 10],
    [2.5, 5],
    [140, 200],
  ])('%s → %s', (raw, step) => expect(niceStep(raw)).toBe(step));

  test('integer steps are at least 1', () => {
    expect(niceStep(0.3, true)).toBe(1);
    expect(niceStep(1.5, true)).toBe(2);
    expect(niceStep(4, true)).toBe(5);
  });

  test('no step from nothing', () => {
    for (const raw of [0, -1, NaN, Infinity]) expect(niceStep(raw)).toBe(1);
  });
});

describe('niceTicks', () => {
  test('the unit interval in fifths', () => {
    expect(niceTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  test('the domain that read 0.08, 0.28, 0.48 now reads 0, 0.2, 0.4 …', () => {
    expect(niceTicks(0.08, 0.92, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  test('a narrow band of accuracies in steps of 0.05', () => {
    expect(niceTicks(0.86, 0.98, 6)).toEqual([0.85, 0.9, 0.95, 1]);
    expect(niceTicks(0.9, 0.96, 6)).toEqual([0.9, 0.92, 0.94, 0.96]);
  });

  test('losses', () => {
    expect(niceTicks(0, 2.5, 6)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(0, 3.5, 6)).toEqual([0, 1, 2, 3, 4]);
  });

  test('exact decimals, no 0.30000000000000004', () => {
    expect(niceTicks(0.1, 0.7, 7)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  test('negative ranges and reversed bounds', () => {
    expect(niceTicks(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(1, 0, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(Object.is(niceTicks(-1, 1, 5)[2], -0)).toBe(false);
  });

  test('a single value gets room either side', () => {
    expect(niceTicks(0, 0, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0.5, 0.5, 5)).toEqual([0.45, 0.5, 0.55]);
  });

  test('integer ticks', () => {
    expect(niceTicks(0, 3, 11, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 0.4, 5, true)).toEqual([0, 1]);
  });

  test('no ticks for non-finite bounds', () => {
    expect(niceTicks(NaN, 1, 5)).toEqual([]);
    expect(niceTicks(0, Infinity, 5)).toEqual([]);
  });

  test('any range: at most maxCount ticks, evenly spaced by a nice step, covering it', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.integer({ min: 3, max: 12 }),
        (lo, relativeSpan, count) => {
          // Spans far below the bounds' own rounding (1e-10 of them) are no chart's axis.
          const hi = lo + relativeSpan * Math.max(1, Math.abs(lo));
          const ticks = niceTicks(lo, hi, count);
          expect(ticks.length).toBeGreaterThanOrEqual(2);
          expect(ticks.length).toBeLessThanOrEqual(count);
          const measured = (ticks[1] as number) - (ticks[0] as number);
          const step = niceStep(measured * 0.999);
          expect(Math.abs(measured - step) / step).toBeLessThan(1e-6);
          ticks.forEach((t) => expect(onGrid(t, step)).toBe(true));
          expect(ticks[0]).toBeLessThanOrEqual(lo + step * 1e-6);
          expect(ticks.at(-1)).toBeGreaterThanOrEqual(hi - step * 1e-6);
        },
      ),
    );
  });
});

describe('logTicks', () => {
  test('one decade: 1, 2, 5 times the powers of ten', () => {
    expect(logTicks(1, 10)).toEqual([1, 2, 5, 10]);
    expect(logTicks(0.1, 10)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
  });

  test('many decades: the powers of ten', () => {
    expect(logTicks(0.001, 10)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  test('only ticks inside the axis', () => {
    expect(logTicks(0.3, 3)).toEqual([0.5, 1, 2]);
  });

  test('no ticks without a positive range', () => {
    expect(logTicks(0, 10)).toEqual([]);
    expect(logTicks(-1, 10)).toEqual([]);
    expect(logTicks(1, Infinity)).toEqual([]);
  });
});

describe('epochTicks', () => {
  test.each([
    [3, [0, 1, 2, 3]],
    [1, [0, 1]],
    [10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    [20, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]],
    [13, [0, 2, 4, 6, 8, 10, 12]],
    [25, [0, 5, 10, 15, 20, 25]],
    [100, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]],
  ])('%s epochs', (max, ticks) => expect(epochTicks(max, 11)).toEqual(ticks));

  test('whole numbers within [0, max], at most maxCount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 12 }), (max, count) => {
        const ticks = epochTicks(max, count);
        expect(ticks.length).toBeLessThanOrEqual(count);
        expect(ticks[0]).toBe(0);
        ticks.forEach((t) => {
          expect(Number.isInteger(t)).toBe(true);
          expect(t).toBeLessThanOrEqual(max);
        });
      }),
    );
  });

  test('no epochs: just 0', () => {
    expect(epochTicks(0, 11)).toEqual([0]);
    expect(epochTicks(NaN, 11)).toEqual([0]);
  });
});

describe('tick labels', () => {
  test('decimals of a step', () => {
    expect([0.2, 0.05, 0.1, 1, 5, 20, 0.001].map(stepDecimals)).toEqual([1, 2, 1, 0, 0, 0, 3]);
  });

  test('evenly spaced ticks share their decimals: 0.85, 0.90, 0.95', () => {
    const f = tickFormatter([0.85, 0.9, 0.95, 1]);
    expect([0.85, 0.9, 0.95, 1].map(f)).toEqual(['0.85', '0.90', '0.95', '1.00']);
    expect([0, 0.2, 1].map(tickFormatter([0, 0.2, 0.4]))).toEqual(['0.0', '0.2', '1.0']);
    expect([0, 5, 10].map(tickFormatter([0, 5, 10]))).toEqual(['0', '5', '10']);
  });

  test('powers of ten on a log axis print as plain numbers', () => {
    const f = tickFormatter([0.01, 0.1, 1, 10]);
    expect([0.01, 0.1, 1, 10].map(f)).toEqual(['0.01', '0.1', '1', '10']);
  });

  test('fewer than two ticks', () => {
    expect(tickFormatter([])(0.30000000000000004)).toBe('0.3');
  });
});

describe('thinEvenly', () => {
  const points = Array.from({ length: 1000 }, (_, i) => i);

  test('short curves are drawn as they are', () => {
    expect(thinEvenly(points.slice(0, 300), 300)).toEqual(points.slice(0, 300));
  });

  test('long curves: at most max points, first and last kept, evenly spread', () => {
    const kept = thinEvenly(points, 300);
    expect(kept).toHaveLength(300);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(999);
    const gaps = kept.slice(1).map((v, i) => v - (kept[i] as number));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
  });

  test('keeps order and never repeats a point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 2, max: 500 }), (n, max) => {
        const kept = thinEvenly(
          Array.from({ length: n }, (_, i) => i),
          max,
        );
        expect(kept.length).toBe(Math.min(n, max));
        if (n > 0) expect(kept.at(-1)).toBe(n - 1);
        kept.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(kept[i] as number));
      }),
    );
  });
});

describe('the points a chart draws', () => {
  const curve = [0.1, 0.5, 0.9, 1.3, 2].map((x) => ({ x, y: x * 10 }));

  test('nearestPoint: the point nearest x, ends included', () => {
    expect(nearestPoint(curve, 0.6)?.x).toBe(0.5);
    expect(nearestPoint(curve, 0.75)?.x).toBe(0.9);
    expect(nearestPoint(curve, -5)?.x).toBe(0.1);
    expect(nearestPoint(curve, 99)?.x).toBe(2);
    expect(nearestPoint([{ x: 3, y: 1 }], 0)?.x).toBe(3);
    expect(nearestPoint([], 1)).toBeUndefined();
  });

  test('nearestPoint agrees with a linear search', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: -10, max: 110, noNaN: true }),
        (xs, x) => {
          const points = [...xs].sort((a, b) => a - b).map((v) => ({ x: v, y: 0 }));
          const best = Math.min(...points.map((p) => Math.abs(p.x - x)));
          expect(Math.abs((nearestPoint(points, x)?.x ?? NaN) - x)).toBe(best);
        },
      ),
    );
  });

  test('rowsByX: curves side by side by x, in x order', () => {
    const training = [
      { x: 0.5, y: 0.3 },
      { x: 1, y: 0.5 },
      { x: 1.5, y: 0.6 },
    ];
    const other = [
      { x: 1, y: 0.45 },
      { x: 0.25, y: 0.2 },
    ];
    expect(rowsByX([training, other])).toEqual([
      { x: 0.25, [columnKey(1)]: 0.2 },
      { x: 0.5, [columnKey(0)]: 0.3 },
      { x: 1, [columnKey(0)]: 0.5, [columnKey(1)]: 0.45 },
      { x: 1.5, [columnKey(0)]: 0.6 },
    ]);
    expect(rowsByX([])).toEqual([]);
  });

  test('svgPath: through the points with both coordinates, rounded to tenths of a pixel', () => {
    expect(
      svgPath([
        { x: 1, y: 2 },
        { x: 3.14159, y: null },
        { x: 5.56, y: 6.04 },
        { x: null, y: 1 },
        { x: 7, y: 8 },
      ]),
    ).toBe('M1.0,2.0L5.6,6.0L7.0,8.0');
    expect(svgPath([])).toBe('');
  });
});
