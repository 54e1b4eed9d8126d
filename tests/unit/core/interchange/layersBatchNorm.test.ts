import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { layersArtifacts } from '../../../../src/core/interchange/layersExport';
import { readLayersModel } from '../../../../src/core/interchange/layersImport';
import { withBatchNorm } from '../../../../src/core/network/batchNorm';
import type { NormWeights, TrainedModel } from '../../../../src/core/runs/model';
import { labForward, worstDifference } from './labForward';

// Batch normalization in the TensorFlow.js Layers format: the export writes Dense (no bias),
// BatchNormalization, Activation as TF.js itself does, TF.js loads it and predicts as the lab's
// model does; the import reads it back, and TF.js's own models with it; anything else is refused,
// naming the layer.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const seq = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
const norm = (units: number, k: number): NormWeights => ({
  gamma: seq(units, (i) => 0.5 + ((i * k) % 5) / 4),
  movingMean: seq(units, (i) => ((i + k) % 3) - 1),
  movingVariance: seq(units, (i) => 0.2 + ((i * 3 + k) % 4)),
});

/** Three hidden layers, the first and last with batch normalization; dropout on the input and after the first. */
const model: TrainedModel = {
  layers: [
    { units: 3, activation: 'relu', dropout: 0.25, batchNorm: true },
    { units: 2, activation: 'tanh' },
    { units: 4, activation: 'sigmoid', batchNorm: true },
  ],
  preprocessing: 'scaled',
  dataset: 'mnist',
  inputDropout: 0.1,
  kernels: [
    seq(784 * 3, (i) => ((i % 13) - 6) / 50),
    seq(6, (i) => i / 3 - 1),
    seq(8, (i) => 1 - i / 4),
    seq(40, (i) => ((i * 7) % 11) / 5 - 1),
  ],
  biases: [seq(3, (i) => i - 1), seq(2, (i) => i / 10), seq(4, (i) => -i / 5), seq(10, (i) => i / 20)],
  norms: [norm(3, 1), null, norm(4, 2)],
};
const query = 'layers=3,2,4&act=relu,tanh,sigmoid&pre=scaled&seed=7&opt=adam';
const art = layersArtifacts(model, query);
const json = JSON.stringify(art.modelJson);
const bin = new Uint8Array(art.weightData);
const files = [{ name: 'model.weights.bin', bytes: bin }];
type LayerJson = { class_name: string; config: Record<string, unknown> };
type Manifest = { paths: string[]; weights: { name: string; shape: number[] }[] }[];
const topologyLayers = (j: Record<string, unknown>) =>
  (j.modelTopology as { config: { layers: LayerJson[] } }).config.layers;
const withJson = (f: (layers: LayerJson[], j: Record<string, unknown>) => void) => {
  const j = JSON.parse(json) as Record<string, unknown>;
  f(topologyLayers(j), j);
  return JSON.stringify(j);
};
const message = (r: { ok: boolean; message?: string }) => (r.ok ? 'ok' : r.message);

const images = Array.from({ length: 4 }, (_, n) => seq(784, (i) => ((i * (n + 3)) % 17) / 16));

async function predictTf(m: tf.LayersModel): Promise<number[][]> {
  const out = tf.tidy(() => m.predict(tf.tensor2d(images.map((im) => Array.from(im)))) as tf.Tensor);
  const rows = (await out.array()) as number[][];
  out.dispose();
  return rows;
}

const expectClose = (got: number[][], want: number[][]) => expect(worstDifference(got, want)).toBeLessThan(1e-5);

describe('the export of a network with batch normalization', () => {
  test('a layer with it is Dense without bias, BatchNormalization (Keras defaults), Activation, then its Dropout', () => {
    const layers = topologyLayers(JSON.parse(json) as Record<string, unknown>);
    expect(layers.map((l) => `${l.class_name}:${String(l.config.name)}`)).toEqual([
      'Dropout:dropout_1',
      'Dense:dense_1',
      'BatchNormalization:batch_normalization_1',
      'Activation:activation_1',
      'Dropout:dropout_2',
      'Dense:dense_2',
      'Dense:dense_3',
      'BatchNormalization:batch_normalization_2',
      'Activation:activation_2',
      'Dense:dense_4',
    ]);
    expect(layers.map((l) => [l.config.activation, l.config.use_bias])).toEqual([
      [undefined, undefined],
      ['linear', false],
      [undefined, undefined],
      ['relu', undefined],
      [undefined, undefined],
      ['tanh', true],
      ['linear', false],
      [undefined, undefined],
      ['sigmoid', undefined],
      ['softmax', true],
    ]);
    expect(layers[2]?.config).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
  });

  test('the manifest lists the trained weights first and the moving statistics last, as tf.LayersModel.save does', () => {
    const m = art.modelJson.weightsManifest[0]?.weights ?? [];
    expect(m.map((w) => `${w.name} ${w.shape.join('x')}`)).toEqual([
      'dense_1/kernel 784x3',
      'batch_normalization_1/gamma 3',
      'batch_normalization_1/beta 3',
      'dense_2/kernel 3x2',
      'dense_2/bias 2',
      'dense_3/kernel 2x4',
      'batch_normalization_2/gamma 4',
      'batch_normalization_2/beta 4',
      'dense_4/kernel 4x10',
      'dense_4/bias 10',
      'batch_normalization_1/moving_mean 3',
      'batch_normalization_1/moving_variance 3',
      'batch_normalization_2/moving_mean 4',
      'batch_normalization_2/moving_variance 4',
    ]);
    const floats = new Float32Array(art.weightData);
    expect(floats.length).toBe(784 * 3 + 3 * 4 + 6 + 2 + 8 + 4 * 4 + 50);
    // beta is the layer's bias; the moving variance of the second normalization ends the file.
    expect(floats.slice(784 * 3 + 3, 784 * 3 + 6)).toEqual(model.biases[0]);
    expect(floats.slice(-4)).toEqual(model.norms?.[2]?.movingVariance);
  });

  test('a layer with batch normalization but no norm weights is a programming error', () => {
    expect(() => layersArtifacts({ ...model, norms: [null, null, norm(4, 2)] }, '')).toThrow(/layer 1 has no batch/);
  });

  test("tf.loadLayersModel loads it and predicts the lab's probabilities (moving statistics, epsilon 0.001)", async () => {
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: art.modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightSpecs: art.modelJson.weightsManifest[0]?.weights ?? [],
        weightData: art.weightData.slice(0),
      }),
    );
    expectClose(
      await predictTf(loaded),
      images.map((x) => labForward(model, x)),
    );
    loaded.dispose();
  });
});

describe('reading batch normalization back', () => {
  test("the lab's own export gives the same layers, weights and norms, and its config the query's settings", () => {
    const r = readLayersModel(json, files);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model).toEqual(model);
    expect(r.value.config.layers).toEqual(model.layers);
    expect([r.value.config.seed, r.value.config.optimizer, r.value.config.inputDropout]).toEqual([7, 'adam', 0.1]);
    expect(r.value.notes).toEqual([]);
  });

  test('without any batch normalization, the model has no norms field', () => {
    const { kernels, biases, preprocessing } = model;
    const plain: TrainedModel = {
      layers: model.layers.map((l) => withBatchNorm(l, false)),
      kernels,
      biases,
      preprocessing,
    };
    const a = layersArtifacts(plain, '');
    const r = readLayersModel(JSON.stringify(a.modelJson), [
      { name: 'model.weights.bin', bytes: new Uint8Array(a.weightData) },
    ]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model).not.toHaveProperty('norms');
  });

  test('a model TF.js saved, with a Dense bias before its batch normalization: folded into the moving mean, same predictions', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 5, inputShape: [784] }),
        tf.layers.batchNormalization(),
        tf.layers.activation({ activation: 'relu' }),
        tf.layers.dense({ units: 4, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.activation({ activation: 'tanh' }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    // Weights away from their starting values: gamma, beta and both moving statistics too.
    const values = tfModel.weights.map((v, k) => {
      const shape = v.shape as number[];
      const size = shape.reduce((p, d) => p * d, 1);
      const xs = seq(size, (i) => Math.sin(i * 1.7 + k) * (size > 100 ? 0.05 : 1));
      return tf.tensor(v.name.includes('variance') ? xs.map((x) => x + 1.5) : xs, shape);
    });
    tfModel.setWeights(values);
    values.forEach((t) => t.dispose());
    let saved: tf.io.ModelArtifacts | null = null;
    await tfModel.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const a = saved as unknown as tf.io.ModelArtifacts;
    const text = JSON.stringify({
      format: a.format,
      generatedBy: a.generatedBy,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }],
      userDefinedMetadata: { preprocessing: 'scaled' },
    });
    const r = readLayersModel(text, [{ name: 'w.bin', bytes: new Uint8Array(a.weightData as ArrayBuffer) }]);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model.layers).toEqual([
      { units: 5, activation: 'relu', batchNorm: true },
      { units: 4, activation: 'tanh', dropout: 0.3, batchNorm: true },
    ]);
    // dense's kernel and bias, then batch_normalization's gamma, beta, moving mean and variance.
    const [, bias, , , mean] = tfModel.layers.slice(0, 2).flatMap((l) => l.getWeights().map((w) => w.dataSync()));
    expect(r.value.model.norms?.[0]?.movingMean).toEqual(
      (mean as Float32Array).map((m, i) => m - ((bias as Float32Array)[i] as number)),
    );
    expect(r.value.notes.filter((n) => /bias/.test(n))).toEqual([
      expect.stringMatching(
        /^dense_Dense\d+ has a bias before its batch normalization: it was folded into the moving mean/,
      ),
    ]);
    expectClose(
      await predictTf(tfModel),
      images.map((x) => labForward(r.value.model, x)),
    );
    tfModel.dispose();
  });
});

/** model.json of these layers alone (the walk refuses before any weight is read). */
const topology = (...layers: LayerJson[]) =>
  JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers } }, weightsManifest: [] });
const dense = (name: string, units: number, activation = 'linear', extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense',
  config: { name, units, activation, ...extra },
});
const bn = (name = 'bn', extra: Record<string, unknown> = {}) => ({
  class_name: 'BatchNormalization',
  config: { name, axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, ...extra },
});
const input = { batch_input_shape: [null, 784] };
const lab =
  'the lab normalizes between a Dense layer and its activation (Dense without activation, BatchNormalization, then Activation).';
const defaults =
  "the lab trains and runs only Keras's defaults (axis -1, momentum 0.99, epsilon 0.001, center and scale).";

describe('batch normalization the lab does not run is refused, naming the layer', () => {
  test.each([
    [
      'before any Dense layer',
      [bn('bn', input), dense('d', 10)],
      `Layer 1 (bn) is a BatchNormalization before any Dense layer: ${lab}`,
    ],
    [
      'after an activation',
      [dense('d1', 4, 'relu', input), bn(), dense('d2', 10, 'softmax')],
      `Layer 2 (bn) is a BatchNormalization after d1's activation (relu): ${lab}`,
    ],
    [
      'after an Activation layer',
      [dense('d1', 4, 'linear', input), { class_name: 'Activation', config: { activation: 'tanh' } }, bn()],
      `Layer 3 (bn) is a BatchNormalization after d1's activation (tanh): ${lab}`,
    ],
    [
      'after Dropout',
      [dense('d1', 4, 'linear', input), { class_name: 'Dropout', config: { rate: 0.2 } }, bn()],
      `Layer 3 (bn) is a BatchNormalization after a Dropout layer: ${lab.slice(0, -1)}, and Dropout after that.`,
    ],
    [
      'twice',
      [dense('d1', 4, 'linear', input), bn('a'), bn('b')],
      'Layer 3 (b) is a second BatchNormalization after d1: the lab has one per layer.',
    ],
    [
      'on the output layer',
      [
        dense('d1', 4, 'relu', input),
        dense('d2', 10),
        bn(),
        { class_name: 'Activation', config: { activation: 'softmax' } },
      ],
      "The last layer (d2) has batch normalization (bn); the lab's output layer has none.",
    ],
  ])('%s', (_name, layers, want) => {
    expect(message(readLayersModel(topology(...layers), []))).toBe(want);
  });

  test.each([
    ['center', false, 'center false (no beta)'],
    ['scale', false, 'scale false (no gamma)'],
    ['momentum', 0.9, 'momentum 0.9'],
    ['epsilon', 1e-5, 'epsilon 0.00001'],
    ['axis', 0, 'axis 0'],
    ['axis', [1, 2], 'axis [1,2]'],
    ['renorm', true, 'batch renormalization (renorm true)'],
    ['virtual_batch_size', 32, 'virtual_batch_size 32'],
  ])('settings other than Keras defaults: %s %j', (key, value, said) => {
    const text = withJson((layers) => ((layers[2] as LayerJson).config[key] = value));
    expect(message(readLayersModel(text, files))).toBe(
      `Layer 3 (batch_normalization_1) is a BatchNormalization with ${said}: ${defaults}`,
    );
  });

  test('the defaults as other writers put them are read: axis [1] (Keras 2), 1, a float32 epsilon, no momentum', () => {
    for (const change of [
      { axis: [1] },
      { axis: 1 },
      { epsilon: Math.fround(0.001), momentum: Math.fround(0.99) },
      { momentum: undefined, renorm: false, adjustment: null },
    ]) {
      const text = withJson((layers) => Object.assign((layers[2] as LayerJson).config, change));
      expect(message(readLayersModel(text, files))).toBe('ok');
    }
  });

  test('an unsupported layer names BatchNormalization among those the lab accepts', () => {
    const text = topology(dense('d1', 4, 'linear', input), {
      class_name: 'LayerNormalization',
      config: { name: 'ln' },
    });
    expect(message(readLayersModel(text, []))).toMatch(
      /^Layer 2 \(ln\) is a LayerNormalization layer: .*BatchNormalization between a Dense layer and its activation/,
    );
  });
});

/** Where a weight starts in the weights file, in floats. */
function offsetOf(name: string): number {
  let at = 0;
  for (const w of art.modelJson.weightsManifest[0]?.weights ?? []) {
    if (w.name === name) return at;
    at += w.shape.reduce((p, d) => p * d, 1);
  }
  throw new Error(`no weight ${name}`);
}
const withFloat = (name: string, index: number, value: number) => {
  const bytes = bin.slice();
  new Float32Array(bytes.buffer)[offsetOf(name) + index] = value;
  return [{ name: 'model.weights.bin', bytes }];
};

describe("batch normalization's weights that do not fit", () => {
  test('a weight count that does not match the layers counts the BatchNormalization layers', () => {
    const text = withJson((layers) => ((layers[1] as LayerJson).config.use_bias = true));
    expect(message(readLayersModel(text, files))).toBe(
      "model.json's weightsManifest lists 14 weights; its 4 Dense layers and 2 BatchNormalization layers have 15.",
    );
  });

  test('a gamma of the wrong shape', () => {
    const text = withJson((_, j) => {
      const w = (j.weightsManifest as Manifest)[0]?.weights.find((x) => x.name === 'batch_normalization_1/gamma');
      if (w) w.shape = [3, 1];
    });
    expect(message(readLayersModel(text, files))).toBe(
      'The gamma of batch_normalization_1 is [3, 1] in the weightsManifest; the layer needs [3].',
    );
  });

  test('a negative moving variance, and NaN in gamma', () => {
    expect(message(readLayersModel(json, withFloat('batch_normalization_2/moving_variance', 3, -0.5)))).toBe(
      'The moving variance of batch_normalization_2 has negative values: the network cannot predict.',
    );
    expect(message(readLayersModel(json, withFloat('batch_normalization_1/gamma', 0, Number.NaN)))).toBe(
      'The weights of dense_1 or batch_normalization_1 hold NaN or infinite values: the network cannot predict.',
    );
    // A variance of 0 is a variance: epsilon keeps the division finite.
    expect(message(readLayersModel(json, withFloat('batch_normalization_2/moving_variance', 3, 0)))).toBe('ok');
  });
});
