import { describe, expect, test } from 'vitest';
import { BOX, centreOfMass, FRAME, preprocessDigit, type DigitImage } from '../../../../src/core/dataset/digit';

// Synthetic drawings on a 280 x 280 canvas of ink amounts 0..1, as the drawing pad hands them over.
const W = 280;
const H = 280;
/** Ink above this counts (the module's threshold for stray anti-aliasing). */
const THRESHOLD = 0.02;

function blank(): Float32Array {
  return new Float32Array(W * H);
}

/** A filled disc of radius r: every pixel whose middle is within r of (cx, cy). */
function disc(ink: Float32Array, cx: number, cy: number, r: number, value = 1): void {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r)
        ink[y * W + x] = Math.max(ink[y * W + x] as number, value);
    }
  }
}

/** A thick stroke: discs of radius r every half pixel along a polyline. */
function stroke(ink: Float32Array, points: readonly (readonly [number, number])[], r: number): Float32Array {
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i] as readonly [number, number];
    const [x1, y1] = points[i + 1] as readonly [number, number];
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2));
    for (let s = 0; s <= steps; s++) disc(ink, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, r);
  }
  return ink;
}

function rect(ink: Float32Array, x0: number, y0: number, w: number, h: number, value = 1): Float32Array {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) ink[y * W + x] = value;
  return ink;
}

/** A "7" (top bar and diagonal), about 116 x 156 px, whose ink box starts near (dx, dy). */
function seven(dx: number, dy: number): Float32Array {
  return stroke(
    blank(),
    [
      [dx + 10, dy + 10],
      [dx + 110, dy + 10],
      [dx + 50, dy + 150],
    ],
    8,
  );
}

interface Box {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** Bounding box of the values above `min` in a w-wide image. */
function boxOf(values: ArrayLike<number>, w: number, min = 0): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < values.length; i++) {
    if ((values[i] as number) <= min) continue;
    const x = i % w;
    const y = Math.floor(i / w);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Centre of mass of a 28 x 28 image, each pixel weighed at its middle, written independently here. */
function com28(values: ArrayLike<number>): { x: number; y: number } {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < FRAME * FRAME; i++) {
    const v = values[i] as number;
    m += v;
    sx += v * ((i % FRAME) + 0.5);
    sy += v * (Math.floor(i / FRAME) + 0.5);
  }
  return { x: sx / m, y: sy / m };
}

/**
 * The size the ink box must have in the output: its longer side is BOX, the shorter scaled by the
 * same factor and rounded (at least 1 pixel).
 */
function expectedSize(ink: Float32Array): { w: number; h: number } {
  const b = boxOf(ink, W, THRESHOLD) as Box;
  const scale = BOX / Math.max(b.w, b.h);
  return { w: Math.max(1, Math.round(b.w * scale)), h: Math.max(1, Math.round(b.h * scale)) };
}

function run(ink: Float32Array, range: 'raw' | 'scaled' = 'scaled'): DigitImage {
  const out = preprocessDigit(ink, W, H, range);
  if (!out) throw new Error('expected a digit, got null');
  return out;
}

/**
 * The acceptance for one drawing: the ink's box in the 28 x 28 output is at most 20 x 20,
 * its longer side exactly 20 (the ink box's longer side is mapped onto BOX cells by area averaging,
 * and the edge cells cover the box's edge rows / columns, which hold ink above the threshold, so
 * they are never zero), the shorter side scaled alike; and the centre of mass is at (14, 14), to
 * within half a pixel for the float image (integer shift) and within one pixel for the bytes.
 */
function expectMnistLike(ink: Float32Array): DigitImage {
  const out = run(ink);
  const size = expectedSize(ink);
  const box = boxOf(out.input, FRAME) as Box;
  expect({ w: box.w, h: box.h }).toEqual(size);
  expect(Math.max(box.w, box.h)).toBe(BOX);
  expect(box.w).toBeLessThanOrEqual(BOX);
  expect(box.h).toBeLessThanOrEqual(BOX);
  // Nothing was pushed off the frame: the whole box lies inside it.
  expect(box.x0).toBeGreaterThanOrEqual(0);
  expect(box.x0 + box.w).toBeLessThanOrEqual(FRAME);
  expect(box.y0 + box.h).toBeLessThanOrEqual(FRAME);

  const fromInput = com28(out.input);
  expect(Math.abs(fromInput.x - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
  expect(Math.abs(fromInput.y - 14)).toBeLessThanOrEqual(0.5 + 1e-6);
  const fromBytes = com28(out.bytes);
  expect(Math.abs(fromBytes.x - 14)).toBeLessThan(1);
  expect(Math.abs(fromBytes.y - 14)).toBeLessThan(1);
  // The reported centre is the float image's.
  expect(out.centre.x).toBeCloseTo(fromInput.x, 6);
  expect(out.centre.y).toBeCloseTo(fromInput.y, 6);
  return out;
}

describe('centreOfMass', () => {
  test('weighs each pixel at its middle', () => {
    const img = new Float32Array(10 * 8);
    img[5 * 10 + 3] = 1;
    expect(centreOfMass(img, 10, 8)).toEqual({ x: 3.5, y: 5.5 });
    img[1 * 10 + 9] = 3; // (9.5, 1.5) with three times the weight
    const c = centreOfMass(img, 10, 8);
    expect(c?.x).toBeCloseTo((3.5 + 3 * 9.5) / 4, 12);
    expect(c?.y).toBeCloseTo((5.5 + 3 * 1.5) / 4, 12);
  });

  test('a uniform image has its centre in the middle; an empty one has none', () => {
    expect(centreOfMass(new Float32Array(28 * 28).fill(0.3), 28, 28)).toEqual({ x: 14, y: 14 });
    expect(centreOfMass(new Float32Array(12), 4, 3)).toBeNull();
  });
});

describe('MNIST-style preprocessing of a drawing', () => {
  test('the constants are MNIST’s', () => {
    expect(FRAME).toBe(28);
    expect(BOX).toBe(20);
  });

  test('an off-centre stroke (a 7 in the top-left corner) is scaled to 20 px tall and centred', () => {
    const ink = seven(0, 0);
    const b = boxOf(ink, W, THRESHOLD) as Box;
    expect(b.x0).toBeLessThan(5);
    expect(b.y0).toBeLessThan(5);
    expect(b.h).toBeGreaterThan(b.w);
    const out = expectMnistLike(ink);
    expect(boxOf(out.input, FRAME)?.h).toBe(20);
    expect(boxOf(out.input, FRAME)?.w).toBe(Math.round((b.w * 20) / b.h)); // 15 for 116 x 156
  });

  test('a drawing in the bottom-right corner too', () => {
    expectMnistLike(seven(160, 120));
  });

  test('a small stroke (about 20 x 30 px) is enlarged to 20 px on its longer side', () => {
    const ink = stroke(
      blank(),
      [
        [130, 125],
        [130, 149],
        [144, 149],
      ],
      3,
    );
    const b = boxOf(ink, W, THRESHOLD) as Box;
    expect(b.w).toBeGreaterThanOrEqual(18);
    expect(b.w).toBeLessThanOrEqual(22);
    expect(b.h).toBeGreaterThanOrEqual(28);
    expect(b.h).toBeLessThanOrEqual(32);
    const out = expectMnistLike(ink);
    expect(boxOf(out.input, FRAME)).toMatchObject({ h: 20, w: Math.round((b.w * 20) / b.h) });
  });

  test('a thin 1 px vertical line becomes a full-ink column 1 px wide and 20 px tall', () => {
    const ink = rect(blank(), 140, 40, 1, 200);
    const out = expectMnistLike(ink);
    const box = boxOf(out.input, FRAME) as Box;
    expect(box).toMatchObject({ w: 1, h: 20 });
    // 200 rows onto 20: each output cell averages 10 full-ink pixels.
    for (let y = box.y0; y < box.y0 + 20; y++) expect(out.input[y * FRAME + box.x0]).toBeCloseTo(1, 6);
    // A one-column image has its centre at 0.5, shifted by round(13.5) = 14 to x = 14.5.
    expect(box.x0).toBe(14);
    expect(out.centre.x).toBeCloseTo(14.5, 6);
  });

  test('a thin 2 px vertical line too (2 columns scaled by 0.1 round to 1 column, not 0)', () => {
    const out = expectMnistLike(rect(blank(), 60, 30, 2, 200));
    expect(boxOf(out.input, FRAME)).toMatchObject({ w: 1, h: 20 });
  });

  test('mass far to one side of its box: the box stays inside the frame and no ink is lost', () => {
    // A 60 x 200 bar with a long thin base line: the mass sits in the bar, the box spans the base.
    const ink = rect(rect(blank(), 20, 40, 60, 200), 80, 238, 180, 2);
    const out = run(ink);
    const box = boxOf(out.input, FRAME) as Box;
    expect([box.w, box.h]).toEqual([20, 17]);
    expect(box.x0 + box.w).toBeLessThanOrEqual(FRAME);
    expect(box.y0 + box.h).toBeLessThanOrEqual(FRAME);
    // All the ink that the 20 x 17 box holds is still in the frame (none cut at the edge).
    const total = out.input.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(87.5);
  });

  test('a tiny dot is enlarged to a 20 x 20 blob', () => {
    const ink = blank();
    disc(ink, 200, 60, 2);
    const b = boxOf(ink, W, THRESHOLD) as Box;
    expect(b).toMatchObject({ w: 4, h: 4 });
    const out = expectMnistLike(ink);
    expect(boxOf(out.input, FRAME)).toMatchObject({ w: 20, h: 20 });
    // Enlarging by an integer factor (5) copies pixels: every cell is 0 or 1, nothing in between,
    // and the disc's missing corners stay 5 x 5 blocks of paper.
    expect(Array.from(out.input).every((v) => v === 0 || v === 1)).toBe(true);
    const box = boxOf(out.input, FRAME) as Box;
    expect(out.input[box.y0 * FRAME + box.x0]).toBe(0);
    expect(out.input[(box.y0 + 4) * FRAME + box.x0 + 4]).toBe(0);
    expect(out.input[(box.y0 + 5) * FRAME + box.x0 + 5]).toBe(1);
    expect(out.input[(box.y0 + 10) * FRAME + box.x0]).toBe(1);
  });

  test('a single ink pixel fills the whole 20 x 20 box with its own ink amount', () => {
    const ink = blank();
    ink[100 * W + 100] = 0.5;
    const out = run(ink);
    const box = boxOf(out.input, FRAME) as Box;
    expect(box).toEqual({ x0: 4, y0: 4, w: 20, h: 20 });
    for (let y = 4; y < 24; y++) for (let x = 4; x < 24; x++) expect(out.input[y * FRAME + x]).toBeCloseTo(0.5, 6);
    expect(out.centre).toEqual({ x: 14, y: 14 });
  });

  test('the aspect ratio is kept: a tall thin bar stays tall and thin, a wide one wide', () => {
    const tall = expectMnistLike(rect(blank(), 100, 20, 30, 200));
    expect(boxOf(tall.input, FRAME)).toMatchObject({ w: 3, h: 20 });
    const wide = expectMnistLike(rect(blank(), 30, 100, 200, 50));
    expect(boxOf(wide.input, FRAME)).toMatchObject({ w: 20, h: 5 }); // 50 * 20 / 200
    const flatSeven = stroke(
      blank(),
      [
        [20, 100],
        [260, 100],
        [200, 160],
      ],
      6,
    );
    const b = boxOf(flatSeven, W, THRESHOLD) as Box;
    const out = expectMnistLike(flatSeven);
    expect(boxOf(out.input, FRAME)).toMatchObject({ w: 20, h: Math.round((b.h * 20) / b.w) });
  });

  test('an empty canvas, or one with only faint specks at or below 0.02, has no digit (null, no throw)', () => {
    expect(preprocessDigit(blank(), W, H, 'raw')).toBeNull();
    expect(preprocessDigit(new Array<number>(W * H).fill(0), W, H, 'scaled')).toBeNull();
    const faint = blank();
    for (let i = 0; i < faint.length; i += 7) faint[i] = 0.015;
    expect(preprocessDigit(faint, W, H, 'raw')).toBeNull();
    expect(preprocessDigit(new Array<number>(W * H).fill(0.02), W, H, 'scaled')).toBeNull();
    // Just above the threshold is ink.
    faint[1234] = 0.03;
    expect(preprocessDigit(faint, W, H, 'raw')).not.toBeNull();
  });

  test('an ink array of the wrong length throws', () => {
    expect(() => preprocessDigit(new Float32Array(100), W, H, 'raw')).toThrow(/100 values for 280x280/);
    expect(() => preprocessDigit(new Float32Array(W * H + 1), W, H, 'scaled')).toThrow(/preprocessDigit/);
    expect(() => preprocessDigit(new Float32Array(W * H), W, H - 1, 'raw')).toThrow();
  });

  test("'raw' gives 0..255 (255 where the stroke is solid), 'scaled' 0..1, in the same pattern", () => {
    const ink = seven(60, 40);
    const raw = run(ink, 'raw');
    const scaled = run(ink, 'scaled');
    expect(raw.input).toHaveLength(784);
    expect(scaled.input).toHaveLength(784);
    expect(Math.max(...raw.input)).toBe(255);
    expect(Math.min(...raw.input)).toBe(0);
    expect(Math.max(...scaled.input)).toBe(1);
    expect(Math.min(...scaled.input)).toBe(0);
    expect(Array.from(raw.input)).toEqual(Array.from(scaled.input, (v) => Math.fround(v * 255)));
    expect(Array.from(raw.bytes)).toEqual(Array.from(scaled.bytes));
    expect(raw.centre).toEqual(scaled.centre);
  });

  test('bytes are the scaled input times 255, rounded', () => {
    for (const ink of [
      seven(0, 0),
      stroke(
        blank(),
        [
          [40, 40],
          [240, 230],
        ],
        7,
      ),
    ]) {
      const out = run(ink);
      expect(out.bytes).toBeInstanceOf(Uint8Array);
      expect(Array.from(out.bytes)).toEqual(Array.from(out.input, (v) => Math.round(255 * v)));
      const raw = run(ink, 'raw');
      expect(Array.from(raw.bytes)).toEqual(Array.from(raw.input, (v) => Math.round(v)));
    }
  });

  test('translation invariance: the same drawing shifted by 50 px, or drawn in a corner or the centre, gives identical output', () => {
    const corner = run(seven(0, 0));
    const shifted = run(seven(50, 50));
    const centre = run(seven(82, 62));
    const farCorner = run(seven(162, 122));
    for (const other of [shifted, centre, farCorner]) {
      expect(Array.from(other.input)).toEqual(Array.from(corner.input));
      expect(Array.from(other.bytes)).toEqual(Array.from(corner.bytes));
      expect(other.centre).toEqual(corner.centre);
    }
  });

  test('area averaging leaves grey levels along the edge of a diagonal stroke', () => {
    const out = expectMnistLike(
      stroke(
        blank(),
        [
          [40, 40],
          [240, 240],
        ],
        7,
      ),
    );
    const greys = Array.from(out.input).filter((v) => v > 0 && v < 1);
    expect(greys.length).toBeGreaterThan(10);
    expect(greys.some((v) => v > 0.2 && v < 0.8)).toBe(true);
    expect(out.input.some((v) => v === 1)).toBe(false); // 14 x 14 px cells along a 14 px stroke: rarely all ink
    // The stroke runs along the main diagonal: the top-left and bottom-right of the box have ink.
    const box = boxOf(out.input, FRAME) as Box;
    expect(box).toMatchObject({ w: 20, h: 20 });
    expect(out.input[box.y0 * FRAME + box.x0]).toBeGreaterThan(0);
    expect(out.input[(box.y0 + 19) * FRAME + box.x0 + 19]).toBeGreaterThan(0);
    expect(out.input[box.y0 * FRAME + box.x0 + 19]).toBe(0);
  });

  test('faint ink inside the box is kept (it only does not count for the box)', () => {
    const solid = run(rect(blank(), 100, 40, 20, 200));
    const ink = rect(blank(), 100, 40, 20, 200);
    rect(ink, 121, 40, 10, 200, 0.01); // faint halo to the right: below the threshold, outside the box
    expect(Array.from(run(ink).input)).toEqual(Array.from(solid.input));
  });

  test('the result does not depend on the input array type', () => {
    const ink = seven(30, 30);
    const a = run(ink);
    const b = preprocessDigit(Array.from(ink), W, H, 'scaled') as DigitImage;
    expect(Array.from(b.input)).toEqual(Array.from(a.input));
  });
});
