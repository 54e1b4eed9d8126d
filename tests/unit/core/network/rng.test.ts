import { describe, expect, test } from 'vitest';
import { mulberry32, sampleIndices, shuffledIndices } from '../../../../src/core/network/rng';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

describe('mulberry32', () => {
  test('its numbers are pinned: a change to the generator would silently change every seeded run', () => {
    // Found by mutation testing: flipping a + to - in the generator, or drawing the shuffle's
    // index from i - 1 instead of i + 1 (a biased shuffle), passed every other test.
    const r = mulberry32(1);
    expect([r(), r(), r()].map((x) => Math.round(x * 2 ** 32))).toEqual([2693262067, 11749833, 2265367787]);
    expect(Array.from(shuffledIndices(10, mulberry32(7)))).toEqual([6, 5, 8, 1, 2, 3, 4, 7, 9, 0]);
  });

  test('floats in [0, 1), the same sequence for the same seed', () => {
    const a = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const b = mulberry32(42);
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    const c = mulberry32(43);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
  });
});

describe('sampleIndices', () => {
  test('count distinct indices, all in range', () => {
    for (const [n, count] of [
      [60000, 24],
      [100, 99],
      [10, 1],
      [1, 1],
    ] as const) {
      const s = sampleIndices(n, count, mulberry32(n + count));
      expect(s).toHaveLength(count);
      expect(new Set(s).size).toBe(count);
      for (const i of s) {
        expect(Number.isInteger(i)).toBe(true);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(n);
      }
    }
  });

  test('the same seed draws the same indices in the same order; another seed does not', () => {
    const a = sampleIndices(60000, 24, mulberry32(2024));
    expect(sampleIndices(60000, 24, mulberry32(2024))).toEqual(a);
    expect(sampleIndices(60000, 24, mulberry32(2025))).not.toEqual(a);
  });

  test('asking for more than n gives all n, shuffled; nothing asked, nothing given', () => {
    const all = sampleIndices(5, 10, mulberry32(1));
    expect(all).toHaveLength(5);
    expect(sorted(all)).toEqual(range(5));
    expect(sorted(sampleIndices(50, 50, mulberry32(3)))).toEqual(range(50));
    expect(sampleIndices(10, 0, mulberry32(1))).toEqual([]);
    expect(sampleIndices(10, -3, mulberry32(1))).toEqual([]);
    expect(sampleIndices(0, 5, mulberry32(1))).toEqual([]);
  });

  test('a full draw is not left in order', () => {
    expect(sampleIndices(50, 50, mulberry32(3))).not.toEqual(range(50));
  });

  test('over many draws every index of a small n is picked about equally often, in every position', () => {
    const n = 10;
    const count = 3;
    const draws = 30000;
    const rng = mulberry32(7);
    const picked = new Array<number>(n).fill(0);
    const first = new Array<number>(n).fill(0);
    for (let d = 0; d < draws; d++) {
      const s = sampleIndices(n, count, rng);
      for (const i of s) picked[i] = (picked[i] ?? 0) + 1;
      const f = s[0] as number;
      first[f] = (first[f] ?? 0) + 1;
    }
    // Expected 9,000 picks per index (sd about 80) and 3,000 first places (sd about 52).
    for (const p of picked) expect(Math.abs(p - (draws * count) / n)).toBeLessThan(450);
    for (const f of first) expect(Math.abs(f - draws / n)).toBeLessThan(300);
    expect(picked.reduce((a, b) => a + b, 0)).toBe(draws * count);
  });
});
