import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import {
  centredLoss,
  finderRate,
  RATE_FINDER,
  suggestRate,
  type FinderPoint,
} from '../../../src/core/network/rateFinder';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/network/spec';
import { createDeviceData } from '../../../src/ml/deviceData';
import { findRate } from '../../../src/ml/rateFinder';
import { Stepper } from '../../../src/ml/stepper';
import { loadMnist } from '../helpers';

// The rate finder trains the run's own network (its first batch is the run's first batch, from the
// same initial weights), at the finder's rising rates, stops when the loss blows up, and leaves no
// tensor behind. On real MNIST (CPU).
let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  data = { train: loadMnist('train', 3000), test: loadMnist('t10k', 20) };
});

const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 32, activation: 'relu' }],
  preprocessing: 'scaled',
  optimizer: 'adam',
  learningRate: 0.001,
  subset: 3000,
  seed: 5,
};

test('the finder trains the run’s network at rising rates, stops when the loss blows up, and frees what it made', async () => {
  const device = createDeviceData();
  const before = tf.memory().numTensors;
  const seen: [FinderPoint, number][] = [];
  const points = await findRate(data, config, device, (p, i) => seen.push([p, i]));
  // The images stay in the upload cache; nothing else is left.
  device.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(seen.map(([p]) => p)).toEqual(points);
  expect(seen.map(([, i]) => i)).toEqual(points.map((_, i) => i));
  points.forEach((p, i) => expect(p.rate).toBe(finderRate(i)));
  // It ran every batch, or stopped at the first whose moving average passed 4 times its lowest.
  const lowestSmooth = Math.min(...points.map((p) => p.smooth));
  const stoppedEarly = points.length < RATE_FINDER.steps;
  expect(points.slice(0, -1).every((p) => p.smooth <= 4 * lowestSmooth)).toBe(true);
  if (stoppedEarly) expect(points.at(-1)?.smooth).toBeGreaterThan(4 * lowestSmooth);
  // The loss falls, then rises again at the largest rates (Adam at 10 makes a mess).
  const centred = centredLoss(points);
  const low = centred.indexOf(Math.min(...centred));
  expect(centred[low]).toBeLessThan(0.5 * (centred[0] as number));
  expect(points[low]?.rate).toBeGreaterThan(1e-3);
  expect(centred.at(-1)).toBeGreaterThan(2 * (centred[low] as number));
  // Its first batch is the run's first batch: the same loss before the update.
  const device2 = createDeviceData();
  const stepper = new Stepper(data, config, device2);
  const first = await stepper.trainAt(config.learningRate);
  stepper.dispose();
  device2.dispose();
  expect(points[0]?.loss).toBe(first);
  // At 1e-7 nothing moves; the loss falls somewhere between; Adam's suggestion is an ordinary rate.
  const s = suggestRate(points);
  expect(s?.rate).toBeGreaterThan(1e-4);
  expect(s?.rate).toBeLessThan(0.1);
});

test('a run starting in the worker stops the finder between batches, saying so, with nothing left behind', async () => {
  const device = createDeviceData();
  const before = tf.memory().numTensors;
  let batches = 0;
  const find = findRate(
    data,
    config,
    device,
    () => batches++,
    () => (batches >= 3 ? 'a run started' : null),
  );
  await expect(find).rejects.toThrow('a run started, so the rate finder stopped after 3 batches');
  device.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
