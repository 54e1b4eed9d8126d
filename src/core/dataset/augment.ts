/**
 * Data augmentation (Simard et al. 2003's affine distortions): while training, every image of
 * every batch is shifted, rotated and scaled at random, a new draw each time it is seen; nothing
 * at validation, test or for a drawn digit. The law: shifts dx, dy uniform in ±2 pixels, a
 * rotation uniform in ±10° and a scale uniform in 0.9–1.1, about the image's centre; bilinear
 * interpolation, zeros outside the image. The draws come from the run's seed in a stream of their
 * own, so a run, One step and every backend see the same images.
 *
 * A transform is 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] in TensorFlow's (and Keras's
 * `ops.image.affine_transform`'s) convention: output pixel (x, y) reads the input at
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1. Pure: warpImage is the
 * reference the device's warp is tested against and what the Training images tab draws.
 */
import { FRAME as IMAGE_SIDE } from './digit';
import { mulberry32, type Rng } from '../network/rng';
import type { TrainConfig } from '../network/spec';

/** The affine law's ranges: shift in pixels, rotation in degrees, scale's distance from 1. */
export const AFFINE = { shift: 2, degrees: 10, scale: 0.1 } as const;

/** One image's draw. */
export interface AffineDraw {
  readonly dx: number;
  readonly dy: number;
  /** Radians, positive turns the digit clockwise on screen (y points down). */
  readonly angle: number;
  readonly scale: number;
}

/** The augmentation in a run's name: nothing without one. */
export function describeAugment(c: Partial<Pick<TrainConfig, 'augment'>>): string {
  return c.augment === 'affine' ? 'affine augmentation' : c.augment === 'elastic' ? 'elastic distortions' : '';
}

/** Maps four uniform numbers in [-1, 1) to a draw (the Keras script maps its own the same way). */
export function affineDraw(u: readonly [number, number, number, number]): AffineDraw {
  return {
    dx: AFFINE.shift * u[0],
    dy: AFFINE.shift * u[1],
    angle: ((AFFINE.degrees * Math.PI) / 180) * u[2],
    scale: 1 + AFFINE.scale * u[3],
  };
}

/** The draws of a run, image after image, from `seed` (the run's seed's augmentation stream). */
export class AffineStream {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = mulberry32(seed);
  }
  /** The next `count` images' transforms, 8 numbers each, into `out` (or a new array). */
  fill(count: number, out = new Float32Array(count * 8)): Float32Array {
    for (let i = 0; i < count; i++) {
      const u = (): number => 2 * this.rng() - 1;
      out.set(affineTransform(affineDraw([u(), u(), u(), u()])), i * 8);
    }
    return out;
  }
}

/**
 * The transform of a draw: the output image is the input rotated by `angle` and scaled by `scale`
 * about the centre, then moved by (dx, dy); so output pixel p reads the input at
 * R(−angle)(p − c − d) / scale + c, c the centre (13.5, 13.5).
 */
export function affineTransform(d: AffineDraw): number[] {
  const c = (IMAGE_SIDE - 1) / 2;
  const cos = Math.cos(d.angle) / d.scale;
  const sin = Math.sin(d.angle) / d.scale;
  // in = [cos sin; −sin cos] (out − c − d) + c
  const a2 = c - cos * (c + d.dx) - sin * (c + d.dy);
  const b2 = c + sin * (c + d.dx) - cos * (c + d.dy);
  return [cos, sin, a2, -sin, cos, b2, 0, 0];
}

/**
 * One 28 × 28 image (row-major, any range) read at `place(x, y)` for every output pixel (x, y):
 * bilinear, zero outside the image, as TensorFlow's ImageProjectiveTransform reads (and
 * TensorFlow.js's tf.image.transform and Keras's map_coordinates with order 1).
 */
export function resample(
  image: ArrayLike<number>,
  place: (x: number, y: number) => readonly [number, number],
  out = new Float32Array(image.length),
): Float32Array {
  const n = IMAGE_SIDE;
  const at = (x: number, y: number) => (x >= 0 && x < n && y >= 0 && y < n ? (image[y * n + x] as number) : 0);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const [inX, inY] = place(x, y);
      const x0 = Math.floor(inX);
      const y0 = Math.floor(inY);
      const fx = inX - x0;
      const fy = inY - y0;
      const top = (1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0);
      const bottom = (1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1);
      out[y * n + x] = (1 - fy) * top + fy * bottom;
    }
  return out;
}

/** One 28 × 28 image warped by the transform `t` (resample's reads). */
export function warpImage(image: ArrayLike<number>, t: ArrayLike<number>, out = new Float32Array(image.length)) {
  const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from(t);
  return resample(
    image,
    (x, y) => {
      const k = (c0 as number) * x + (c1 as number) * y + 1;
      return [
        ((a0 as number) * x + (a1 as number) * y + (a2 as number)) / k,
        ((b0 as number) * x + (b1 as number) * y + (b2 as number)) / k,
      ];
    },
    out,
  );
}

/**
 * `count` images ([count × 784] bytes) each warped by a draw of the law from `seed`, as bytes: what
 * the Training images tab shows. Examples of the law, not a run's own draws (those are per batch).
 */
export function augmentedExamples(images: Uint8Array, count: number, seed: number): Uint8Array {
  const t = new AffineStream(seed).fill(count);
  const out = new Uint8Array(count * IMAGE_SIDE * IMAGE_SIDE);
  const size = IMAGE_SIDE * IMAGE_SIDE;
  for (let i = 0; i < count; i++) {
    const warped = warpImage(images.subarray(i * size, (i + 1) * size), t.subarray(i * 8, i * 8 + 8));
    for (let j = 0; j < size; j++) out[i * size + j] = Math.min(255, Math.max(0, Math.round(warped[j] as number)));
  }
  return out;
}
