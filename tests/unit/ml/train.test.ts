import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { DivergedError, trainRun, type EpochLog } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// The CPU backend in Node: the same loop the worker runs, on the first 2,000 real MNIST images.
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 2000), test: loadMnist('t10k', 500) };
});

const quick: TrainConfig = { ...DEFAULT_CONFIG, subset: 2000, epochs: 3, seed: 7 };
const never = new AbortController().signal;
const withoutTime = (epochs: readonly EpochLog[]) => epochs.map(({ seconds: _s, ...rest }) => rest);

describe('training on the CPU backend', () => {
  test('a short run of the article network learns, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const out = await trainRun(data, quick, { onProgress: (p) => progress.push(p.batch) }, never);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.status).toBe('done');
    expect(out).toMatchObject({ trainCount: 1800, valCount: 200, params: 25450 });
    expect(out.epochs).toHaveLength(3);
    const [first, , last] = out.epochs as [EpochLog, EpochLog, EpochLog];
    expect(last.loss).toBeLessThan(first.loss);
    expect(last.valAcc).toBeGreaterThan(first.valAcc ?? 1);
    expect(out.testAcc).toBeGreaterThan(0.3); // chance is 0.1
    expect(progress).toContain(15); // 15 batches of 128 (the last of 8) per epoch
  });

  test('the same seed gives the same epoch log; another seed does not', async () => {
    const a = await trainRun(data, { ...quick, epochs: 2 }, {}, never);
    const b = await trainRun(data, { ...quick, epochs: 2 }, {}, never);
    const c = await trainRun(data, { ...quick, epochs: 2, seed: 8 }, {}, never);
    expect(withoutTime(b.epochs)).toEqual(withoutTime(a.epochs));
    expect(b.testAcc).toBe(a.testAcc);
    expect(withoutTime(c.epochs)).not.toEqual(withoutTime(a.epochs));
  });

  test('multiplying only the used columns learns the same as multiplying all of them', async () => {
    // Scaled inputs: with raw 0..255 inputs the saturated sigmoids turn float rounding
    // differences (the CPU kernel sums in blocks) into different runs.
    const config = { ...quick, epochs: 2, preprocessing: 'scaled' as const, learningRate: 0.5 };
    const compact = await trainRun(data, config, {}, never, { compactColumns: true });
    const dense = await trainRun(data, config, {}, never, { compactColumns: false });
    compact.epochs.forEach((e, i) => {
      const d = dense.epochs[i] as EpochLog;
      expect(e.loss).toBeCloseTo(d.loss, 4);
      expect(e.valLoss ?? NaN).toBeCloseTo(d.valLoss ?? NaN, 4);
    });
    expect(compact.testAcc).toBeGreaterThan(0.3);
  });

  test('stop in the middle of an epoch ends the run before the next batch, without leaks', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let batchesAfterStop = 0;
    let stopped = false;
    const out = await trainRun(
      data,
      quick,
      {
        onProgress: (p) => {
          if (stopped) batchesAfterStop++;
          if (p.epoch === 2 && p.batch >= 5 && !stopped) {
            stopped = true;
            controller.abort();
          }
        },
      },
      controller.signal,
      { readEvery: 1 },
    );
    expect(out.status).toBe('stopped');
    expect(out.epochs).toHaveLength(1);
    expect(out.testAcc).toBeNull();
    expect(batchesAfterStop).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a diverging run stops with a message about the learning rate, without leaks', async () => {
    const before = tf.memory().numTensors;
    // Keras's clipped cross-entropy stops the gradient of confidently wrong samples, so a merely
    // high learning rate gets stuck near loss 14.5 rather than NaN; an infinite one overflows.
    const config: TrainConfig = { ...quick, learningRate: Infinity };
    await expect(trainRun(data, config, {}, never, { readEvery: 1 })).rejects.toThrow(DivergedError);
    await expect(trainRun(data, config, {}, never, { readEvery: 1 })).rejects.toThrow(/diverged.*lower learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a run that fails in a callback frees its tensors too', async () => {
    const before = tf.memory().numTensors;
    const failing = trainRun(
      data,
      quick,
      {
        onEpoch: () => {
          throw new Error('boom');
        },
      },
      never,
    );
    await expect(failing).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });

  test('every optimizer and activation trains without leaking', async () => {
    const before = tf.memory().numTensors;
    for (const optimizer of ['momentum', 'adam', 'rmsprop'] as const) {
      const out = await trainRun(
        data,
        {
          ...quick,
          epochs: 1,
          optimizer,
          learningRate: optimizer === 'momentum' ? 0.01 : 0.001,
          preprocessing: 'scaled',
          layers: [
            { units: 16, activation: 'relu' },
            { units: 16, activation: 'tanh' },
            { units: 8, activation: 'linear' },
          ],
        },
        {},
        never,
      );
      expect(out.epochs[0]?.valAcc).toBeGreaterThan(0.2);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
