/**
 * A run's dropout masks, batch after batch (core/network/dropout.ts has the law): drawn on the
 * CPU from the run's seed, in a stream of their own (MaskStream), so that a run, the stepper and every
 * backend drop the same units; uploaded per batch as tensors of 0 and 1 / (1 − rate).
 */
import * as tf from '@tensorflow/tfjs';
import { hasDropout, layerDropout, MaskStream } from '../core/network/dropout';
import { deriveSeed } from '../core/network/rng';
import type { TrainConfig } from '../core/network/spec';
import type { BatchMasks } from './mlp';

/** The seed stream of the masks (0 is the initial weights', 1 the shuffling's). */
const DROPOUT_STREAM = 2;

export class DropoutMasks {
  private readonly stream: MaskStream;
  /** WebAssembly copies what it is given: one buffer serves every mask there. */
  private readonly reuse = tf.getBackend() === 'wasm';
  private scratch = new Float32Array(0);
  private readonly inputRate: number;
  private readonly rates: readonly number[];
  private readonly widths: readonly number[];

  /** Null when `config` drops nothing. */
  static of(config: TrainConfig): DropoutMasks | null {
    return hasDropout(config) ? new DropoutMasks(config) : null;
  }

  private constructor(config: TrainConfig) {
    this.stream = new MaskStream(deriveSeed(config.seed, DROPOUT_STREAM));
    this.inputRate = config.inputDropout;
    this.rates = config.layers.map(layerDropout);
    this.widths = config.layers.map((l) => l.units);
  }

  /** The next batch's masks: `size` rows, the input's `columns` wide (the batch's, when compacted). Inside tidy. */
  next(size: number, columns: number): BatchMasks {
    return {
      input: this.mask(this.inputRate, size, columns),
      hidden: this.rates.map((rate, i) => this.mask(rate, size, this.widths[i] as number)),
    };
  }

  private mask(rate: number, rows: number, columns: number): tf.Tensor | null {
    if (rate <= 0) return null;
    const size = rows * columns;
    // Elsewhere a new array each time: the CPU and WebGL backends keep the array they are given.
    if (this.reuse && this.scratch.length < size) this.scratch = new Float32Array(size);
    const out = this.reuse ? this.scratch.subarray(0, size) : new Float32Array(size);
    return tf.tensor2d(this.stream.fill(rate, out), [rows, columns]);
  }
}
