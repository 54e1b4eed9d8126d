/**
 * A run's augmentation on the device (core/dataset/augment.ts has the law): each batch's images
 * warped by transforms drawn on the CPU from the run's seed, in a stream of their own, so that a
 * run, the stepper and every backend warp alike. The warp is TensorFlow.js's tf.image.transform,
 * except on the CPU backend, whose kernel (TensorFlow.js 4.22) warps only a batch's first image and
 * leaves the others blank: there each image is warped on its own.
 */
import * as tf from '@tensorflow/tfjs';
import { AffineStream } from '../core/dataset/augment';
import { FRAME } from '../core/dataset/digit';
import { deriveSeed } from '../core/network/rng';
import { INPUT_SIZE, type TrainConfig } from '../core/network/spec';

/** The seed stream of the draws (0 the initial weights', 1 the shuffling's, 2 dropout's). */
const AUGMENT_STREAM = 3;

export class Augmenter {
  private readonly stream: AffineStream;
  private readonly oneAtATime = tf.getBackend() === 'cpu';

  /** Null when `config` does not augment. */
  static of(config: Pick<TrainConfig, 'augment' | 'seed'>): Augmenter | null {
    return config.augment === 'affine' ? new Augmenter(config.seed) : null;
  }

  private constructor(seed: number) {
    this.stream = new AffineStream(deriveSeed(seed, AUGMENT_STREAM));
  }

  /**
   * The next batch's images warped: `x` is [size, width] with the 784 pixels first (the rest, zero
   * padding, stays zero). Inside tidy.
   */
  apply(x: tf.Tensor): tf.Tensor {
    const [size, width] = x.shape as [number, number];
    const transforms = tf.tensor2d(this.stream.fill(size), [size, 8]);
    const images = tf.reshape(tf.slice(x, [0, 0], [size, INPUT_SIZE]), [size, FRAME, FRAME, 1]) as tf.Tensor4D;
    const warp = (im: tf.Tensor4D, t: tf.Tensor2D) => tf.image.transform(im, t, 'bilinear', 'constant', 0);
    const warped = this.oneAtATime
      ? tf.concat(
          Array.from({ length: size }, (_, i) =>
            warp(tf.slice(images, [i, 0, 0, 0], [1, FRAME, FRAME, 1]), tf.slice(transforms, [i, 0], [1, 8])),
          ),
        )
      : warp(images, transforms as tf.Tensor2D);
    const flat = tf.reshape(warped, [size, INPUT_SIZE]);
    return width > INPUT_SIZE
      ? tf.pad(flat, [
          [0, 0],
          [0, width - INPUT_SIZE],
        ])
      : flat;
  }
}
