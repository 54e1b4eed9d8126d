import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import { planRun, WASM_COMPACT_FROM_UNITS } from '../../../../src/ml/train/plan';
import { trainRun } from '../../../../src/ml/train';
import { loadMnist } from '../../helpers';

// Compaction (multiplying only the input columns a batch uses) is a matter of speed only: on WASM
// a narrow first layer multiplies every column, which is faster there, and gives the same numbers.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);
const data = { train: loadMnist('train', 1000), test: loadMnist('t10k', 300) };
const config = (units: number[]): TrainConfig => ({
  ...DEFAULT_CONFIG,
  layers: units.map((u) => ({ units: u, activation: 'sigmoid' })),
  subset: 1000,
  epochs: 2,
});

describe('which runs multiply only the columns a batch uses', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test('on WASM only a first layer of 128 units or more; on the CPU every plain run', async () => {
    expect(WASM_COMPACT_FROM_UNITS).toBe(128);
    const compacts = (units: number[]) => planRun(data, config(units), {}).compact;
    expect(await tf.setBackend('wasm')).toBe(true);
    expect([[], [32], [127, 500], [128], [2048]].map(compacts)).toEqual([false, false, false, true, true]);
    expect(await tf.setBackend('cpu')).toBe(true);
    expect([[], [32], [128]].map(compacts)).toEqual([true, true, true]);
  });

  test.each([[[128]], [[200, 37]]])('on WASM, %j gives the same numbers to the last bit either way', async (units) => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const never = new AbortController().signal;
    const numbers = async (compactColumns: boolean) => {
      const out = await trainRun(data, { ...config(units), seed: 4 }, {}, never, { compactColumns });
      return [...out.epochs.map((e) => [e.loss, e.acc, e.valLoss, e.valAcc]), [out.testLoss, out.testAcc]];
    };
    expect(await numbers(true)).toEqual(await numbers(false));
  });
});
