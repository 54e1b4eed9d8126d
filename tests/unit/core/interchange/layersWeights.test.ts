import { describe, expect, test } from 'vitest';
import { layerWeights, type Entry } from '../../../../src/core/interchange/layersWeights';
import type { DenseSpec } from '../../../../src/core/interchange/layersModelJson';

const spec = (name: string, inputs: number, units: number, useBias: boolean, norm: string | null): DenseSpec => ({
  name,
  units,
  inputs,
  activation: 'linear',
  useBias,
  dropout: 0,
  norm,
});
const entry = (name: string, shape: number[], first: number): Entry => ({
  spec: { name, shape },
  data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => first + i),
});
/** A hidden layer of 2 with a bias and batch normalization, then the output. */
const dense = [spec('hidden', 784, 2, true, 'norm'), spec('out', 2, 10, true, null)];

describe('weights by name, and by position in Keras order where names do not say', () => {
  test.each([
    [
      'named, frozen ones last',
      [
        'hidden/kernel',
        'hidden/bias',
        'norm/gamma',
        'norm/beta',
        'out/kernel',
        'out/bias',
        'norm/moving_mean',
        'norm/moving_variance',
      ],
    ],
    ['unnamed, in Keras order', ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']],
  ])('%s', (how, names) => {
    // Values by part: kernel 0.., bias 100, 101, gamma 200.., beta 300.., moving mean 400.., variance 500..
    const parts: Record<string, [number[], number]> = {
      'hidden/kernel': [[784, 2], 0],
      'hidden/bias': [[2], 100],
      'norm/gamma': [[2], 200],
      'norm/beta': [[2], 300],
      'norm/moving_mean': [[2], 400],
      'norm/moving_variance': [[2], 500],
      'out/kernel': [[2, 10], 600],
      'out/bias': [[10], 700],
    };
    const order = how.startsWith('named')
      ? names
      : [
          'hidden/kernel',
          'hidden/bias',
          'norm/gamma',
          'norm/beta',
          'norm/moving_mean',
          'norm/moving_variance',
          'out/kernel',
          'out/bias',
        ];
    const entries = order.map((part, i) => {
      const [shape, first] = parts[part] as [number[], number];
      return entry(names[i] as string, shape, first);
    });
    const r = layerWeights(dense, entries);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.biases.map((b) => Array.from(b.slice(0, 2)))).toEqual([
      [300, 301],
      [700, 701],
    ]);
    // The Dense bias (100, 101) folded into the moving mean (400, 401).
    expect(r.value.norms).toEqual([
      {
        gamma: new Float32Array([200, 201]),
        movingMean: new Float32Array([300, 300]),
        movingVariance: new Float32Array([500, 501]),
      },
    ]);
    expect(r.value.kernels[1]?.[0]).toBe(600);
  });

  test('without batch normalization and without a bias, the bias is zeros and the norm null', () => {
    const r = layerWeights(
      [spec('h', 784, 2, false, null), spec('o', 2, 10, true, null)],
      [entry('h/kernel', [784, 2], 0), entry('o/kernel', [2, 10], 0), entry('o/bias', [10], 0)],
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value.biases[0]).toEqual(new Float32Array(2));
    expect(r.value.norms).toEqual([null]);
  });
});
