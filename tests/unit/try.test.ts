import * as tf from '@tensorflow/tfjs';
import { test } from 'vitest';
import { trainRun } from '../../src/ml/train';
import { DEFAULT_CONFIG } from '../../src/core/spec';
import { loadMnist } from './helpers';
test('try', async () => {
  await tf.setBackend('cpu');
  const data = { train: loadMnist('train', 3000), test: loadMnist('t10k', 1000) };
  const before = tf.memory().numTensors;
  const t0 = Date.now();
  const out = await trainRun(data, { ...DEFAULT_CONFIG, subset: 3000, epochs: 3 }, { onEpoch: (l) => console.log(l) }, new AbortController().signal);
  console.log(out.testAcc, out.testLoss, Date.now() - t0, before, tf.memory().numTensors);
});
