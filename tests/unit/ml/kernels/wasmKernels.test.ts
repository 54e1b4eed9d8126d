import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TrainData } from '../../../../src/core/dataset/dataset';
import {
  DEFAULT_CONFIG,
  type HiddenLayer,
  type OptimizerName,
  type TrainConfig,
} from '../../../../src/core/network/spec';
import { mulberry32 } from '../../../../src/core/network/rng';
import { kernelsFor } from '../../../../src/ml/kernels/kernels';
import { ownProducts, useOwnProducts } from '../../../../src/ml/kernels/gemm/wasmGemm';
import type { Kernels } from '../../../../src/ml/kernels/types';
import { trainRun } from '../../../../src/ml/train';
import { loadMnist } from '../../helpers';

// The WASM backend's row gathers are kernels of ours (ml/kernels/wasmKernels.ts: TensorFlow.js's own took
// 90 % of a step). They must give what tf.gather gives on the CPU backend, and a run that uses
// them must learn what the same run learns on the CPU: with the products by our module
// (ml/kernels/gemm) and with XNNPACK's.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1);
}

function randomIndices(count: number, below: number, seed: number): Int32Array {
  const rng = mulberry32(seed);
  return Int32Array.from({ length: count }, () => Math.floor(rng() * below));
}

/** Runs `f` with the named backend's kernels; returns its result's values. */
async function on(
  backend: 'cpu' | 'wasm',
  f: (k: Kernels) => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  expect(await tf.setBackend(backend)).toBe(true);
  const before = tf.memory().numTensors;
  const k = kernelsFor(backend);
  expect(k.name).toBe(backend === 'cpu' ? 'ops' : 'wasm');
  const out = tf.tidy(() => f(k));
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { values, shape };
}

describe('the WASM row kernels give what tf.gather gives', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  const a = randomMatrix(786, 37, 1);
  const base = randomMatrix(786, 37, 2);
  // Some rows unused (inv = used), the others in a shuffled order, as core/dataset/columns.ts makes them.
  const used = 500;
  const inv = Int32Array.from(randomIndices(786, used + 120, 3), (v) => Math.min(v, used));
  const compact = randomMatrix(used, 37, 4);
  const rows = randomIndices(129, 786, 5);
  const cols = randomIndices(301, 37, 6);

  test.each<[string, (k: Kernels) => tf.Tensor]>([
    ['gatherRows', (k) => k.gatherRows(tf.tensor2d(a, [786, 37]), tf.tensor1d(rows, 'int32'))],
    ['expandRows', (k) => k.expandRows(tf.tensor2d(compact, [used, 37]), tf.tensor1d(inv, 'int32'))],
    [
      'addExpandedRows',
      (k) =>
        k.addExpandedRows(tf.tensor2d(base, [786, 37]), tf.tensor2d(compact, [used, 37]), tf.tensor1d(inv, 'int32')),
    ],
    [
      'gatherBatch',
      (k) => k.gatherBatch(tf.tensor2d(a, [786, 37]), tf.tensor1d(rows, 'int32'), tf.tensor1d(cols, 'int32')),
    ],
  ])('%s', async (_, f) => {
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
  });

  test('an output that grows the WASM heap is still read from the right place', async () => {
    // 64 MB out of a 4 MB input: allocating the output grows the heap, which detaches older views.
    const big = randomMatrix(1000, 1000, 7);
    const many = randomIndices(16_000, 1000, 8);
    const f = (k: Kernels) => k.gatherRows(tf.tensor2d(big, [1000, 1000]), tf.tensor1d(many, 'int32'));
    const wasm = await on('wasm', f);
    for (const i of [0, 7_999, 15_999]) {
      const r = many[i] as number;
      expect(wasm.values.subarray(i * 1000, i * 1000 + 1000)).toEqual(big.subarray(r * 1000, r * 1000 + 1000));
    }
  });
});

describe('a run on WASM with compacted columns learns what the same run learns on the CPU', () => {
  let data: TrainData;
  beforeAll(() => {
    data = { train: loadMnist('train', 1000), test: loadMnist('t10k', 300) };
  });
  afterAll(async () => {
    useOwnProducts(true);
    await tf.setBackend('cpu');
  });
  const never = new AbortController().signal;
  // Plain SGD adds the compact gradient into the kernel's rows; the others expand it first. On WASM
  // only a first layer of 128 units or more is compacted (train/plan.ts), so these are that wide; with
  // no hidden layer the run multiplies every column on WASM and is compacted on the CPU.
  const CASES: [OptimizerName, HiddenLayer[]][] = [
    [
      'sgd',
      [
        { units: 128, activation: 'relu' },
        { units: 15, activation: 'sigmoid' },
      ],
    ],
    [
      'momentum',
      [
        { units: 128, activation: 'relu' },
        { units: 15, activation: 'sigmoid' },
      ],
    ],
    [
      'adam',
      [
        { units: 128, activation: 'relu' },
        { units: 15, activation: 'sigmoid' },
      ],
    ],
    ['sgd', []],
  ];
  test.each<[OptimizerName, HiddenLayer[], 'ours' | 'XNNPACK']>(
    CASES.flatMap(([o, l]) => [[o, l, 'ours'] as const, [o, l, 'XNNPACK'] as const]),
  )('%s, %j, products by %s', async (optimizer, layers, products) => {
    const config: TrainConfig = {
      ...DEFAULT_CONFIG,
      layers,
      optimizer,
      learningRate: { sgd: 0.1, momentum: 0.1, adam: 0.01, rmsprop: 0.001 }[optimizer],
      preprocessing: 'scaled',
      subset: 1000,
      epochs: 3,
      seed: 3,
    };
    const run = async (backend: 'cpu' | 'wasm') => {
      expect(await tf.setBackend(backend)).toBe(true);
      useOwnProducts(products === 'ours');
      if (backend === 'wasm') expect(ownProducts()).toBe(products === 'ours');
      const before = tf.memory().numTensors;
      const out = await trainRun(data, config, {}, never, { compactColumns: true });
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm.epochs).toHaveLength(3);
    wasm.epochs.forEach((e, i) => {
      const c = cpu.epochs[i];
      expect(e.loss).toBeCloseTo(c?.loss ?? NaN, 4);
      expect(e.valLoss ?? NaN).toBeCloseTo(c?.valLoss ?? NaN, 4);
    });
    expect(wasm.testAcc ?? NaN).toBeCloseTo(cpu.testAcc ?? NaN, 2);
    // And it learned (chance is 0.1; 21 steps of plain SGD reach about 0.3).
    expect(wasm.testAcc).toBeGreaterThan(0.2);
  });

  // TensorFlow.js's WASM clip maps NaN to its lower bound: the loss head keeps the NaN itself
  // (opsKernels.ts, withNaN). Before, this run finished "done" with a loss of 16.118 and NaN weights.
  test('a run whose weights overflow is caught as diverged on WASM, as on the CPU', async () => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, subset: 1000, epochs: 2, learningRate: Infinity, seed: 2 };
    for (const backend of ['cpu', 'wasm'] as const) {
      expect(await tf.setBackend(backend)).toBe(true);
      const before = tf.memory().numTensors;
      await expect(trainRun(data, config, {}, never, { readEvery: 1 }), backend).rejects.toThrow(
        'Training diverged in epoch 1 near batch 2',
      );
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
