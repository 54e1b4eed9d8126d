/**
 * A trained model on the active backend, for one image at a time: the drawn digit. Holds its
 * weights as tensors until disposed; each prediction frees everything it makes.
 */
import * as tf from '@tensorflow/tfjs';
import { checkModel, type TrainedModel } from '../core/runs/model';
import { INPUT_SIZE, NUM_CLASSES, type LossName } from '../core/network/spec';
import type { TestPredictions } from '../core/runs/metrics';
import { ACTIVATION_FORMS } from './activations';
import { foldNorm } from '../core/network/batchNorm';
import { CLIP_EPSILON } from './clip';

/** Images tested per step: small enough to stay responsive, large enough for few read-backs. */
const TEST_CHUNK = 1000;

export interface Prediction {
  /** Softmax probabilities of the ten classes. */
  readonly probs: Float32Array;
  /** Each hidden layer's outputs for the image. */
  readonly activations: readonly Float32Array[];
}

/** A model's result on labelled images, as Keras's evaluate gives it, with each image's answer. */
export interface Tested {
  /**
   * The mean loss the model was trained with, as Keras's evaluate gives it: categorical
   * cross-entropy with probabilities clipped to [1e-7, 1 - 1e-7], or the mean squared error.
   */
  readonly loss: number;
  readonly acc: number;
  readonly test: TestPredictions;
}

export interface Predictor {
  /** `input` is [784] in the model's input range (0..255 raw or 0..1 scaled). */
  predict(input: Float32Array): Promise<Prediction>;
  /**
   * Tests the model on `images` ([n, 784] bytes 0..255, scaled as the model's inputs are) with
   * `labels`, `chunk` images per step; `onStep` hears how many are done after each.
   */
  test(
    images: Uint8Array,
    labels: Uint8Array,
    scale: number,
    onStep?: (done: number) => Promise<void> | void,
    chunk?: number,
  ): Promise<Tested>;
  /** Tensors the predictor holds (its weights), and their bytes. */
  readonly heldTensors: number;
  readonly heldBytes: number;
  dispose(): void;
}

/** `sync`: read the result back synchronously (only where blocking is harmless: a worker). */
export function createPredictor(model: TrainedModel, sync = false): Predictor {
  checkModel(model);
  const widths = [INPUT_SIZE, ...model.layers.map((l) => l.units), NUM_CLASSES];
  // A layer with batch normalization predicts through its kernel and β folded with its moving statistics.
  const folded = model.kernels.map((kernel, i) => {
    const norm = model.norms?.[i];
    const bias = model.biases[i] as Float32Array;
    return norm ? foldNorm(kernel, bias, norm) : { kernel, bias };
  });
  const kernels = folded.map((f, i) => tf.tensor2d(f.kernel, [widths[i] as number, widths[i + 1] as number]));
  const biases = folded.map((f) => tf.tensor1d(f.bias));
  return predictorOf(model.layers, kernels, biases, sync, model.loss);
}

/**
 * A predictor over weights already on the device (a network just trained): it takes them over and
 * frees them when disposed. The first kernel may have more rows than 784 (the training's zero
 * padding rows); the image is padded with zeros to match.
 */
export function predictorOf(
  layers: TrainedModel['layers'],
  kernels: readonly tf.Tensor[],
  biases: readonly tf.Tensor[],
  sync = false,
  loss: LossName = 'ce',
): Predictor {
  const model = { layers };
  const inputRows = kernels[0]?.shape[0] ?? INPUT_SIZE;
  if (kernels.length !== layers.length + 1 || biases.length !== kernels.length || inputRows < INPUT_SIZE)
    throw new Error('predictor: weights do not fit the layers');
  let disposed = false;
  /** Softmax probabilities [n, 10] and each hidden layer's outputs of images x [n, 784]. */
  const forwardRows = (x: tf.Tensor2D) => {
    let h: tf.Tensor =
      inputRows > INPUT_SIZE
        ? tf.pad(x, [
            [0, 0],
            [0, inputRows - INPUT_SIZE],
          ])
        : x;
    const hidden: tf.Tensor[] = [];
    model.layers.forEach((l, i) => {
      h = ACTIVATION_FORMS[l.activation].dense(h, kernels[i] as tf.Tensor, biases[i] as tf.Tensor);
      hidden.push(h);
    });
    const last = model.layers.length;
    const probs = tf.softmax(ACTIVATION_FORMS.linear.dense(h, kernels[last] as tf.Tensor, biases[last] as tf.Tensor));
    return { probs, hidden };
  };
  return {
    heldTensors: kernels.length + biases.length,
    heldBytes: [...kernels, ...biases].reduce((sum, t) => sum + t.size * 4, 0),
    async predict(input) {
      if (disposed) throw new Error('predictor: disposed');
      if (input.length !== INPUT_SIZE) throw new Error(`predictor: ${input.length} inputs, expected ${INPUT_SIZE}`);
      // One output tensor (probabilities, then each hidden layer) so there is one read-back.
      const out = tf.tidy(() => {
        const { probs, hidden } = forwardRows(tf.tensor2d(input, [1, INPUT_SIZE]));
        return tf.concat([tf.reshape(probs, [-1]), ...hidden.map((h) => tf.reshape(h, [-1]))]);
      });
      try {
        // In the worker a synchronous read is fine (it blocks no page) and skips the fence polling
        // of an asynchronous one, a few milliseconds on a software GPU.
        const values = sync ? (out.dataSync() as Float32Array) : ((await out.data()) as Float32Array);
        const probs = values.slice(0, NUM_CLASSES);
        const activations: Float32Array[] = [];
        let at = NUM_CLASSES;
        for (const l of model.layers) {
          activations.push(values.slice(at, at + l.units));
          at += l.units;
        }
        return { probs, activations };
      } finally {
        out.dispose();
      }
    },
    async test(images, labels, scale, onStep, chunk = TEST_CHUNK) {
      if (disposed) throw new Error('predictor: disposed');
      return testInChunks(forwardRows, { images, labels, scale, chunk, sync, loss }, onStep);
    },
    dispose() {
      disposed = true;
      tf.dispose([...kernels, ...biases]);
    },
  };
}

type ForwardRows = (x: tf.Tensor2D) => { probs: tf.Tensor };

/** [loss sum, correct, then each image's predicted class, then its probability] of rows [from, to). */
function testRows(
  forwardRows: ForwardRows,
  images: Uint8Array,
  labels: Uint8Array,
  scale: number,
  [from, to]: number[],
  loss: LossName,
) {
  return tf.tidy(() => {
    const n = (to as number) - (from as number);
    const x = new Float32Array(n * INPUT_SIZE);
    const offset = (from as number) * INPUT_SIZE;
    for (let i = 0; i < x.length; i++) x[i] = (images[offset + i] as number) * scale;
    const probs = forwardRows(tf.tensor2d(x, [n, INPUT_SIZE])).probs;
    const y = tf.oneHot(tf.tensor1d(labels.subarray(from, to), 'int32'), NUM_CLASSES);
    const lossSum =
      loss === 'mse'
        ? tf.div(tf.sum(tf.square(tf.sub(probs, y))), NUM_CLASSES)
        : tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, CLIP_EPSILON, 1 - CLIP_EPSILON)))));
    const pred = tf.argMax(probs, 1);
    const correct = tf.sum(tf.cast(tf.equal(pred, tf.argMax(y, 1)), 'float32'));
    return tf.concat([tf.stack([lossSum, correct]), tf.cast(pred, 'float32'), tf.max(probs, 1)]);
  });
}

/** A test over all the images, `chunk` at a time, with one read-back per chunk (see Predictor.test). */
async function testInChunks(
  forwardRows: ForwardRows,
  t: { images: Uint8Array; labels: Uint8Array; scale: number; chunk: number; sync: boolean; loss: LossName },
  onStep?: (done: number) => Promise<void> | void,
): Promise<Tested> {
  const n = t.labels.length;
  if (t.images.length !== n * INPUT_SIZE) throw new Error(`predictor: ${t.images.length} bytes for ${n} images`);
  const preds = new Uint8Array(n);
  const probs = new Float32Array(n);
  let lossSum = 0;
  let right = 0;
  for (let from = 0; from < n; from += t.chunk) {
    const to = Math.min(n, from + t.chunk);
    const out = testRows(forwardRows, t.images, t.labels, t.scale, [from, to], t.loss);
    try {
      const values = t.sync ? (out.dataSync() as Float32Array) : ((await out.data()) as Float32Array);
      lossSum += values[0] as number;
      right += values[1] as number;
      preds.set(values.subarray(2, 2 + to - from), from);
      probs.set(values.subarray(2 + to - from), from);
    } finally {
      out.dispose();
    }
    await onStep?.(to);
  }
  return {
    loss: n > 0 ? lossSum / n : Number.NaN,
    acc: n > 0 ? right / n : Number.NaN,
    test: { labels: Uint8Array.from(t.labels), preds, probs },
  };
}
