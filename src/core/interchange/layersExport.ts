/**
 * A trained network in TensorFlow.js's Layers format (issue 13), pure: `model.json` (a Keras-style
 * Sequential topology of Dense layers, and Dropout layers where it was trained with dropout, plus
 * the weights manifest) and `model.weights.bin` (the
 * float32 kernels and biases in manifest order), as `tf.LayersModel.save` writes them, so that
 * `tf.loadLayersModel` loads it and the `tensorflowjs` converter turns it into a Keras model.
 * The input preprocessing the network expects is in `userDefinedMetadata`.
 */
import type { TrainedModel } from '../runs/model';
import { CLASS_NAMES, INPUT_SIZE, NUM_CLASSES } from '../network/spec';

export const WEIGHTS_FILE = 'model.weights.bin';

export interface LayersArtifacts {
  /** The model.json document. */
  readonly modelJson: {
    readonly format: 'layers-model';
    readonly generatedBy: string;
    readonly convertedBy: null;
    readonly modelTopology: unknown;
    readonly weightsManifest: readonly {
      readonly paths: readonly string[];
      readonly weights: readonly { name: string; shape: number[]; dtype: 'float32' }[];
    }[];
    readonly userDefinedMetadata: Record<string, unknown>;
  };
  /** The weights file's bytes. */
  readonly weightData: ArrayBuffer;
}

/** Dense layer i, as tf.LayersModel.save writes one (the input's shape is added to the first layer). */
function denseLayer(i: number, units: number, activation: string) {
  return {
    class_name: 'Dense',
    config: {
      name: `dense_${i + 1}`,
      trainable: true,
      dtype: 'float32',
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'Zeros', config: {} },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

/**
 * The artifacts of `m`. `query` is the run's share-link query string (kept in the metadata, so
 * the model says how it was trained).
 */
export function layersArtifacts(m: TrainedModel, query: string): LayersArtifacts {
  const widths = [...m.layers.map((l) => l.units), NUM_CLASSES];
  const activations = [...m.layers.map((l) => l.activation), 'softmax'];
  let dropouts = 0;
  const dropout = (rate: number) => ({
    class_name: 'Dropout',
    config: { name: `dropout_${++dropouts}`, trainable: true, dtype: 'float32', rate, noise_shape: null, seed: null },
  });
  const inputDropout = m.inputDropout ?? 0;
  const layers = [
    ...(inputDropout > 0 ? [dropout(inputDropout)] : []),
    ...widths.flatMap((units, i) => [
      denseLayer(i, units, activations[i] as string),
      ...((m.layers[i]?.dropout ?? 0) > 0 ? [dropout(m.layers[i]?.dropout as number)] : []),
    ]),
  ];
  // The first layer says the input's shape.
  const first = layers[0] as { config: Record<string, unknown> };
  first.config = { ...first.config, batch_input_shape: [null, INPUT_SIZE] };
  const weights: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const parts: Float32Array[] = [];
  let inputs = INPUT_SIZE;
  widths.forEach((units, i) => {
    weights.push(
      { name: `dense_${i + 1}/kernel`, shape: [inputs, units], dtype: 'float32' },
      { name: `dense_${i + 1}/bias`, shape: [units], dtype: 'float32' },
    );
    parts.push(m.kernels[i] as Float32Array, m.biases[i] as Float32Array);
    inputs = units;
  });
  const total = parts.reduce((s, p) => s + p.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const dataset = m.dataset ?? 'mnist';
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'MLP Lab',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'mlp_lab', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights }],
      userDefinedMetadata: {
        labModelFormat: 1,
        input:
          m.preprocessing === 'scaled'
            ? 'pixels 0..255 divided by 255: 784 values 0..1, row-major 28×28'
            : 'raw pixels: 784 values 0..255, row-major 28×28',
        preprocessing: m.preprocessing,
        inputScale: m.preprocessing === 'scaled' ? 1 / 255 : 1,
        dataset,
        classNames: CLASS_NAMES[dataset],
        query,
      },
    },
    weightData: all.buffer,
  };
}
