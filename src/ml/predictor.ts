/**
 * A trained model on the active backend, for one image at a time: the drawn digit. Holds its
 * weights as tensors until disposed; each prediction frees everything it makes.
 */
import * as tf from '@tensorflow/tfjs';
import { checkModel, type TrainedModel } from '../core/model';
import { INPUT_SIZE, NUM_CLASSES, type Activation } from '../core/spec';

export interface Prediction {
  /** Softmax probabilities of the ten classes. */
  readonly probs: Float32Array;
  /** Each hidden layer's outputs for the image. */
  readonly activations: readonly Float32Array[];
}

export interface Predictor {
  /** `input` is [784] in the model's input range (0..255 raw or 0..1 scaled). */
  predict(input: Float32Array): Promise<Prediction>;
  /** Tensors the predictor holds (its weights). */
  readonly heldTensors: number;
  dispose(): void;
}

function activate(x: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'linear':
      return x;
  }
}

export function createPredictor(model: TrainedModel): Predictor {
  checkModel(model);
  const widths = [INPUT_SIZE, ...model.layers.map((l) => l.units), NUM_CLASSES];
  const kernels = model.kernels.map((k, i) => tf.tensor2d(k, [widths[i] as number, widths[i + 1] as number]));
  const biases = model.biases.map((b) => tf.tensor1d(b));
  let disposed = false;
  return {
    heldTensors: kernels.length + biases.length,
    async predict(input) {
      if (disposed) throw new Error('predictor: disposed');
      if (input.length !== INPUT_SIZE) throw new Error(`predictor: ${input.length} inputs, expected ${INPUT_SIZE}`);
      const outs = tf.tidy(() => {
        let h: tf.Tensor = tf.tensor2d(input, [1, INPUT_SIZE]);
        const hidden: tf.Tensor[] = [];
        model.layers.forEach((l, i) => {
          h = activate(tf.add(tf.matMul(h, kernels[i] as tf.Tensor), biases[i] as tf.Tensor), l.activation);
          hidden.push(h);
        });
        const last = model.layers.length;
        const probs = tf.softmax(tf.add(tf.matMul(h, kernels[last] as tf.Tensor), biases[last] as tf.Tensor));
        return [probs, ...hidden];
      });
      try {
        const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
        const [probs = new Float32Array(NUM_CLASSES), ...activations] = values;
        return { probs, activations };
      } finally {
        tf.dispose(outs);
      }
    },
    dispose() {
      disposed = true;
      tf.dispose([...kernels, ...biases]);
    },
  };
}
