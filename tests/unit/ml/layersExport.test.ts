import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { layersArtifacts, WEIGHTS_FILE } from '../../../src/core/interchange/layersExport';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { encodeConfig } from '../../../src/core/link/urlCodec';
import { trainRun } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Issue 13, point 1 in Node: a network trained by the lab's loop, exported as model.json +
// weights, loaded by tf.loadLayersModel, predicts the lab's class for all 10,000 test images with
// the lab's probability within 1e-5.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 10000) };
});

describe('export in TensorFlow.js Layers format', () => {
  for (const preprocessing of ['raw', 'scaled'] as const) {
    test(`${preprocessing} inputs: tf.loadLayersModel gives the lab's predictions on the whole test set`, async () => {
      const config: TrainConfig = {
        ...DEFAULT_CONFIG,
        layers: [
          { units: 24, activation: 'sigmoid' },
          { units: 12, activation: 'relu' },
        ],
        preprocessing,
        learningRate: preprocessing === 'scaled' ? 0.3 : 0.01,
        subset: 2000,
        epochs: 1,
        seed: 3,
        // Trained with dropout (scaled inputs): the file has Dropout layers, which TF.js loads and
        // which drop nothing when it predicts, as the lab's prediction drops nothing.
        ...(preprocessing === 'scaled'
          ? {
              inputDropout: 0.1,
              layers: [
                { units: 24, activation: 'sigmoid', dropout: 0.3 },
                { units: 12, activation: 'relu' },
              ],
            }
          : {}),
      };
      const outcome = await trainRun(data, config, {}, new AbortController().signal, { keepModel: true });
      if (!outcome.kept) throw new Error('no kept model');
      const { model: trained, test: lab } = outcome.kept;
      const art = layersArtifacts(trained, encodeConfig(config));
      // Through text and bytes, as the files would carry them.
      const json = JSON.parse(JSON.stringify(art.modelJson)) as typeof art.modelJson;
      expect(json.weightsManifest[0]?.paths).toEqual([WEIGHTS_FILE]);
      expect(json.userDefinedMetadata.preprocessing).toBe(preprocessing);
      const before = tf.memory().numTensors;
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'],
          weightSpecs: json.weightsManifest[0]?.weights ?? [],
          weightData: art.weightData.slice(0),
        }),
      );
      expect(model.inputs[0]?.shape).toEqual([null, 784]);
      expect(model.layers.map((l) => l.getClassName())).toEqual(
        preprocessing === 'scaled' ? ['Dropout', 'Dense', 'Dropout', 'Dense', 'Dense'] : ['Dense', 'Dense', 'Dense'],
      );
      expect(model.outputs[0]?.shape).toEqual([null, 10]);
      const scale = preprocessing === 'scaled' ? 1 / 255 : 1;
      const probs = tf.tidy(
        () =>
          model.predict(
            tf.tensor2d(
              Float32Array.from(data.test.images, (b) => b * scale),
              [10000, 784],
            ),
          ) as tf.Tensor,
      );
      const p = (await probs.data()) as Float32Array;
      probs.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      let sameClass = 0;
      let worst = 0;
      for (let i = 0; i < 10000; i++) {
        const row = p.subarray(i * 10, i * 10 + 10);
        let best = 0;
        for (let c = 1; c < 10; c++) if ((row[c] as number) > (row[best] as number)) best = c;
        if (best === lab.preds[i]) sameClass++;
        worst = Math.max(worst, Math.abs((row[best] as number) - (lab.probs[i] as number)));
      }
      expect(sameClass).toBe(10000);
      expect(worst).toBeLessThan(1e-5);
    }, 120_000);
  }
});
