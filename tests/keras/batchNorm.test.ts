// Issue 22: batch normalization held to real Keras 3 (keras/one_step.py: Dense(use_bias=False),
// BatchNormalization() with Keras's defaults, Activation). From the lab's initial weights and the
// same batch of real MNIST images, one step of the lab's own training step (ml/stepper.ts) gives
// Keras's train_on_batch loss (the forward pass over the batch's statistics), every kernel, γ and β
// after it (the backward pass and the update) and Keras's moving mean and variance; and the lab's
// evaluation of the stepped network (the moving statistics, folded into the layer's product) gives
// Keras's evaluate(). Skipped, saying why, where Keras is not installed.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test, beforeAll } from 'vitest';
import type { HiddenLayer } from '../../src/core/network/spec';
import { createDeviceData } from '../../src/ml/deviceData';
import { Stepper } from '../../src/ml/stepper';
import { evaluate } from '../../src/ml/train/evaluate';
import { config, firstBatch, keras, kerasSteps, useStepData, type KerasStep } from './oneStep';

const data = useStepData();

const both: HiddenLayer[] = [
  { units: 24, activation: 'relu', batchNorm: true },
  { units: 12, activation: 'sigmoid', batchNorm: true },
];
type Case = readonly [
  { readonly layers: HiddenLayer[]; readonly l2?: number; readonly learningRate?: number },
  'sgd' | 'adam',
];
const CASES: readonly Case[] = [
  [{ layers: both }, 'sgd'],
  // Only the first layer normalized, with weight decay (which Keras puts on the kernels, not on γ).
  [
    {
      layers: [
        { units: 24, activation: 'tanh', batchNorm: true },
        { units: 12, activation: 'sigmoid' },
      ],
      l2: 0.01,
    },
    'adam',
  ],
  // Dropout after a normalized layer: Dense, BatchNormalization, Activation, then Dropout.
  [{ layers: [{ ...(both[0] as HiddenLayer), dropout: 0.5 }, both[1] as HiddenLayer], learningRate: 0.5 }, 'sgd'],
];

/** The stepped network's γ, β, moving mean and moving variance of hidden layer `i`. */
function labNorm(s: Stepper, i: number): number[][] {
  const norm = s.net.norms[i];
  if (!norm) throw new Error(`layer ${i + 1} has no batch normalization`);
  const read = (t: tf.Tensor | undefined) => Array.from(t?.dataSync() ?? []);
  return [read(norm.gamma), read(s.net.biases[i]), read(norm.movingMean), read(norm.movingVariance)];
}

describe.skipIf(keras.python === null)('batch normalization against real Keras 3', () => {
  let steps: KerasStep[] = [];
  beforeAll(() => {
    steps = kerasSteps(CASES.map(([c, optimizer]) => config(c, optimizer)));
  }, 300_000);
  for (const [n, [reg, optimizer]] of CASES.entries()) {
    const layers = reg.layers.map((l) => `${l.units}${l.batchNorm ? '+BN' : ''}`).join(',');
    test(`[${layers}], ${optimizer}: Keras's loss, weights, γ, β and moving statistics after one step; evaluate() over the moving statistics`, async () => {
      const c = config(reg, optimizer);
      const k = steps[n];
      if (!k) throw new Error('Keras gave no result for this case');
      const device = createDeviceData();
      const s = new Stepper(data(), c, device);
      const { x, y } = firstBatch(c);
      const xs = tf.tensor2d(x.map((row) => [...row, 0, 0]));
      const ys = tf.tensor1d(y, 'int32');
      try {
        const r = await s.step({ input: Float32Array.from(x[0] ?? []), source: { kind: 'drawn' } });
        expect(r.loss).toBeCloseTo(k.loss, 5);
        let at = 0;
        const widths = [...c.layers.map((l) => l.units), 10];
        for (const [layer, width] of widths.entries()) {
          const kernel = k.weights[at++] ?? [];
          const normed = c.layers[layer]?.batchNorm === true;
          const [gamma, beta, mean, variance] = normed ? k.weights.slice(at, (at += 4)) : [[], k.weights[at++] ?? []];
          // The raw kernel and β (the stepper's unit() folds a normalized layer for its view).
          const w = Array.from(s.net.kernels[layer]?.dataSync() ?? []);
          const b = Array.from(s.net.biases[layer]?.dataSync() ?? []);
          const rows = kernel.length / width;
          for (let i = 0; i < rows * width; i++) expect(w[i]).toBeCloseTo(kernel[i] ?? NaN, 6);
          b.forEach((v, unit) => expect(v).toBeCloseTo(beta?.[unit] ?? NaN, 6));
          if (!normed) continue;
          const lab = labNorm(s, layer);
          [gamma, beta, mean, variance].forEach((keras3, j) =>
            (lab[j] ?? []).forEach((v, unit) => expect(v).toBeCloseTo(keras3?.[unit] ?? NaN, 5)),
          );
        }
        // Inference: the moving statistics, as Keras's evaluate() uses them.
        expect((await evaluate(s.net, xs, ys, [0, y.length], undefined, false, c, c.loss)).loss).toBeCloseTo(
          k.evaluate_after,
          5,
        );
      } finally {
        s.dispose();
        device.dispose();
        tf.dispose([xs, ys]);
      }
    });
  }
});
