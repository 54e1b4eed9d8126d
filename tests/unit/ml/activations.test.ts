import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { ACTIVATION_INFO } from '../../../src/core/network/activations';
import { ACTIVATIONS } from '../../../src/core/network/spec';
import { ACTIVATION_FORMS } from '../../../src/ml/activations';

// One table entry per activation holds all of its forms; each form is checked against an
// independent one: TensorFlow.js's own activation ops and their autodiff.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const plain: Record<string, (z: tf.Tensor) => tf.Tensor> = {
  sigmoid: tf.sigmoid,
  relu: tf.relu,
  tanh: tf.tanh,
  linear: (z) => z,
};

describe.each(ACTIVATIONS)('%s', (act) => {
  const forms = ACTIVATION_FORMS[act];
  const x = tf.randomNormal([16, 12], 0, 3, 'float32', 1);
  const w = tf.randomNormal([12, 7], 0, 1, 'float32', 2);
  const b = tf.randomNormal([7], 0, 1, 'float32', 3);

  test("it extends core's entry of the activation (names, range, formula)", () => {
    expect(forms).toMatchObject(ACTIVATION_INFO[act]);
  });

  test('the dense layer is act(x·w + b)', () => {
    const got = forms.dense(x, w, b);
    const want = plain[act]!(tf.add(tf.matMul(x, w), b));
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
  });

  test('its derivative, written in terms of the output, is what autodiff finds', () => {
    const z = tf.add(tf.matMul(x, w), b);
    const h = plain[act]!(z);
    const dh = tf.randomNormal(h.shape, 0, 1, 'float32', 4);
    const want = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(plain[act]!(t), dh)))(z);
    expect(tf.max(tf.abs(tf.sub(forms.gradient(h, dh), want))).dataSync()[0]).toBeLessThan(1e-5);
  });

  test('the GLSL form computes the same numbers (read as JavaScript: step and sign as GLSL defines them)', () => {
    const js = forms.glslGradient.replace(/step\(0\.0, h\)/g, '(h >= 0 ? 1 : 0)').replace(/sign\(h\)/g, 'Math.sign(h)');
    const glsl = new Function('h', 'd', `return ${js};`) as (h: number, d: number) => number;
    const h = plain[act]!(tf.tensor1d([-2, -0.5, 0, 0.3, 0.9, 4]));
    const dh = tf.tensor1d([0.7, -1.3, 2, 0.5, -0.25, 1.5]);
    const want = Array.from(forms.gradient(h, dh).dataSync());
    const [hs, ds] = [Array.from(h.dataSync()), Array.from(dh.dataSync())];
    hs.forEach((v, i) => expect(glsl(v, ds[i] as number)).toBeCloseTo(want[i] as number, 6));
  });

  test('the share of saturated or dead outputs', () => {
    const h = plain[act]!(
      tf.tensor2d([
        [-50, 0, 50],
        [-50, 0.01, 50],
      ]),
    );
    const share = forms.share(h).dataSync()[0];
    const expected = { sigmoid: 4 / 6, tanh: 4 / 6, relu: 1 / 3, linear: 0 }[act];
    expect(share).toBeCloseTo(expected, 5);
  });
});
