/**
 * Elastic distortions (Simard et al. 2003, section 2): each training image is warped by a smooth
 * random displacement field, a new one each time it is seen. The law, as the paper's common
 * reading has it: two fields of noise uniform in [-1, 1] (one per direction), each convolved with
 * a Gaussian of σ = 4 pixels (truncated at 4σ, normalised to sum 1, zeros beyond the image), times
 * α = 34; output pixel (x, y) reads the input at (x + dx, y + dy), bilinear, zeros outside. The noise
 * comes from the run's seed (its augmentation stream). Pure: the reference for the device's warp
 * and what the Training images tab draws.
 */
import { FRAME } from './digit';
import { mulberry32, type Rng } from '../network/rng';
import { resample } from './augment';

export const ELASTIC = { alpha: 34, sigma: 4 } as const;

/** The Gaussian's taps from −4σ to 4σ, summing to 1. */
export function gaussianTaps(sigma: number = ELASTIC.sigma): Float32Array {
  const radius = Math.round(4 * sigma);
  const taps = Float32Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma ** 2)),
  );
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** One 28 × 28 field convolved with the Gaussian along rows then columns (zeros beyond the image). */
export function smoothField(field: ArrayLike<number>, taps: Float32Array = gaussianTaps()): Float32Array {
  const n = FRAME;
  const r = (taps.length - 1) / 2;
  const pass = (src: ArrayLike<number>, along: 'x' | 'y') => {
    const out = new Float32Array(n * n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) {
          const xx = along === 'x' ? x + k : x;
          const yy = along === 'y' ? y + k : y;
          if (xx >= 0 && xx < n && yy >= 0 && yy < n) s += (taps[k + r] as number) * (src[yy * n + xx] as number);
        }
        out[y * n + x] = s;
      }
    return out;
  };
  return pass(pass(field, 'y'), 'x');
}

/** The displacements (dx, dy) of one image from its noise [dx noise (784), dy noise (784)]: smoothed, times α. */
export function displacements(noise: ArrayLike<number>): { dx: Float32Array; dy: Float32Array } {
  const size = FRAME * FRAME;
  const part = (from: number) => smoothField(Array.from({ length: size }, (_, i) => noise[from + i] as number));
  return { dx: part(0).map((v) => v * ELASTIC.alpha), dy: part(size).map((v) => v * ELASTIC.alpha) };
}

/** One image warped by displacements: output (x, y) reads the input at (x + dx, y + dy), bilinear, zeros outside. */
export function displaceImage(image: ArrayLike<number>, dx: ArrayLike<number>, dy: ArrayLike<number>): Float32Array {
  return resample(image, (x, y) => [x + (dx[y * FRAME + x] as number), y + (dy[y * FRAME + x] as number)]);
}

/** The noise of a run, image after image: 2 × 784 numbers uniform in [-1, 1) each, from `seed`. */
export class NoiseStream {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = mulberry32(seed);
  }
  fill(count: number, out = new Float32Array(count * 2 * FRAME * FRAME)): Float32Array {
    for (let i = 0; i < count * 2 * FRAME * FRAME; i++) out[i] = 2 * this.rng() - 1;
    return out;
  }
}

/** `count` images ([count × 784] bytes) each elastically distorted by one draw from `seed`, as bytes. */
export function elasticExamples(images: Uint8Array, count: number, seed: number): Uint8Array {
  const size = FRAME * FRAME;
  const noise = new NoiseStream(seed).fill(count);
  const out = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) {
    const { dx, dy } = displacements(noise.subarray(i * 2 * size, (i + 1) * 2 * size));
    const warped = displaceImage(images.subarray(i * size, (i + 1) * size), dx, dy);
    for (let j = 0; j < size; j++) out[i * size + j] = Math.min(255, Math.max(0, Math.round(warped[j] as number)));
  }
  return out;
}
