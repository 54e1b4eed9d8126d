import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { estimateDeviceMemory } from '../../../src/core/device/deviceMemory';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { trainRun } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Item 18: the device-memory estimate against the peak bytes TensorFlow.js itself counts over a
// real run (tf.profile's peakBytes, CPU backend: the same tensors WebGL would hold as textures).
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 500) };
});

describe('item 18: the device-memory estimate covers what a run really holds', () => {
  const relu = (n: number, units: number) => Array.from({ length: n }, () => ({ units, activation: 'relu' as const }));
  test.each<[string, Partial<TrainConfig>]>([
    ['2×512 at batch 1024, Adam', { layers: relu(2, 512), batchSize: 1024, optimizer: 'adam', learningRate: 0.001 }],
    // 400 images (3 batches and a validation split): the peak is one step's, however many there are.
    ['2048 units, RMSprop', { layers: relu(1, 2048), optimizer: 'rmsprop', learningRate: 0.001, subset: 400 }],
    ['4×256 at batch 2048, SGD', { layers: relu(4, 256), batchSize: 2048 }],
    ['the article network', {}],
  ])('%s: the peak is within the estimate, and the estimate within 1.6 times the peak', async (_name, change) => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, subset: 2000, epochs: 1, seed: 3, ...change };
    // The test set here is 500 images, not 10,000: estimated with what is really uploaded.
    const expected = estimateDeviceMemory(config, 500).total;
    const info = await tf.profile(async () => {
      await trainRun(data, config, {}, new AbortController().signal);
      return [];
    });
    console.log(`${_name}: peak ${(info.peakBytes / 1e6).toFixed(1)} MB, estimate ${(expected / 1e6).toFixed(1)} MB`);
    expect(info.peakBytes).toBeLessThanOrEqual(expected);
    expect(expected).toBeLessThan(1.6 * info.peakBytes);
  });
});
