import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { createDeviceData } from '../../../src/ml/deviceData';
import { createPredictor, predictorOf } from '../../../src/ml/predictor';
import type { Mlp } from '../../../src/ml/mlp';
import { trainRun, type RunOutcome } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Issue 10, items 6 and 7, on the CPU backend with real MNIST images: the images go to the device
// once and runs use views of them; a finished run can leave its network on the device to predict.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 1200), test: loadMnist('t10k', 10000) };
});

const never = new AbortController().signal;
const quick: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 12, activation: 'sigmoid' }],
  subset: 1000,
  epochs: 2,
  seed: 4,
};

/** What a user sees of a run: every epoch's numbers but its time, and the test result. */
const numbers = (o: RunOutcome) => ({
  epochs: o.epochs.map(({ seconds: _, ...rest }) => rest),
  testAcc: o.testAcc,
  testLoss: o.testLoss,
  valCount: o.valCount,
});

describe('item 6: the images on the device, uploaded once per worker', () => {
  test('a split is uploaded once; asking again for as many rows gives the same tensors', () => {
    const cache = createDeviceData();
    const before = tf.memory().numTensors;
    const a = cache.images(data.train, 1000, false);
    const b = cache.images(data.train, 1000, false);
    expect(b.x).toBe(a.x);
    expect(a.x.shape).toEqual([1000, 786]);
    expect(cache.uploads).toBe(1);
    expect(cache.heldTensors).toBe(2);
    expect(cache.heldBytes).toBe(1000 * 786 * 4 + 1000 * 4);
    expect(tf.memory().numTensors).toBe(before + 2);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(cache.heldTensors).toBe(0);
  });

  test('another number of rows or the other input range upload again and free the old upload first', async () => {
    const cache = createDeviceData();
    const before = tf.memory().numTensors;
    cache.images(data.train, 600, false);
    const more = cache.images(data.train, 1200, false);
    expect(more.rows).toBe(1200);
    expect(more.x.shape).toEqual([1200, 786]);
    // Fewer rows too: the device holds what the run needs, no more (its memory estimate counts that).
    expect(cache.images(data.train, 1000, false).x.shape).toEqual([1000, 786]);
    const scaled = cache.images(data.train, 1200, true);
    expect(cache.uploads).toBe(4);
    expect(tf.memory().numTensors).toBe(before + 2);
    // Row 0 of the scaled upload is the raw row divided by 255, and the padding columns are zero.
    const first = tf.slice(scaled.x, [0, 0], [1, 786]);
    const row = (await first.data()) as Float32Array;
    first.dispose();
    const raw = data.train.images.subarray(0, 784);
    raw.forEach((v, k) => expect(row[k]).toBeCloseTo(v / 255, 7));
    expect([row[784], row[785]]).toEqual([0, 0]);
    expect(Array.from((await scaled.y.data()) as Int32Array).slice(0, 5)).toEqual(
      Array.from(data.train.labels.subarray(0, 5)),
    );
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('it keeps two splits, dropping the least recently used; a bad row count is refused', () => {
    const cache = createDeviceData(2);
    const before = tf.memory().numTensors;
    const other = loadMnist('train', 100);
    cache.images(data.train, 100, false);
    cache.images(data.test, 100, false);
    cache.images(data.train, 100, false); // the test set is now the older
    cache.images(other, 100, false); // drops the test set
    expect(cache.uploads).toBe(3);
    cache.images(data.train, 100, false);
    expect(cache.uploads).toBe(3);
    cache.images(data.test, 100, false);
    expect(cache.uploads).toBe(4);
    expect(tf.memory().numTensors).toBe(before + 4);
    expect(() => cache.images(other, 101, false)).toThrow(/101 rows asked of 100/);
    expect(() => cache.images(other, 0, false)).toThrow(/0 rows/);
    // Before a run: only its own splits, in its input range, stay.
    cache.keepOnly([data.train, data.test], true);
    expect(cache.heldTensors).toBe(0);
    cache.images(data.train, 100, true);
    cache.images(data.test, 100, true);
    cache.keepOnly([data.train, data.test], true);
    expect(cache.heldTensors).toBe(4);
    cache.keepOnly([data.train], true);
    expect(cache.heldTensors).toBe(2);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('runs sharing the cache with other validation splits upload once and learn exactly what runs on their own uploads learn', async () => {
    const cache = createDeviceData();
    const before = tf.memory().numTensors;
    for (const validationSplit of [0.1, 0.25, 0]) {
      const config = { ...quick, validationSplit };
      const shared = await trainRun(data, config, {}, never, { deviceData: cache });
      expect(tf.memory().numTensors).toBe(before + cache.heldTensors);
      const own = await trainRun(data, config, {}, never);
      expect(tf.memory().numTensors).toBe(before + cache.heldTensors);
      expect(numbers(shared)).toEqual(numbers(own));
      expect(shared.valCount).toBe(Math.round(1000 * validationSplit));
    }
    // The training split (1,000 rows) and the test set, once each, for all three runs.
    expect(cache.uploads).toBe(2);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a stopped run leaves the cache as it was, and the next run uses it', async () => {
    const cache = createDeviceData();
    const controller = new AbortController();
    const stopped = await trainRun(data, quick, { onProgress: () => controller.abort() }, controller.signal, {
      deviceData: cache,
      readEvery: 1,
    });
    expect(stopped.status).toBe('stopped');
    expect(cache.uploads).toBe(1); // the test set was never needed
    const done = await trainRun(data, quick, {}, never, { deviceData: cache });
    expect(done.status).toBe('done');
    expect(cache.uploads).toBe(2);
    cache.dispose();
  });
});

describe('item 7: the trained network stays on the device', () => {
  test('adopt takes the network over: its weights outlive the run and predict what the read-back weights predict', async () => {
    const before = tf.memory().numTensors;
    let adopted: Mlp | null = null;
    const outcome = await trainRun(data, { ...quick, preprocessing: 'scaled', learningRate: 0.5 }, {}, never, {
      keepModel: true,
      adopt: (net) => {
        adopted = net;
      },
    });
    const net = adopted as Mlp | null;
    if (!net || !outcome.kept) throw new Error('nothing adopted or kept');
    // Only the network's kernels and biases are left: two per Dense layer.
    expect(tf.memory().numTensors).toBe(before + 4);
    // The first kernel still has the training's two zero padding rows; the predictor pads the image.
    expect(net.kernels[0]?.shape).toEqual([786, 12]);
    const onDevice = predictorOf(quick.layers, net.kernels, net.biases);
    const readBack = createPredictor(outcome.kept.model);
    try {
      for (let i = 0; i < 20; i++) {
        const input = Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
        const [a, b] = [await onDevice.predict(input), await readBack.predict(input)];
        a.probs.forEach((p, k) => expect(Math.abs(p - (b.probs[k] as number))).toBeLessThan(1e-6));
        expect(a.activations[0]?.length).toBe(12);
      }
      expect(onDevice.heldTensors).toBe(4);
      expect(onDevice.heldBytes).toBe((786 * 12 + 12 + 12 * 10 + 10) * 4);
    } finally {
      readBack.dispose();
      onDevice.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test('nothing is adopted from a stopped run or without keepModel', async () => {
    const before = tf.memory().numTensors;
    let adopted = 0;
    const adopt = () => {
      adopted++;
    };
    const controller = new AbortController();
    await trainRun(data, quick, { onProgress: () => controller.abort() }, controller.signal, {
      keepModel: true,
      adopt,
      readEvery: 1,
    });
    await trainRun(data, quick, {}, never, { adopt });
    expect(adopted).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('weights that do not fit the layers are refused', () => {
    const w = tf.zeros([784, 3]);
    expect(() => predictorOf(quick.layers, [w], [])).toThrow(/do not fit/);
    w.dispose();
  });
});
