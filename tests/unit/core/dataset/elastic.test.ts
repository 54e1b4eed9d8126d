import { expect, test } from 'vitest';
import { displaceImage, displacements, ELASTIC, gaussianTaps, smoothField } from '../../../../src/core/dataset/elastic';
import { mulberry32 } from '../../../../src/core/network/rng';

test('the Gaussian has 33 taps for σ 4, sums to 1, peaks in the middle and is symmetric', () => {
  const taps = gaussianTaps();
  expect(taps).toHaveLength(33);
  expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  expect(Math.max(...taps)).toBe(taps[16]);
  taps.forEach((t, i) => expect(t).toBeCloseTo(taps[32 - i] as number, 7));
});

test('smoothing an impulse in the middle gives the Gaussian along rows times along columns; at the edge zeros fall off', () => {
  const taps = gaussianTaps();
  const impulse = new Float32Array(784);
  impulse[14 * 28 + 14] = 1;
  const s = smoothField(impulse);
  expect(s[14 * 28 + 14]).toBeCloseTo((taps[16] as number) ** 2, 7);
  expect(s[10 * 28 + 17]).toBeCloseTo((taps[12] as number) * (taps[19] as number), 7);
  // A field of ones keeps less than 1 near the border (the zeros beyond the image pull it down).
  const ones = smoothField(new Float32Array(784).fill(1));
  expect(ones[14 * 28 + 14]).toBeGreaterThan(0.99);
  expect(ones[0]).toBeLessThan(0.35); // about half of each pass's taps reach past a corner
});

test('no displacement leaves the image; a displacement of one pixel right reads from the right (the ink moves left)', () => {
  const im = new Float32Array(784);
  im[5 * 28 + 9] = 1;
  const zero = new Float32Array(784);
  expect(Array.from(displaceImage(im, zero, zero))).toEqual(Array.from(im));
  const moved = displaceImage(im, new Float32Array(784).fill(1), zero);
  expect(moved[5 * 28 + 8]).toBe(1);
  expect(moved.reduce((a, b) => a + b, 0)).toBe(1);
});

test('noise uniform in ±1, smoothed with σ 4 and scaled by 34, moves pixels by about a pixel or two, smoothly', () => {
  const rng = mulberry32(4);
  const noise = Float32Array.from({ length: 2 * 784 }, () => 2 * rng() - 1);
  const { dx, dy } = displacements(noise);
  const rms = Math.sqrt([...dx, ...dy].reduce((a, v) => a + v * v, 0) / (2 * 784));
  expect(rms).toBeGreaterThan(0.5);
  expect(rms).toBeLessThan(4);
  // Smooth: neighbouring pixels move almost alike.
  let step = 0;
  for (let y = 0; y < 28; y++)
    for (let x = 0; x + 1 < 28; x++) step += Math.abs((dx[y * 28 + x + 1] as number) - (dx[y * 28 + x] as number));
  expect(step / (28 * 27)).toBeLessThan(0.25 * rms);
  expect(ELASTIC).toEqual({ alpha: 34, sigma: 4 });
});
