import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../src/core/dataset/dataset';
import { DEFAULT_CONFIG, INPUT_SIZE, type TrainConfig } from '../../../src/core/network/spec';
import { sliceRows } from '../../../src/ml/kernels/wasmKernels';
import { trainRun, type RunOutcome } from '../../../src/ml/train';
import { loadMnist } from '../helpers';

// Issue 23: an experiment queue trains its side worker's runs quiet (no layer health, weight tiles
// or drawn digit) and the page's run with them. Measuring must not change what a run learns: the
// same run, quiet or measured, gives the same epochs to the last bit, on the CPU and on WASM.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

let data: TrainData;
beforeAll(() => {
  data = { train: loadMnist('train', 3000), test: loadMnist('t10k', 1000) };
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

// Odd widths, a validation split, two epochs.
const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [
    { units: 37, activation: 'sigmoid' },
    { units: 19, activation: 'relu' },
  ],
  subset: 3000,
  epochs: 2,
  seed: 5,
};
const never = new AbortController().signal;
const probe = new Float32Array(INPUT_SIZE).fill(0.5);
const epochsOf = (o: RunOutcome) => o.epochs.map(({ seconds: _s, ...e }) => e);

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  test('a quiet run learns exactly what the same run learns with layer health, weight tiles and a probe every read-back', async () => {
    await tf.setBackend(backend);
    let samples = 0;
    const measured = await trainRun(data, { ...config, backend }, { onSample: () => void samples++ }, never, {
      health: true,
      healthMinMs: 0,
      healthEvery: 1,
      extras: () => ({ tiles: true, probe }),
    });
    const quiet = await trainRun(data, { ...config, backend }, {}, never);
    expect(samples).toBeGreaterThan(4);
    expect(epochsOf(quiet)).toEqual(epochsOf(measured));
    expect([quiet.testLoss, quiet.testAcc]).toEqual([measured.testLoss, measured.testAcc]);
  });

  test('sliceRows copies rows [start, start + size) of a float32 matrix and an int32 vector', async () => {
    await tf.setBackend(backend);
    const m = tf.tensor2d(
      Float32Array.from({ length: 60 }, (_, i) => i * 0.5),
      [12, 5],
    );
    const v = tf.tensor1d(
      Int32Array.from({ length: 12 }, (_, i) => 100 + i),
      'int32',
    );
    expect(Array.from(sliceRows(m, 3, 4).dataSync())).toEqual(Array.from({ length: 20 }, (_, i) => (15 + i) * 0.5));
    expect(sliceRows(m, 3, 4).shape).toEqual([4, 5]);
    expect(Array.from(sliceRows(v, 10, 2).dataSync())).toEqual([110, 111]);
    tf.dispose([m, v]);
  });
});
