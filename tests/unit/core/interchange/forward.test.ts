import { describe, expect, test } from 'vitest';
import { evaluation, forwardCost, forwardOne } from '../../../../src/core/interchange/forward';
import type { TrainedModel } from '../../../../src/core/runs/model';

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

describe('the forward pass on plain arrays', () => {
  test('applies the bias, the activation and softmax', () => {
    const x = new Float32Array(784);
    x[0] = 1;
    const p = forwardOne(tiny('scaled'), x);
    // Logits: class 3 gets 10, the others 0 (unit 1 is relu(-0.5) = 0).
    const e = Math.exp(10);
    expect(p[3]).toBeCloseTo(e / (e + 9), 6);
    expect(p[0]).toBeCloseTo(1 / (e + 9), 6);
    expect(forwardCost(tiny('raw'))).toBe(784 * 2 + 2 * 10);
  });

  test("evaluates a test set as Keras's evaluate does: accuracy, clipped cross-entropy, predictions", () => {
    const images = new Uint8Array(3 * 784);
    images[0] = 255; // image 0: pixel 0 -> class 3
    images[784 + 1] = 255; // image 1: pixel 1 -> class 7
    // image 2 blank: every class equal, argmax is class 0
    const labels = new Uint8Array([3, 7, 5]);
    const ev = evaluation(tiny('scaled'), images, labels);
    expect(ev.step(2)).toBeNull();
    expect(ev.done).toBe(2);
    const r = ev.step(2);
    if (!r) throw new Error('not finished');
    expect(r.acc).toBeCloseTo(2 / 3, 12);
    expect(Array.from(r.test.preds)).toEqual([3, 7, 0]);
    const e = Math.exp(10);
    const p7 = Math.exp(5) / (Math.exp(5) + 9); // unit 1 is relu(1 - 0.5)
    expect(r.loss).toBeCloseTo((-Math.log(e / (e + 9)) - Math.log(p7) - Math.log(0.1)) / 3, 5);
    expect(r.test.probs[2]).toBeCloseTo(0.1, 6);
    // Raw inputs are not divided by 255: pixel 0 at 255 gives a logit of 2550, probability 1.
    const raw = evaluation(tiny('raw'), images, labels).step(3);
    expect(raw?.test.probs[0]).toBe(1);
  });
});
