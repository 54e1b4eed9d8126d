import { describe, expect, test } from 'vitest';
import {
  AFFINE,
  AffineStream,
  affineDraw,
  affineTransform,
  describeAugment,
  warpImage,
} from '../../../../src/core/dataset/augment';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { readRunRecord, toStored } from '../../../../src/core/runs/runSchema';
import { describeConfig, newRunRecord, setupKey } from '../../../../src/core/runs/runs';
import { runsToCsv } from '../../../../src/core/runs/runExport';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';

/** A 28 × 28 image with ink at the given (x, y) pixels. */
function inked(...points: [number, number][]): Float32Array {
  const im = new Float32Array(784);
  for (const [x, y] of points) im[y * 28 + x] = 1;
  return im;
}
const inkAt = (im: Float32Array) =>
  Array.from(im)
    .map((v, i) => [v, i % 28, Math.floor(i / 28)] as const)
    .filter(([v]) => v > 1e-6)
    .map(([v, x, y]) => [x, y, Number(v.toFixed(4))]);

describe('the affine warp', () => {
  test('no shift, rotation or scaling leaves the image as it is', () => {
    const im = inked([3, 4], [20, 9]);
    expect(Array.from(warpImage(im, affineTransform({ dx: 0, dy: 0, angle: 0, scale: 1 })))).toEqual(Array.from(im));
  });

  test('a shift moves the ink right and down by whole pixels, and splits it between two pixels half way', () => {
    const t = affineTransform({ dx: 2, dy: -1, angle: 0, scale: 1 });
    expect(inkAt(warpImage(inked([10, 10]), t))).toEqual([[12, 9, 1]]);
    expect(inkAt(warpImage(inked([10, 10]), affineTransform({ dx: 0.5, dy: 0, angle: 0, scale: 1 })))).toEqual([
      [10, 10, 0.5],
      [11, 10, 0.5],
    ]);
    // Ink moved out of the frame is gone; nothing comes in from outside.
    expect(inkAt(warpImage(inked([27, 5]), t))).toEqual([]);
  });

  test('a quarter turn about the centre (13.5, 13.5) turns the image clockwise on screen; scaling grows it from there', () => {
    const quarter = affineTransform({ dx: 0, dy: 0, angle: Math.PI / 2, scale: 1 });
    // (20, 13) is 6.5 right of the centre and 0.5 above it: a clockwise quarter turn (y down) puts it
    // 6.5 below and 0.5 right: (14, 20).
    expect(inkAt(warpImage(inked([20, 13]), quarter))).toEqual([[14, 20, 1]]);
    const double = affineTransform({ dx: 0, dy: 0, angle: 0, scale: 2 });
    // Scaled by 2 about the centre, output pixel 15 reads the input at 13.5 + 1.5 / 2 = 14.25 in x and y:
    // three quarters of pixel (14, 14) each way.
    expect(warpImage(inked([14, 14]), double)[15 * 28 + 15]).toBeCloseTo(0.75 * 0.75, 6);
  });

  test('the draws are uniform within ±2 pixels, ±10° and ×0.9–1.1, repeatable from the seed', () => {
    const a = new AffineStream(7).fill(2000);
    expect(Array.from(new AffineStream(7).fill(2000))).toEqual(Array.from(a));
    expect(Array.from(new AffineStream(8).fill(8))).not.toEqual(Array.from(a.subarray(0, 8)));
    expect(affineDraw([1, -1, 1, -1])).toEqual({
      dx: AFFINE.shift,
      dy: -AFFINE.shift,
      angle: (10 * Math.PI) / 180,
      scale: 0.9,
    });
    // Each transform's first entry is cos(angle) / scale: between cos(10°)/1.1 and 1/0.9.
    const firsts = Array.from({ length: 2000 }, (_, i) => a[i * 8] as number);
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(Math.cos(Math.PI / 18) / 1.1 - 1e-6);
    expect(Math.max(...firsts)).toBeLessThanOrEqual(1 / 0.9 + 1e-6);
    // The rotation's sine (entry 1, times the scale) spreads evenly: a fifth of the draws in each fifth of ±10°.
    const sines = Array.from(
      { length: 2000 },
      (_, i) => (a[i * 8 + 1] as number) / Math.hypot(a[i * 8] as number, a[i * 8 + 1] as number),
    );
    const fifths = [0, 0, 0, 0, 0];
    for (const s of sines) fifths[Math.min(4, Math.floor(((Math.asin(s) / (Math.PI / 18) + 1) / 2) * 5))]! += 1;
    for (const f of fifths) expect(Math.abs(f - 400)).toBeLessThan(5 * Math.sqrt(2000 * 0.2 * 0.8));
  });
});

describe('augmentation in the link, the record, the CSV and the run name', () => {
  test('aug=affine sets it; none writes nothing; a bad one is noted', () => {
    const c = decodeConfig('layers=800&aug=affine').config;
    expect(c.augment).toBe('affine');
    expect(encodeConfig(c)).toContain('aug=affine');
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
    expect(encodeConfig(decodeConfig('layers=800').config)).not.toContain('aug');
    const bad = decodeConfig('aug=rubber');
    expect(bad.config.augment).toBe('none');
    expect(bad.notices.map((n) => n.param)).toEqual(['aug']);
  });

  test('a record of schema 8 reads as unaugmented; one with it reads back', () => {
    const run = newRunRecord('r1', 1000, DEFAULT_CONFIG);
    const v8 = { ...toStored(run), schema: 8, config: { ...run.config, augment: undefined } };
    const r = readRunRecord(JSON.parse(JSON.stringify(v8)));
    if (!r.ok) throw new Error(r.reason);
    expect([r.from, r.record.config.augment]).toEqual([8, 'none']);
    const aug = newRunRecord('r2', 1000, { ...DEFAULT_CONFIG, augment: 'affine' });
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(aug))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(aug.config);
  });

  test('the run name, the setup key and the CSV say it', () => {
    const aug = { ...DEFAULT_CONFIG, augment: 'affine' as const };
    expect(describeConfig(aug)).toContain(' · affine augmentation');
    expect(describeAugment(DEFAULT_CONFIG)).toBe('');
    expect(setupKey(aug)).not.toBe(setupKey(DEFAULT_CONFIG));
    const csv = runsToCsv([{ ...newRunRecord('r', 1000, aug), status: 'done' }]).split('\n');
    const header = (csv[0] ?? '').split(',');
    expect((csv[1] ?? '').split(',')[header.indexOf('augment')]).toBe('affine');
  });
});
