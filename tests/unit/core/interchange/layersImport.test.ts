import { describe, expect, test } from 'vitest';
import { layersArtifacts } from '../../../../src/core/interchange/layersExport';
import {
  IMPORT_LIMITS,
  pickModelFiles,
  readLayersModel,
  weightFilesNeeded,
} from '../../../../src/core/interchange/layersImport';
import type { TrainedModel } from '../../../../src/core/runs/model';

const model: TrainedModel = {
  layers: [
    { units: 3, activation: 'tanh' },
    { units: 2, activation: 'linear' },
  ],
  preprocessing: 'raw',
  dataset: 'fashion',
  kernels: [
    Float32Array.from({ length: 784 * 3 }, (_, i) => (i % 7) / 10),
    Float32Array.from({ length: 6 }, (_, i) => i),
    Float32Array.from({ length: 20 }, (_, i) => -i),
  ],
  biases: [new Float32Array([1, 2, 3]), new Float32Array([4, 5]), Float32Array.from({ length: 10 }, (_, i) => i / 2)],
};
const art = layersArtifacts(model, 'layers=3,2&act=tanh,linear&pre=raw&data=fashion&seed=42&opt=rmsprop');
const json = JSON.stringify(art.modelJson);
const bin = new Uint8Array(art.weightData);
const weights = [{ name: 'model.weights.bin', bytes: bin }];
const withJson = (f: (j: Record<string, unknown>) => void) => {
  const j = JSON.parse(json) as Record<string, unknown>;
  f(j);
  return JSON.stringify(j);
};
const message = (r: { ok: boolean; message?: string }) => (r.ok ? 'ok' : r.message);

describe("reading the lab's own export back", () => {
  test('gives the same network, input range, dataset and the settings from its query, with nothing assumed', () => {
    const r = readLayersModel(json, weights);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model).toEqual(model);
    expect(r.value.config.seed).toBe(42);
    expect(r.value.config.optimizer).toBe('rmsprop');
    expect(r.value.config.dataset).toBe('fashion');
    expect(r.value.generatedBy).toBe('MLP Lab');
    expect(r.value.notes).toEqual([]);
  });

  test('without metadata it assumes scaled inputs and says so', () => {
    const r = readLayersModel(
      withJson((j) => delete j.userDefinedMetadata),
      weights,
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model.preprocessing).toBe('scaled');
    expect(r.value.model.dataset).toBe('mnist');
    expect(r.value.notes[0]).toMatch(/does not say what input range/);
  });
});

describe('files that do not fit say what, and never throw', () => {
  test.each([
    ['not JSON', '{"format": "layers-', /^model\.json is not valid JSON/],
    ['a JSON array', '[1]', /^model\.json is not a JSON object\.$/],
    ['a graph model', JSON.stringify({ format: 'graph-model', modelTopology: {} }), /TensorFlow\.js graph model/],
    ['no topology', JSON.stringify({ weightsManifest: [] }), /has no model topology/],
    [
      'a functional model',
      withJson((j) => ((j.modelTopology as { class_name: string }).class_name = 'Functional')),
      /is a Functional, not a Sequential/,
    ],
    ['no layers', withJson((j) => ((j.modelTopology as { config: unknown }).config = {})), /lists no layers/],
    [
      'a layer that is not one',
      withJson((j) => ((j.modelTopology as { config: { layers: unknown[] } }).config.layers[1] = 7)),
      /^Layer 2 of model\.json is not a layer description\.$/,
    ],
    ['no weights manifest', withJson((j) => delete j.weightsManifest), /has no weightsManifest/],
    [
      'quantized weights',
      withJson(
        (j) =>
          ((j.weightsManifest as { weights: Record<string, unknown>[] }[])[0]!.weights[0]!.quantization = {
            dtype: 'uint8',
          }),
      ),
      /^The weight dense_1\/kernel is quantized/,
    ],
  ])('%s', (_name, text, want) => {
    expect(message(readLayersModel(text, weights))).toMatch(want);
  });

  test('a weights file that is too long, a missing one, and NaN weights', () => {
    expect(
      message(readLayersModel(json, [{ name: 'model.weights.bin', bytes: new Uint8Array(bin.length + 4) }])),
    ).toMatch(/^The weights file does not match model\.json/);
    expect(
      message(
        weightFilesNeeded(json, [
          { name: 'other.bin', size: 10 },
          { name: 'x.bin', size: 10 },
        ]),
      ),
    ).toBe("model.json's weights are in model.weights.bin, which was not chosen: choose it together with model.json.");
    // One file wanted, one chosen under another name (a browser's "model.weights (1).bin"): that one.
    const renamed = weightFilesNeeded(json, [{ name: 'model.weights (1).bin', size: bin.length }]);
    expect(renamed.ok && renamed.value.map((f) => f.name)).toEqual(['model.weights (1).bin']);
    const nan = bin.slice();
    new Float32Array(nan.buffer)[5] = Number.NaN;
    expect(message(readLayersModel(json, [{ name: 'model.weights.bin', bytes: nan }]))).toBe(
      'The weights of dense_1 hold NaN or infinite values: the network cannot predict.',
    );
  });

  test('sizes are checked before anything is read', () => {
    const f = (name: string, size: number) => ({ name, size });
    expect(message(pickModelFiles([f('model.weights.bin', 10)]))).toMatch(/no \.json file was among the files chosen/);
    expect(message(pickModelFiles([f('a.json', 10), f('b.json', 10)]))).toMatch(
      /^Choose one model\.json at a time \(2 \.json files/,
    );
    expect(message(pickModelFiles([f('model.json', IMPORT_LIMITS.maxJsonBytes + 1)]))).toMatch(
      /too large for a model description/,
    );
    expect(message(pickModelFiles([f('model.json', 100), f('w.bin', IMPORT_LIMITS.maxWeightBytes + 1)]))).toMatch(
      /more than the lab's largest network holds/,
    );
    const ok = pickModelFiles([f('model.json', 100), f('model.weights.bin', 4000)]);
    expect(ok.ok && ok.value.weights.map((w) => w.name)).toEqual(['model.weights.bin']);
  });
});

// Issue 26, item 1: a manifest that names one weights file many times had it read once per mention,
// all at once, before any size check.
describe('hostile manifests are refused before any file is read', () => {
  test('a weights file named more than once, and files whose sizes cannot match the manifest', () => {
    const repeated = withJson((j) => {
      const m = j.weightsManifest as { paths: string[] }[];
      (m[0] as { paths: string[] }).paths = Array.from({ length: 5000 }, () => 'model.weights.bin');
    });
    expect(message(weightFilesNeeded(repeated, [{ name: 'model.weights.bin', size: bin.length }]))).toBe(
      'model.json names the weights file model.weights.bin more than once.',
    );
    expect(message(weightFilesNeeded(json, [{ name: 'model.weights.bin', size: bin.length - 4 }]))).toMatch(
      /^The weights file is truncated: model\.json describes [\d,]+ bytes/,
    );
    expect(message(weightFilesNeeded(json, [{ name: 'model.weights.bin', size: 1e9 }]))).toMatch(
      /^The weights file does not match model\.json/,
    );
    // A name is quoted in a message at most 80 characters long.
    const long = 'w'.repeat(3_000_000);
    const named = withJson((j) => {
      ((j.weightsManifest as { paths: string[] }[])[0] as { paths: string[] }).paths = [long];
    });
    expect(message(weightFilesNeeded(named, []))?.length).toBeLessThan(200);
    // Issue 26, item 9: a 3 MB layer name is quoted 80 characters long in the message.
    const layerName = withJson((j) => {
      const first = (j.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0];
      if (!first) throw new Error('no layer');
      first.config.name = 'n'.repeat(3_000_000);
      first.config.units = 0;
    });
    const said = message(readLayersModel(layerName, weights)) ?? '';
    expect(said).toMatch(/units/);
    expect(said.length).toBeLessThan(300);
  });
});

/** A Keras 3 model as the tensorflowjs converter writes it: model_config wrapper, InputLayer with batch_shape. */
function keras3(opts: { frozenFirst?: boolean; shards?: boolean; noBias?: boolean } = {}) {
  const dense = (name: string, units: number, activation: string, useBias = true) => ({
    class_name: 'Dense',
    config: { name, units, activation, use_bias: useBias, trainable: !(opts.frozenFirst && name === 'hidden') },
  });
  const topology = {
    keras_version: '3.6.0',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 784], name: 'input_layer' } },
          dense('hidden', 4, 'relu', !opts.noBias),
          dense('out', 10, 'softmax'),
        ],
      },
    },
  };
  const hk = Float32Array.from({ length: 784 * 4 }, (_, i) => ((i * 37) % 11) / 100 - 0.05);
  const hb = new Float32Array([0.1, -0.2, 0.3, 0]);
  const ok = Float32Array.from({ length: 40 }, (_, i) => ((i * 13) % 7) / 10 - 0.3);
  const ob = Float32Array.from({ length: 10 }, (_, i) => i / 100);
  const spec = (name: string, shape: number[]) => ({ name, shape, dtype: 'float32' });
  // Trainable weights first, frozen ones last, as tf.LayersModel.save orders them.
  let list: [ReturnType<typeof spec>, Float32Array][] = [
    [spec('sequential/hidden/kernel', [784, 4]), hk],
    ...(opts.noBias ? [] : [[spec('sequential/hidden/bias', [4]), hb] as [ReturnType<typeof spec>, Float32Array]]),
    [spec('sequential/out/kernel', [4, 10]), ok],
    [spec('sequential/out/bias', [10]), ob],
  ];
  if (opts.frozenFirst) list = [...list.slice(opts.noBias ? 1 : 2), ...list.slice(0, opts.noBias ? 1 : 2)];
  const all = new Uint8Array(list.reduce((n, [, a]) => n + a.byteLength, 0));
  let at = 0;
  for (const [, a] of list) {
    all.set(new Uint8Array(a.buffer), at);
    at += a.byteLength;
  }
  const cut = opts.shards ? 5000 : all.length;
  const files = opts.shards
    ? [
        { name: 'group1-shard1of2.bin', bytes: all.slice(0, cut) },
        { name: 'group1-shard2of2.bin', bytes: all.slice(cut) },
      ]
    : [{ name: 'group1-shard1of1.bin', bytes: all }];
  const text = JSON.stringify({
    format: 'layers-model',
    generatedBy: 'keras v3.6.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: topology,
    weightsManifest: [{ paths: files.map((f) => f.name), weights: list.map(([s]) => s) }],
  });
  return { text, files, want: { kernels: [hk, ok], biases: [opts.noBias ? new Float32Array(4) : hb, ob] } };
}

describe('models converted from Keras', () => {
  test.each([
    ['as the converter writes it', {}],
    ['with the weights in two shards', { shards: true }],
    ['with a frozen first layer (its weights listed last), matched by name', { frozenFirst: true }],
    ['with a hidden layer without bias', { noBias: true }],
  ])('a Keras 3 model %s is read with its weights in place', (_name, opts) => {
    const m = keras3(opts);
    const need = weightFilesNeeded(
      m.text,
      m.files.map((f) => ({ name: f.name, size: f.bytes.length })),
    );
    expect(need.ok && need.value.map((f) => f.name)).toEqual(m.files.map((f) => f.name));
    const r = readLayersModel(m.text, m.files);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model.layers).toEqual([{ units: 4, activation: 'relu' }]);
    expect(r.value.model.kernels).toEqual(m.want.kernels);
    expect(r.value.model.biases).toEqual(m.want.biases);
    expect(r.value.generatedBy).toBe('keras v3.6.0');
    // Neither the input range nor the dataset is in a converted model: both are said.
    expect(r.value.notes).toHaveLength(2);
  });
});
