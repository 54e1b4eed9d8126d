/**
 * A drawn digit made to look like MNIST, as MNIST was made (LeCun et al.): the ink's bounding box
 * is scaled to fit a 20x20 box keeping its aspect ratio, with area averaging (which gives the grey
 * levels of anti-aliasing), then placed in the 28x28 frame so that its centre of mass sits at the
 * frame's centre. Plain arrays in, plain arrays out.
 */
import { INPUT_SIZE, type Preprocessing } from '../network/spec';

export const FRAME = 28;
export const BOX = 20;

/** Ink below this (0..1) counts as paper: stray anti-aliasing at a stroke's edge. */
const INK_THRESHOLD = 0.02;

export interface DigitImage {
  /** [784] row-major in the model's input range: 0..255 (raw) or 0..1 (scaled). */
  readonly input: Float32Array;
  /** [784] row-major bytes 0..255, for showing what the network receives. */
  readonly bytes: Uint8Array;
  /** Centre of mass of the result, in pixels ((x + 0.5) weighting): near (14, 14). */
  readonly centre: { readonly x: number; readonly y: number };
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
}

function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > INK_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * For each of `to` output cells, the source cells it covers and their weights (summing to 1):
 * output cell i spans [i, i + 1) * from / to of the `from` source cells (area averaging).
 */
function coverage(from: number, to: number): { index: number; weight: number }[][] {
  const step = from / to;
  const out: { index: number; weight: number }[][] = [];
  for (let i = 0; i < to; i++) {
    const a = i * step;
    const b = (i + 1) * step;
    const cells: { index: number; weight: number }[] = [];
    for (let s = Math.floor(a); s < Math.min(from, Math.ceil(b)); s++) {
      const overlap = Math.min(b, s + 1) - Math.max(a, s);
      if (overlap > 1e-9) cells.push({ index: s, weight: overlap / step });
    }
    out.push(cells);
  }
  return out;
}

/** Area-averages box `b` of the ink image into a `tw` x `th` image (separable: rows, then columns). */
function resample(ink: ArrayLike<number>, width: number, b: Box, tw: number, th: number): Float32Array {
  const cx = coverage(b.w, tw);
  const cy = coverage(b.h, th);
  const rows = new Float32Array(b.h * tw);
  for (let y = 0; y < b.h; y++) {
    const base = (b.y0 + y) * width + b.x0;
    for (let x = 0; x < tw; x++) {
      let v = 0;
      for (const c of cx[x] as { index: number; weight: number }[]) v += (ink[base + c.index] as number) * c.weight;
      rows[y * tw + x] = v;
    }
  }
  const out = new Float32Array(tw * th);
  for (let y = 0; y < th; y++) {
    for (const c of cy[y] as { index: number; weight: number }[]) {
      for (let x = 0; x < tw; x++)
        out[y * tw + x] = (out[y * tw + x] as number) + (rows[c.index * tw + x] as number) * c.weight;
    }
  }
  return out;
}

/** Centre of mass of a w x h image, each pixel at its middle ((x + 0.5, y + 0.5)). */
export function centreOfMass(img: ArrayLike<number>, w: number, h: number): { x: number; y: number } | null {
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x] as number;
      m += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return m > 0 ? { x: sx / m, y: sy / m } : null;
}

/**
 * MNIST-style preprocessing of a drawing. `ink` is [width * height] row-major ink amounts 0..1
 * (1 = full ink); `range` says which input scale the model was trained on. Null when there is no
 * ink at all (an empty canvas has no prediction, and is not an error).
 */
export function preprocessDigit(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  range: Preprocessing,
): DigitImage | null {
  if (ink.length !== width * height) throw new Error(`preprocessDigit: ${ink.length} values for ${width}x${height}`);
  const b = inkBox(ink, width, height);
  if (!b) return null;
  const scale = BOX / Math.max(b.w, b.h);
  const tw = Math.max(1, Math.min(BOX, Math.round(b.w * scale)));
  const th = Math.max(1, Math.min(BOX, Math.round(b.h * scale)));
  const small = resample(ink, width, b, tw, th);
  const com = centreOfMass(small, tw, th);
  if (!com) return null;
  // Integer shift, as MNIST did: the centre of mass lands within half a pixel of (14, 14), unless
  // that would push ink out of the frame (mass far to one side of its box): then the box stays
  // against the frame's edge and no ink is lost.
  const ox = Math.max(0, Math.min(FRAME - tw, Math.round(FRAME / 2 - com.x)));
  const oy = Math.max(0, Math.min(FRAME - th, Math.round(FRAME / 2 - com.y)));
  const frame = new Float32Array(INPUT_SIZE);
  for (let y = 0; y < th; y++) {
    const fy = y + oy;
    if (fy < 0 || fy >= FRAME) continue;
    for (let x = 0; x < tw; x++) {
      const fx = x + ox;
      if (fx < 0 || fx >= FRAME) continue;
      frame[fy * FRAME + fx] = Math.min(1, Math.max(0, small[y * tw + x] as number));
    }
  }
  const factor = range === 'raw' ? 255 : 1;
  const input = frame.map((v) => v * factor);
  const bytes = Uint8Array.from(frame, (v) => Math.round(v * 255));
  const centre = centreOfMass(frame, FRAME, FRAME) ?? { x: FRAME / 2, y: FRAME / 2 };
  return { input, bytes, centre };
}
