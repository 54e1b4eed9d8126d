import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { earlyStopOf } from '../../../src/core/runs/earlyStopping';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { trainRun } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Early stopping in the training loop: the run stops where the rule says, and it ends with the
// weights of its best epoch, the very weights a run of that many epochs ends with (CPU: exact).
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 400), test: loadMnist('t10k', 200) };
});
const never = new AbortController().signal;

// 300 images train, 100 validate: Adam at 0.01 overfits within a few epochs and val_loss turns up.
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 64, activation: 'relu' }],
  preprocessing: 'scaled',
  optimizer: 'adam',
  learningRate: 0.01,
  subset: 400,
  validationSplit: 0.25,
  epochs: 12,
  seed: 4,
  earlyPatience: 1,
  earlyMonitor: 'val_loss',
};

// With batch normalization, batches of 16: the moving statistics (momentum 0.99) catch up within the run.
const normed: TrainConfig = {
  ...config,
  layers: [{ units: 64, activation: 'relu', batchNorm: true }],
  batchSize: 16,
};

test.each([
  ['', config],
  [' (with batch normalization: its moving statistics too)', normed],
])(
  'the run stops after `patience` epochs without a better val_loss and keeps its best epoch’s weights%s',
  async (_, config) => {
    const before = tf.memory().numTensors;
    const early = await trainRun(data, config, {}, never, { keepModel: true });
    expect(tf.memory().numTensors).toBe(before);
    const stop = earlyStopOf(config, early.epochs);
    if (!stop) throw new Error('no early stop');
    // It stopped (this setup overfits) and trained no epoch past the stop.
    expect(stop.stoppedAfter).not.toBeNull();
    expect(early.epochs).toHaveLength(stop.stoppedAfter ?? 0);
    expect(stop.restored).toBeLessThan(early.epochs.length);
    // The same run for exactly the kept epochs, without early stopping: the same weights, bit for bit,
    // and the same test result.
    const plain = await trainRun(data, { ...config, epochs: stop.restored, earlyPatience: null }, {}, never, {
      keepModel: true,
    });
    expect(early.kept?.model.kernels).toEqual(plain.kept?.model.kernels);
    expect(early.kept?.model.biases).toEqual(plain.kept?.model.biases);
    expect(early.kept?.model.norms).toEqual(plain.kept?.model.norms);
    expect(early.kept?.model.norms === undefined).toBe(config === normed ? false : true);
    expect(early.testLoss).toBe(plain.testLoss);
    expect(early.testAcc).toBe(plain.testAcc);
  },
);
