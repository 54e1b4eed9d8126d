/**
 * A trained network in TensorFlow.js's Layers format (issue 13), pure: `model.json` (a Keras-style
 * Sequential topology of Dense layers, Dropout layers where it was trained with dropout, a layer
 * with batch normalization as Dense without bias, BatchNormalization and Activation; plus the
 * weights manifest) and `model.weights.bin` (the float32 weights in manifest order: the trained
 * ones first, then the moving statistics), as `tf.LayersModel.save` writes them, so that
 * `tf.loadLayersModel` loads it and the `tensorflowjs` converter turns it into a Keras model.
 * The input preprocessing the network expects is in `userDefinedMetadata`.
 */
import type { TrainedModel } from '../runs/model';
import { layerNorm } from '../network/batchNorm';
import { CLASS_NAMES, INPUT_SIZE, NUM_CLASSES } from '../network/spec';
import { activationLayer, batchNormLayer } from './layersBatchNorm';

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
function denseLayer(i: number, units: number, activation: string, useBias: boolean) {
  return {
    class_name: 'Dense',
    config: {
      name: `dense_${i + 1}`,
      trainable: true,
      dtype: 'float32',
      units,
      activation,
      use_bias: useBias,
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

type Layer = { class_name: string; config: Record<string, unknown> };
type Weight = { name: string; shape: number[]; dtype: 'float32' };
/** The weights and their values: the trained ones first, then the moving statistics (as TF.js orders them). */
type Weights = { trained: [Weight, Float32Array][]; frozen: [Weight, Float32Array][] };

/** The layer list and the weights of `m`, each layer named as Keras 2 numbers them (dense_n, batch_normalization_n, ...). */
function layersOf(m: TrainedModel): { layers: Layer[]; weights: Weights } {
  const counts = new Map<string, number>();
  const named = (base: string) => {
    counts.set(base, (counts.get(base) ?? 0) + 1);
    return `${base}_${counts.get(base) as number}`;
  };
  const weights: Weights = { trained: [], frozen: [] };
  const weight = (name: string, shape: number[], data: Float32Array | undefined, frozen = false) =>
    (frozen ? weights.frozen : weights.trained).push([{ name, shape, dtype: 'float32' }, data as Float32Array]);
  const dropout = (rate: number) => ({
    class_name: 'Dropout',
    config: { name: named('dropout'), trainable: true, dtype: 'float32', rate, noise_shape: null, seed: null },
  });
  const inputDropout = m.inputDropout ?? 0;
  const layers: Layer[] = inputDropout > 0 ? [dropout(inputDropout)] : [];
  let inputs = INPUT_SIZE;
  [...m.layers, null].forEach((l, i) => {
    const units = l?.units ?? NUM_CLASSES;
    const activation = l?.activation ?? 'softmax';
    const normed = l !== null && layerNorm(l);
    const norm = normed ? m.norms?.[i] : undefined;
    if (normed && !norm) throw new Error(`layersArtifacts: layer ${i + 1} has no batch normalization weights`);
    const dense = denseLayer(i, units, norm ? 'linear' : activation, !norm);
    layers.push(dense);
    weight(`${dense.config.name}/kernel`, [inputs, units], m.kernels[i]);
    if (norm) {
      const bn = batchNormLayer(named('batch_normalization'));
      layers.push(bn, activationLayer(named('activation'), activation));
      weight(`${bn.config.name}/gamma`, [units], norm.gamma);
      weight(`${bn.config.name}/beta`, [units], m.biases[i]);
      weight(`${bn.config.name}/moving_mean`, [units], norm.movingMean, true);
      weight(`${bn.config.name}/moving_variance`, [units], norm.movingVariance, true);
    } else weight(`${dense.config.name}/bias`, [units], m.biases[i]);
    if ((l?.dropout ?? 0) > 0) layers.push(dropout(l?.dropout as number));
    inputs = units;
  });
  // The first layer says the input's shape.
  const first = layers[0] as Layer;
  first.config = { ...first.config, batch_input_shape: [null, INPUT_SIZE] };
  return { layers, weights };
}

/**
 * The artifacts of `m`. `query` is the run's share-link query string (kept in the metadata, so
 * the model says how it was trained). Throws if a layer with batch normalization has no norm
 * weights (a model checkModel refuses).
 */
export function layersArtifacts(m: TrainedModel, query: string): LayersArtifacts {
  const { layers, weights } = layersOf(m);
  const list = [...weights.trained, ...weights.frozen];
  const all = new Float32Array(list.reduce((s, [, p]) => s + p.length, 0));
  let at = 0;
  for (const [, p] of list) {
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
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: list.map(([w]) => w) }],
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
