import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { TrainedModel } from '../../../src/core/runs/model';
import { mulberry32, type Rng } from '../../../src/core/network/rng';
import type { Activation, HiddenLayer } from '../../../src/core/network/spec';
import { createPredictor } from '../../../src/ml/predictor';

// The drawn digit's forward pass on the CPU backend, against a plain-JS forward pass.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const uniform = (rng: Rng, n: number, limit: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * limit);

/** Small random weights and biases (Glorot-like range) for the layers. */
function randomModel(layers: readonly HiddenLayer[], seed: number): TrainedModel {
  const rng = mulberry32(seed);
  const widths = [784, ...layers.map((l) => l.units), 10];
  const kernels: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i] as number;
    const fanOut = widths[i + 1] as number;
    kernels.push(uniform(rng, fanIn * fanOut, Math.sqrt(6 / (fanIn + fanOut))));
    biases.push(uniform(rng, fanOut, 0.5));
  }
  return { layers, preprocessing: 'scaled', kernels, biases };
}

function randomInput(seed: number): Float32Array {
  const rng = mulberry32(seed);
  // A digit-like input: mostly paper, some ink.
  return Float32Array.from({ length: 784 }, () => (rng() < 0.8 ? 0 : rng()));
}

function activate(z: number, act: Activation): number {
  switch (act) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return Math.max(0, z);
    case 'linear':
      return z;
  }
}

/** x [in] times kernel [in, out] row-major, plus bias, in double precision. */
function affine(x: ArrayLike<number>, k: Float32Array, b: Float32Array): number[] {
  const out = b.length;
  const z = Array.from(b);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    for (let j = 0; j < out; j++) z[j] = (z[j] as number) + xi * (k[i * out + j] as number);
  }
  return z;
}

function reference(m: TrainedModel, input: Float32Array): { probs: number[]; activations: number[][] } {
  let h: number[] = Array.from(input);
  const activations: number[][] = [];
  m.layers.forEach((l, i) => {
    h = affine(h, m.kernels[i] as Float32Array, m.biases[i] as Float32Array).map((z) => activate(z, l.activation));
    activations.push(h);
  });
  const last = m.layers.length;
  const logits = affine(h, m.kernels[last] as Float32Array, m.biases[last] as Float32Array);
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return { probs: e.map((v) => v / sum), activations };
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-5): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(Math.abs((actual[i] as number) - v)).toBeLessThan(tol));
}

const NETWORKS: Record<string, HiddenLayer[]> = {
  'sigmoid then tanh': [
    { units: 5, activation: 'sigmoid' },
    { units: 3, activation: 'tanh' },
  ],
  'relu then linear': [
    { units: 7, activation: 'relu' },
    { units: 4, activation: 'linear' },
  ],
  'one wide sigmoid layer': [{ units: 32, activation: 'sigmoid' }],
  'no hidden layer': [],
};

describe('a predictor on the CPU backend', () => {
  for (const [name, layers] of Object.entries(NETWORKS)) {
    test(`${name}: probabilities and activations match a plain forward pass`, async () => {
      const m = randomModel(layers, 11 + layers.length);
      const p = createPredictor(m);
      try {
        for (const seed of [1, 2, 3]) {
          const input = randomInput(seed);
          const want = reference(m, input);
          const got = await p.predict(input);
          expect(got.probs).toBeInstanceOf(Float32Array);
          expectClose(got.probs, want.probs);
          expect(got.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          expect(got.activations).toHaveLength(layers.length);
          got.activations.forEach((a, i) => expectClose(a, want.activations[i] as number[]));
        }
      } finally {
        p.dispose();
      }
    });
  }

  test('the reference is not trivial: inputs give different, non-uniform probabilities, and relu zeroes some units', async () => {
    const m = randomModel(NETWORKS['relu then linear'] as HiddenLayer[], 5);
    const p = createPredictor(m);
    const a = await p.predict(randomInput(1));
    const b = await p.predict(randomInput(2));
    p.dispose();
    expect(Math.max(...a.probs) - Math.min(...a.probs)).toBeGreaterThan(0.01);
    expect(Array.from(a.probs)).not.toEqual(Array.from(b.probs));
    const relu = [...(a.activations[0] ?? []), ...(b.activations[0] ?? [])];
    expect(relu.some((v) => v === 0)).toBe(true);
    expect(relu.some((v) => v > 0)).toBe(true);
  });

  test('the synchronous read-back gives the same numbers', async () => {
    const m = randomModel(NETWORKS['sigmoid then tanh'] as HiddenLayer[], 3);
    const asyncP = createPredictor(m);
    const syncP = createPredictor(m, true);
    const input = randomInput(9);
    const a = await asyncP.predict(input);
    const b = await syncP.predict(input);
    asyncP.dispose();
    syncP.dispose();
    expect(Array.from(b.probs)).toEqual(Array.from(a.probs));
    expect(b.activations.map((x) => Array.from(x))).toEqual(a.activations.map((x) => Array.from(x)));
    expectClose(b.probs, reference(m, input).probs);
  });

  test('raw 0..255 inputs are used as given (not rescaled)', async () => {
    const m = randomModel([{ units: 6, activation: 'tanh' }], 21);
    // Weights sized for raw inputs, so the network is not saturated.
    const raw: TrainedModel = {
      ...m,
      preprocessing: 'raw',
      kernels: m.kernels.map((k, i) => (i === 0 ? k.map((w) => w / 255) : k)),
    };
    const p = createPredictor(raw);
    const input = randomInput(4).map((v) => Math.round(v * 255));
    const got = await p.predict(input);
    p.dispose();
    expectClose(got.probs, reference(raw, input).probs);
    expectClose(got.activations[0] as Float32Array, reference(raw, input).activations[0] as number[]);
  });

  test('holds only its weights: no tensor is left behind by 100 predictions, and dispose frees them all', async () => {
    const before = tf.memory().numTensors;
    const m = randomModel(NETWORKS['sigmoid then tanh'] as HiddenLayer[], 8);
    const p = createPredictor(m);
    expect(p.heldTensors).toBe(6); // three kernels and three biases
    const held = tf.memory().numTensors;
    expect(held).toBe(before + p.heldTensors);
    const input = randomInput(5);
    for (let i = 0; i < 100; i++) {
      input[i * 7] = i / 100;
      await p.predict(input);
    }
    expect(tf.memory().numTensors).toBe(held);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('after dispose a prediction is refused', async () => {
    const p = createPredictor(randomModel([], 1));
    await p.predict(randomInput(1));
    p.dispose();
    await expect(p.predict(randomInput(1))).rejects.toThrow(/disposed/);
  });

  test('an input of the wrong length is refused, without leaking', async () => {
    const before = tf.memory().numTensors;
    const p = createPredictor(randomModel([{ units: 4, activation: 'relu' }], 2));
    await expect(p.predict(new Float32Array(783))).rejects.toThrow(/783 inputs, expected 784/);
    await expect(p.predict(new Float32Array(28 * 28 * 4))).rejects.toThrow(/3136 inputs/);
    await expect(p.predict(new Float32Array(0))).rejects.toThrow(/0 inputs/);
    expect((await p.predict(new Float32Array(784))).probs).toHaveLength(10);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a model whose arrays do not fit its layers is refused at creation, holding nothing', () => {
    const before = tf.memory().numTensors;
    const m = randomModel([{ units: 5, activation: 'sigmoid' }], 4);
    expect(() => createPredictor({ ...m, layers: [{ units: 6, activation: 'sigmoid' }] })).toThrow(
      /kernel 1 has the wrong size/,
    );
    expect(() => createPredictor({ ...m, layers: [] })).toThrow(/wrong number of layers/);
    expect(() => createPredictor({ ...m, biases: [new Float32Array(5), new Float32Array(9)] })).toThrow(/bias 2/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** 784 -> 2 relu -> 10: hidden unit 0 sums the first pixel, unit 1 the second; class c reads them. */
function tiny(preprocessing: 'raw' | 'scaled'): TrainedModel {
  const k1 = new Float32Array(784 * 2);
  k1[0 * 2 + 0] = 1;
  k1[1 * 2 + 1] = 1;
  const k2 = new Float32Array(2 * 10);
  k2[0 * 10 + 3] = 10; // pixel 0 lit -> class 3
  k2[1 * 10 + 7] = 10; // pixel 1 lit -> class 7
  return {
    layers: [{ units: 2, activation: 'relu' }],
    preprocessing,
    kernels: [k1, k2],
    biases: [new Float32Array([0, -0.5]), new Float32Array(10)],
  };
}

// An imported model is tested in the worker with the predictor that reads drawings.
describe("a predictor's test on labelled images", () => {
  // Image 0: pixel 0 -> class 3; image 1: pixel 1 -> class 7; image 2 blank: all classes equal, argmax 0.
  const images = new Uint8Array(3 * 784);
  images[0] = 255;
  images[784 + 1] = 255;
  const labels = new Uint8Array([3, 7, 5]);

  test("gives Keras's evaluate: accuracy, clipped cross-entropy, each image's class and probability, in chunks", async () => {
    const p = createPredictor(tiny('scaled'), true);
    const steps: number[] = [];
    const r = await p.test(images, labels, 1 / 255, (done) => void steps.push(done), 2);
    expect(steps).toEqual([2, 3]);
    expect(r.acc).toBeCloseTo(2 / 3, 12);
    expect(Array.from(r.test.preds)).toEqual([3, 7, 0]);
    expect(Array.from(r.test.labels)).toEqual([3, 7, 5]);
    const e = Math.exp(10);
    const p7 = Math.exp(5) / (Math.exp(5) + 9); // unit 1 is relu(1 - 0.5)
    expect(r.loss).toBeCloseTo((-Math.log(e / (e + 9)) - Math.log(p7) - Math.log(0.1)) / 3, 5);
    expect(r.test.probs[2]).toBeCloseTo(0.1, 6);
    p.dispose();
  });

  test('a model trained on the squared error reports the squared error (as Keras evaluates it)', async () => {
    const p = createPredictor({ ...tiny('scaled'), loss: 'mse' }, true);
    const r = await p.test(images, labels, 1 / 255);
    const e = Math.exp(10);
    const p7 = Math.exp(5) / (Math.exp(5) + 9);
    // Image 0: class 3 at e/(e+9), the others 1/(e+9); image 1 likewise with p7; image 2: every class 0.1, label 5.
    const sq = (top: number, rest: number) => ((1 - top) ** 2 + 9 * rest ** 2) / 10;
    expect(r.loss).toBeCloseTo((sq(e / (e + 9), 1 / (e + 9)) + sq(p7, (1 - p7) / 9) + 0.09) / 3, 6);
    expect(r.acc).toBeCloseTo(2 / 3, 12);
    p.dispose();
  });

  test('raw inputs are not divided by 255, and a certain wrong answer costs -log(1e-7), not infinity', async () => {
    const p = createPredictor(tiny('raw'), true);
    // Pixel 0 at 255 gives a logit of 2550: probability 1 for class 3; label it 4 instead.
    const r = await p.test(images.slice(0, 784), new Uint8Array([4]), 1);
    expect(r.test.probs[0]).toBe(1);
    expect(r.acc).toBe(0);
    expect(r.loss).toBeCloseTo(-Math.log(1e-7), 3);
    p.dispose();
  });

  test('leaves no tensor behind, and refuses images that do not match the labels', async () => {
    const before = tf.memory().numTensors;
    const p = createPredictor(tiny('scaled'));
    await p.test(images, labels, 1 / 255, undefined, 1);
    expect(tf.memory().numTensors).toBe(before + p.heldTensors);
    await expect(p.test(images, new Uint8Array([1]), 1)).rejects.toThrow(/2352 bytes for 1 images/);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
