import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mulberry32 } from '../../../../src/core/network/rng';
import { ownProducts, useOwnProducts, wasmGemm } from '../../../../src/ml/kernels/gemm/wasmGemm';
import { OPS_KERNELS, WASM_KERNELS } from '../../../../src/ml/kernels/opsKernels';
import { ACTIVATIONS } from '../../../../src/core/network/spec';

// Our products on the WASM backend (ml/kernels/gemm) sum as XNNPACK sums: from the bias, over k in
// order, each product rounded. So a run trains to the same bits with either, and the recorded
// runs (tests/truth) and the numbers a link gives stay what they were.
setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

const random = (shape: [number, number], seed: number) => {
  const rng = mulberry32(seed);
  return tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => rng() * 2 - 1),
    shape,
  );
};

describe('our WASM products give XNNPACK’s results to the last bit', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    useOwnProducts(true);
    await tf.setBackend('cpu');
  });

  test('they run on the WASM backend, and not once turned off', () => {
    expect(ownProducts()).toBe(true);
    useOwnProducts(false);
    expect(ownProducts()).toBe(false);
    useOwnProducts(true);
  });

  // The step's shapes: x·W + b (the article's first layer, compacted to 651 columns; odd widths),
  // xᵀ·dz and dz·Wᵀ, and the logits.
  test.each([
    [128, 651, 32],
    [128, 784, 512],
    [37, 19, 11],
    [128, 32, 10],
    [112, 784, 2048],
  ])('%i×%i · %i×…: forward with a bias, and both transposed products', (m, k, n) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = random([m, k], m + k);
      const w = random([k, n], k + n);
      const b = tf.tensor1d(random([1, n], n).dataSync());
      const dz = random([m, n], m * n);
      const pairs: [tf.Tensor, tf.Tensor][] = [
        [wasmGemm(x, w, false, false, b), tf.fused.matMul({ a: x, b: w, bias: b })],
        [wasmGemm(x, dz, true, false), tf.matMul(tf.transpose(x), dz)],
        [wasmGemm(dz, w, false, true), tf.matMul(dz, tf.transpose(w))],
      ];
      for (const [ours, theirs] of pairs) {
        expect(ours.shape).toEqual(theirs.shape);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
      }
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  // The step's other uses: a Dense layer (our product, then the activation) against TensorFlow.js's
  // fused product with it, and the bias gradients (a row of ones times dz) against tf.sum.
  test.each(ACTIVATIONS)('a Dense layer with %s, and the bias gradients', (activation) => {
    tf.tidy(() => {
      const x = random([128, 300], 1);
      const w = random([300, 64], 2);
      const b = tf.tensor1d(random([1, 64], 3).dataSync());
      const ours = WASM_KERNELS.dense(x, w, b, activation);
      const theirs = OPS_KERNELS.dense(x, w, b, activation);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
      const dz = random([128, 64], 4);
      expect(Array.from(WASM_KERNELS.columnSums(dz).dataSync())).toEqual(Array.from(tf.sum(dz, 0).dataSync()));
    });
  });

  // A group of products (ml/group: K networks in one step): [K, ., .] operands, a bias [K, n], each
  // product the one of its slices, to the last bit.
  test('rank 3: each of K products is the product of its slices, with or without a bias and transposes', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [K, m, k, n] = [3, 37, 45, 19];
      const stack = (shape: [number, number], seed: number) =>
        tf.stack(Array.from({ length: K }, (_, i) => random(shape, seed + i)));
      const a = stack([m, k], 10);
      const aT = stack([k, m], 20);
      const b = stack([k, n], 30);
      const bT = stack([n, k], 40);
      const bias = stack([1, n], 50).reshape([K, n]);
      const slice = (t: tf.Tensor, i: number) => tf.squeeze(tf.slice(t, [i], [1]), [0]);
      const cases: [tf.Tensor, (i: number) => tf.Tensor][] = [
        [wasmGemm(a, b, false, false, bias), (i) => wasmGemm(slice(a, i), slice(b, i), false, false, slice(bias, i))],
        [wasmGemm(aT, b, true, false), (i) => wasmGemm(slice(aT, i), slice(b, i), true, false)],
        [wasmGemm(a, bT, false, true), (i) => wasmGemm(slice(a, i), slice(bT, i), false, true)],
      ];
      // Operands that are not one group are refused, not read past their end.
      expect(() => wasmGemm(a, random([k, n], 60), false, false)).toThrow('not one group');
      expect(() => wasmGemm(a, stack([k, n], 30).slice([0], [2]), false, false)).toThrow('not one group');
      expect(() => wasmGemm(a, b, false, false, tf.zeros([n]))).toThrow('a bias of [19]');
      for (const [grouped, one] of cases) {
        expect(grouped.shape).toEqual([K, m, n]);
        for (let i = 0; i < K; i++)
          expect(Array.from(slice(grouped, i).dataSync())).toEqual(Array.from(one(i).dataSync()));
      }
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
