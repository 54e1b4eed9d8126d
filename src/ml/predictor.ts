/**
 * A trained model on the active backend, for one image at a time: the drawn digit. Holds its
 * weights as tensors until disposed; each prediction frees everything it makes.
 */
import * as tf from '@tensorflow/tfjs';
import { checkModel, type TrainedModel } from '../core/runs/model';
import { INPUT_SIZE, NUM_CLASSES } from '../core/network/spec';
import { ACTIVATION_FORMS } from './activations';

export interface Prediction {
  /** Softmax probabilities of the ten classes. */
  readonly probs: Float32Array;
  /** Each hidden layer's outputs for the image. */
  readonly activations: readonly Float32Array[];
}

export interface Predictor {
  /** `input` is [784] in the model's input range (0..255 raw or 0..1 scaled). */
  predict(input: Float32Array): Promise<Prediction>;
  /** Tensors the predictor holds (its weights), and their bytes. */
  readonly heldTensors: number;
  readonly heldBytes: number;
  dispose(): void;
}

/** `sync`: read the result back synchronously (only where blocking is harmless: a worker). */
export function createPredictor(model: TrainedModel, sync = false): Predictor {
  checkModel(model);
  const widths = [INPUT_SIZE, ...model.layers.map((l) => l.units), NUM_CLASSES];
  const kernels = model.kernels.map((k, i) => tf.tensor2d(k, [widths[i] as number, widths[i + 1] as number]));
  const biases = model.biases.map((b) => tf.tensor1d(b));
  return predictorOf(model.layers, kernels, biases, sync);
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
): Predictor {
  const model = { layers };
  const inputRows = kernels[0]?.shape[0] ?? INPUT_SIZE;
  if (kernels.length !== layers.length + 1 || biases.length !== kernels.length || inputRows < INPUT_SIZE)
    throw new Error('predictor: weights do not fit the layers');
  let disposed = false;
  return {
    heldTensors: kernels.length + biases.length,
    heldBytes: [...kernels, ...biases].reduce((sum, t) => sum + t.size * 4, 0),
    async predict(input) {
      if (disposed) throw new Error('predictor: disposed');
      if (input.length !== INPUT_SIZE) throw new Error(`predictor: ${input.length} inputs, expected ${INPUT_SIZE}`);
      // One output tensor (probabilities, then each hidden layer) so there is one read-back.
      const out = tf.tidy(() => {
        let h: tf.Tensor = tf.tensor2d(input, [1, INPUT_SIZE]);
        if (inputRows > INPUT_SIZE)
          h = tf.pad(h, [
            [0, 0],
            [0, inputRows - INPUT_SIZE],
          ]);
        const parts: tf.Tensor[] = [];
        model.layers.forEach((l, i) => {
          h = ACTIVATION_FORMS[l.activation].dense(h, kernels[i] as tf.Tensor, biases[i] as tf.Tensor);
          parts.push(tf.reshape(h, [-1]));
        });
        const last = model.layers.length;
        const probs = tf.softmax(
          ACTIVATION_FORMS.linear.dense(h, kernels[last] as tf.Tensor, biases[last] as tf.Tensor),
        );
        return tf.concat([tf.reshape(probs, [-1]), ...parts]);
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
    dispose() {
      disposed = true;
      tf.dispose([...kernels, ...biases]);
    },
  };
}
