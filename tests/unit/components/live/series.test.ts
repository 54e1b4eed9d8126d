import { expect, test } from 'vitest';
import { lossAxis } from '../../../../src/components/live/series';

test("the loss chart's axis fits cross-entropy in halves and the squared error in hundredths, guessing's line included", () => {
  // Cross-entropy from guessing (2.30) down.
  expect(lossAxis([2.31, 0.9, 0.4], Math.log(10), false)).toEqual({
    domain: [0, 2.5],
    ticks: [0, 0.5, 1, 1.5, 2, 2.5],
  });
  // The squared error: at most 0.2, guessing 0.09; its curve fills the chart instead of its bottom fifth.
  expect(lossAxis([0.09, 0.05, 0.02], 0.09, false)).toEqual({
    domain: [0, 0.1],
    ticks: [0, 0.02, 0.04, 0.06, 0.08, 0.1],
  });
  expect(lossAxis([0.18, 0.05], 0.09, false)).toEqual({ domain: [0, 0.2], ticks: [0, 0.05, 0.1, 0.15, 0.2] });
  // A diverged run's huge loss still fits.
  expect(lossAxis([2.3, 14.2], Math.log(10), false).domain).toEqual([0, 15]);
});
