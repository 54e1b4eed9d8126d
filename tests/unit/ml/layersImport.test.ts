import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { readLayersModel, weightFilesNeeded } from '../../../src/core/interchange/layersImport';
import { createPredictor } from '../../../src/ml/predictor';

// Issue 13, import: models written by TensorFlow.js itself (tf.LayersModel.save's artifacts, laid
// out as its browser download writes model.json), read by the lab's pure reader.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** model.json's text and the weights file, as `model.save('downloads://model')` writes them. */
async function saved(
  model: tf.LayersModel,
  metadata?: Record<string, unknown>,
): Promise<{ json: string; bin: Uint8Array }> {
  let out: { json: string; bin: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ['./model.weights.bin'], weights: a.weightSpecs }],
        ...(metadata ? { userDefinedMetadata: metadata } : {}),
      };
      out = { json: JSON.stringify(json), bin: new Uint8Array(a.weightData as ArrayBuffer) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('not saved');
  return out;
}

const read = (s: { json: string; bin: Uint8Array }) =>
  readLayersModel(s.json, [{ name: 'model.weights.bin', bytes: s.bin }]);

describe('reading TensorFlow.js Layers models', () => {
  test('a Flatten + Dense + Dropout model saved by TF.js predicts as TF.js does (within 1e-5) on test-like inputs', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }),
        tf.layers.dense({ units: 20, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 15, activation: 'tanh' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const files = await saved(model, { preprocessing: 'scaled' });
    expect(weightFilesNeeded(files.json, [{ name: 'model.weights.bin', size: files.bin.length }]).ok).toBe(true);
    const r = read(files);
    if (!r.ok) throw new Error(r.message);
    // The Dropout layer is the first layer's dropout: it changes nothing when the network predicts.
    expect(r.value.model.layers).toEqual([
      { units: 20, activation: 'relu', dropout: 0.2 },
      { units: 15, activation: 'tanh' },
    ]);
    expect(r.value.model.preprocessing).toBe('scaled');
    expect(r.value.notes.join(' ')).not.toMatch(/Dropout/);
    const inputs = Array.from({ length: 5 }, (_, k) =>
      Float32Array.from({ length: 784 }, (_, p) => ((p * 7 + k * 13) % 256) / 255),
    );
    const want = tf.tidy(
      () =>
        (
          model.predict(
            tf.tensor3d(
              inputs.flatMap((x) => Array.from(x)),
              [5, 28, 28],
            ),
          ) as tf.Tensor
        ).arraySync() as number[][],
    );
    const predictor = createPredictor(r.value.model, true);
    for (const [k, x] of inputs.entries()) {
      const got = (await predictor.predict(x)).probs;
      (want[k] as number[]).forEach((p, c) => expect(Math.abs((got[c] as number) - p)).toBeLessThan(1e-5));
    }
    predictor.dispose();
    model.dispose();
  });

  test("an activation given as a layer of its own after a linear Dense layer (Activation, Softmax, ReLU) is that layer's", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 6 }),
        tf.layers.reLU(),
        tf.layers.dense({ units: 5 }),
        tf.layers.activation({ activation: 'tanh' }),
        tf.layers.dense({ units: 10 }),
        tf.layers.softmax(),
      ],
    });
    const r = read(await saved(model));
    if (!r.ok) throw new Error(r.message);
    expect(r.value.model.layers).toEqual([
      { units: 6, activation: 'relu' },
      { units: 5, activation: 'tanh' },
    ]);
    const x = Float32Array.from({ length: 784 }, (_, p) => (p % 17) / 17);
    const want = tf.tidy(() => (model.predict(tf.tensor2d(x, [1, 784])) as tf.Tensor).dataSync());
    const predictor = createPredictor(r.value.model, true);
    (await predictor.predict(x)).probs.forEach((p, c) => expect(Math.abs(p - (want[c] as number))).toBeLessThan(1e-5));
    predictor.dispose();
    // After a Dense layer that has an activation already, it is a layer the lab does not run.
    const twice = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 10, activation: 'relu', name: 'd' }),
        tf.layers.softmax({ name: 'sm' }),
      ],
    });
    const r2 = read(await saved(twice));
    expect(!r2.ok && r2.message).toMatch(/^Layer 2 \(sm\) is a Softmax layer/);
    model.dispose();
    twice.dispose();
  });

  test('a CNN is refused, naming its Conv2D layer', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const files = await saved(model);
    const need = weightFilesNeeded(files.json, []);
    expect(need.ok).toBe(false);
    if (!need.ok)
      expect(need.message).toMatch(/Layer 1 \(conv2d\w*\) is a Conv2D layer: the lab runs only Dense layers/);
    model.dispose();
  });

  test('a network of 100 inputs is refused with both sizes named', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [100], units: 10, activation: 'softmax' })] });
    const r = read(await saved(model));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toBe(
        "The model takes 100 inputs; the lab's images are 28×28 = 784 pixels, so it needs 784 inputs.",
      );
    model.dispose();
  });

  test('an activation the lab lacks, and an output that is not softmax over 10, are named', async () => {
    const elu = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 8, activation: 'elu', name: 'hid' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const r1 = read(await saved(elu));
    expect(!r1.ok && r1.message).toBe(
      'Hidden layer 1 (hid) uses the activation elu; the lab has sigmoid, relu, tanh, linear.',
    );
    const sig = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'sigmoid', name: 'out' })],
    });
    const r2 = read(await saved(sig));
    expect(!r2.ok && r2.message).toMatch(/The last layer \(out\) uses the activation sigmoid; the lab needs softmax/);
    const five = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 5, activation: 'softmax', name: 'out5' })],
    });
    const r3 = read(await saved(five));
    expect(!r3.ok && r3.message).toMatch(/The last layer \(out5\) has 5 outputs; the lab needs 10/);
    for (const m of [elu, sig, five]) m.dispose();
  });

  test('a truncated weights file is named with both byte counts', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
    const files = await saved(model);
    const r = read({ json: files.json, bin: files.bin.subarray(0, 1000) });
    expect(!r.ok && r.message).toBe(
      'The weights file is truncated: model.json describes 31,400 bytes of weights, model.weights.bin has 1,000.',
    );
    model.dispose();
  });
});
