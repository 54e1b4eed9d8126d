/**
 * A run's augmentation on the device (core/dataset/augment.ts and elastic.ts have the laws): each
 * batch's images warped by draws made on the CPU from the run's seed, in a stream of their own, so
 * that a run, the stepper and every backend warp alike.
 * - affine: TensorFlow.js's tf.image.transform, except on the CPU backend, whose kernel
 *   (TensorFlow.js 4.22) warps only a batch's first image and leaves the others blank: there each
 *   image is warped on its own;
 * - elastic: the noise smoothed by a separable Gaussian (two products with a banded matrix, zeros
 *   beyond the image: XNNPACK's fast path on WASM), then each pixel read bilinearly at its
 *   displaced place by four gathers from the images with a border of zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { AffineStream } from '../core/dataset/augment';
import { ELASTIC, gaussianTaps, NoiseStream } from '../core/dataset/elastic';
import { FRAME } from '../core/dataset/digit';
import { deriveSeed } from '../core/network/rng';
import { INPUT_SIZE, type TrainConfig } from '../core/network/spec';
import { wasmGatherElements } from './kernels/wasmKernels';

/** The seed stream of the draws (0 the initial weights', 1 the shuffling's, 2 dropout's). */
const AUGMENT_STREAM = 3;

type Warp = (images: tf.Tensor4D, size: number) => tf.Tensor;

export class Augmenter {
  /** Null when `config` does not augment. */
  static of(config: Pick<TrainConfig, 'augment' | 'seed'>): Augmenter | null {
    const seed = deriveSeed(config.seed, AUGMENT_STREAM);
    if (config.augment === 'affine') return new Augmenter(affineWarp(new AffineStream(seed)));
    if (config.augment === 'elastic') return new Augmenter(elasticWarp(new NoiseStream(seed)));
    return null;
  }

  private constructor(private readonly warp: Warp) {}

  /**
   * The next batch's images warped: `x` is [size, width] with the 784 pixels first (the rest, zero
   * padding, stays zero). Inside tidy.
   */
  apply(x: tf.Tensor): tf.Tensor {
    const [size, width] = x.shape as [number, number];
    const images = tf.reshape(tf.slice(x, [0, 0], [size, INPUT_SIZE]), [size, FRAME, FRAME, 1]) as tf.Tensor4D;
    const flat = tf.reshape(this.warp(images, size), [size, INPUT_SIZE]);
    return width > INPUT_SIZE
      ? tf.pad(flat, [
          [0, 0],
          [0, width - INPUT_SIZE],
        ])
      : flat;
  }
}

function affineWarp(stream: AffineStream): Warp {
  const oneAtATime = tf.getBackend() === 'cpu';
  const transform = (im: tf.Tensor4D, t: tf.Tensor2D) => tf.image.transform(im, t, 'bilinear', 'constant', 0);
  return (images, size) => {
    const t = tf.tensor2d(stream.fill(size), [size, 8]);
    if (!oneAtATime) return transform(images, t);
    return tf.concat(
      Array.from({ length: size }, (_, i) =>
        transform(tf.slice(images, [i, 0, 0, 0], [1, FRAME, FRAME, 1]), tf.slice(t, [i, 0], [1, 8])),
      ),
    );
  };
}

function elasticWarp(stream: NoiseStream): Warp {
  // The Gaussian as a banded 28 × 28 matrix: a field's rows times it smooth along x (zeros beyond).
  const taps = gaussianTaps();
  const r = (taps.length - 1) / 2;
  const band = new Float32Array(FRAME * FRAME);
  for (let k = 0; k < FRAME; k++)
    for (let x = 0; x < FRAME; x++) if (Math.abs(k - x) <= r) band[k * FRAME + x] = taps[k - x + r] as number;
  return (images, size) => {
    // The noise (per image dx's 784 then dy's) as [2 × size × 28, 28]: every dx field, then every dy.
    const noise = stream.fill(size);
    const area = FRAME * FRAME;
    const fields = new Float32Array(noise.length);
    for (let i = 0; i < size; i++) {
      fields.set(noise.subarray(2 * i * area, (2 * i + 1) * area), i * area);
      fields.set(noise.subarray((2 * i + 1) * area, (2 * i + 2) * area), (size + i) * area);
    }
    const g = tf.tensor2d(band, [FRAME, FRAME]);
    const across = tf.reshape(tf.matMul(tf.tensor2d(fields, [2 * size * FRAME, FRAME]), g), [2 * size, FRAME, FRAME]);
    const turned = tf.reshape(tf.transpose(across, [0, 2, 1]), [2 * size * FRAME, FRAME]);
    const down = tf.transpose(tf.reshape(tf.matMul(turned, g), [2 * size, FRAME, FRAME]), [0, 2, 1]);
    const d = tf.reshape(tf.mul(down, ELASTIC.alpha), [2, size, area]);
    const pixel = tf.range(0, area, 1, 'int32');
    const x = tf.reshape(tf.cast(tf.mod(pixel, FRAME), 'float32'), [1, area]);
    const y = tf.reshape(tf.cast(tf.floorDiv(pixel, FRAME), 'float32'), [1, area]);
    const dx = tf.reshape(tf.slice(d, [0, 0, 0], [1, size, area]), [size, area]);
    const dy = tf.reshape(tf.slice(d, [1, 0, 0], [1, size, area]), [size, area]);
    return bilinear(tf.reshape(images, [size, FRAME, FRAME]), tf.add(x, dx), tf.add(y, dy), size);
  };
}

/**
 * Images [size, 28, 28] read at (inX, inY) [size, 784] each, bilinear, zeros outside: the images
 * get a border of zeros (1 before, 2 after) and the places are clamped to [-1, 28], where every
 * neighbour read is a zero, so no read needs a test of its own.
 */
function bilinear(images: tf.Tensor, inX: tf.Tensor, inY: tf.Tensor, size: number): tf.Tensor {
  const side = FRAME + 3;
  const padded = tf.reshape(
    tf.pad(images, [
      [0, 0],
      [1, 2],
      [1, 2],
    ]),
    [-1],
  );
  const cx = tf.clipByValue(inX, -1, FRAME);
  const cy = tf.clipByValue(inY, -1, FRAME);
  const x0 = tf.floor(cx);
  const y0 = tf.floor(cy);
  const fx = tf.sub(cx, x0);
  const fy = tf.sub(cy, y0);
  const base = tf.reshape(tf.mul(tf.range(0, size, 1, 'float32'), side * side), [size, 1]);
  // The top-left neighbour's place in the padded images; the others are 1, side and side + 1 on.
  const at = tf.add(base, tf.add(tf.mul(tf.add(y0, 1), side), tf.add(x0, 1)));
  // TensorFlow.js's WASM GatherV2 spends about 35 ns an element (ml/kernels/wasmKernels.ts).
  const gather = tf.getBackend() === 'wasm' ? wasmGatherElements : (a: tf.Tensor, i: tf.Tensor) => tf.gather(a, i);
  const read = (offset: number) =>
    tf.reshape(gather(padded, tf.reshape(tf.cast(tf.add(at, offset), 'int32'), [-1])), [size, -1]);
  const gx = tf.sub(1, fx);
  const gy = tf.sub(1, fy);
  return tf.addN([
    tf.mul(read(0), tf.mul(gx, gy)),
    tf.mul(read(1), tf.mul(fx, gy)),
    tf.mul(read(side), tf.mul(gx, fy)),
    tf.mul(read(side + 1), tf.mul(fx, fy)),
  ]);
}
