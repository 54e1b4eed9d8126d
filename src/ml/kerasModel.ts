/**
 * The same network as a TensorFlow.js Layers model, compiled as Keras would be: Dense layers with
 * Glorot-uniform kernels and zero biases, softmax output, categorical cross-entropy, SGD.
 * The lab trains with its own loop (mlp.ts); this model is the yardstick the benchmark and the
 * parity test hold it against.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, NUM_CLASSES, type HiddenLayer } from '../core/network/spec';

export function createKerasModel(hidden: readonly HiddenLayer[], learningRate: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  hidden.forEach((layer, i) =>
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [INPUT_SIZE] } : {}),
      }),
    ),
  );
  model.add(
    tf.layers.dense({
      units: NUM_CLASSES,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
      biasInitializer: 'zeros',
      ...(hidden.length === 0 ? { inputShape: [INPUT_SIZE] } : {}),
    }),
  );
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
