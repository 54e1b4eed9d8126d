/**
 * A run's augmentation on the device (core/dataset/augment.ts and elastic.ts have the laws): each
 * batch's images warped by draws made on the CPU from the run's seed, in a stream of their own, so
 * that a run, the stepper and every backend warp alike.
 * - affine: TensorFlow.js's tf.image.transform, except on the CPU backend, whose kernel
 *   (TensorFlow.js 4.22) warps only a batch's first image and leaves the others blank: there each
 *   image is warped on its own;
 * - elastic: the noise smoothed by a separable Gaussian (two depthwise convolutions, zeros beyond
 *   the image), then each pixel read bilinearly at its displaced place by four gathers.
 */
import * as tf from '@tensorflow/tfjs';
import { AffineStream } from '../core/dataset/augment';
import { ELASTIC, gaussianTaps, NoiseStream } from '../core/dataset/elastic';
import { FRAME } from '../core/dataset/digit';
import { deriveSeed } from '../core/network/rng';
import { INPUT_SIZE, type TrainConfig } from '../core/network/spec';

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
  const taps = gaussianTaps();
  const twice = Float32Array.from({ length: 2 * taps.length }, (_, i) => taps[Math.floor(i / 2)] as number);
  return (images, size) => {
    // Noise [size, 2, 28, 28] (dx's then dy's per image) as [size, 28, 28, 2], smoothed down then across.
    const noise = tf.transpose(tf.tensor4d(stream.fill(size), [size, 2, FRAME, FRAME]), [0, 2, 3, 1]) as tf.Tensor4D;
    const down = tf.depthwiseConv2d(noise, tf.tensor4d(twice, [taps.length, 1, 2, 1]), 1, 'same');
    const fields = tf.mul(
      tf.depthwiseConv2d(down, tf.tensor4d(twice, [1, taps.length, 2, 1]), 1, 'same'),
      ELASTIC.alpha,
    );
    const [dx, dy] = tf.split(tf.reshape(fields, [size, FRAME * FRAME, 2]), 2, 2) as [tf.Tensor, tf.Tensor];
    const pixel = tf.range(0, FRAME * FRAME, 1, 'int32');
    const inX = tf.add(tf.reshape(tf.cast(tf.mod(pixel, FRAME), 'float32'), [1, -1]), tf.reshape(dx, [size, -1]));
    const inY = tf.add(tf.reshape(tf.cast(tf.floorDiv(pixel, FRAME), 'float32'), [1, -1]), tf.reshape(dy, [size, -1]));
    return bilinear(tf.reshape(images, [-1]), inX, inY, size);
  };
}

/** Images (flat [size × 784]) read at (inX, inY) [size, 784] each, bilinear, zeros outside. */
function bilinear(flat: tf.Tensor, inX: tf.Tensor, inY: tf.Tensor, size: number): tf.Tensor {
  const x0 = tf.floor(inX);
  const y0 = tf.floor(inY);
  const fx = tf.sub(inX, x0);
  const fy = tf.sub(inY, y0);
  const base = tf.reshape(tf.mul(tf.range(0, size, 1, 'int32'), FRAME * FRAME), [size, 1]);
  const corner = (x: tf.Tensor, y: tf.Tensor, w: tf.Tensor) => {
    const inside = tf.cast(
      tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(x, 0), tf.less(x, FRAME)),
        tf.logicalAnd(tf.greaterEqual(y, 0), tf.less(y, FRAME)),
      ),
      'float32',
    );
    const xi = tf.cast(tf.clipByValue(x, 0, FRAME - 1), 'int32');
    const yi = tf.cast(tf.clipByValue(y, 0, FRAME - 1), 'int32');
    const index = tf.add(base, tf.add(tf.mul(yi, FRAME), xi));
    return tf.mul(
      tf.reshape(tf.gather(flat, tf.cast(tf.reshape(index, [-1]), 'int32')), [size, -1]),
      tf.mul(inside, w),
    );
  };
  const gx = tf.sub(1, fx);
  const gy = tf.sub(1, fy);
  const x1 = tf.add(x0, 1);
  const y1 = tf.add(y0, 1);
  return tf.addN([
    corner(x0, y0, tf.mul(gx, gy)),
    corner(x1, y0, tf.mul(fx, gy)),
    corner(x0, y1, tf.mul(gx, fy)),
    corner(x1, y1, tf.mul(fx, fy)),
  ]);
}
