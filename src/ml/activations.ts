/**
 * Every form of each activation the lab trains with, in one place: the Dense layer's output (one
 * fused program where TensorFlow.js has one), its derivative written in terms of the output as
 * TensorFlow.js ops and as GLSL for the WebGL kernel (kernels/webglKernels.ts), and the share of outputs the
 * layer-health view counts as saturated or dead. A new activation is one entry here.
 */
import * as tf from '@tensorflow/tfjs';
import { SATURATION_MARGIN } from '../core/diagnosis/health';
import type { Activation } from '../core/network/spec';

export interface ActivationForms {
  /** act(x·w + b): one fused product where TensorFlow.js fuses this activation. */
  dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** dh times the derivative, in terms of the output h (both [batch, units]). */
  gradient(h: tf.Tensor, dh: tf.Tensor): tf.Tensor;
  /** The same in GLSL, over `vec4 h` and `vec4 d` (packed texels). */
  readonly glslGradient: string;
  /** Share of the outputs within SATURATION_MARGIN of the limits, or of dead units; 0 if neither. */
  share(h: tf.Tensor): tf.Tensor;
}

const fused = (activation: 'sigmoid' | 'relu' | 'linear') => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
  tf.fused.matMul({ a: x, b: w, bias: b, activation });

export const ACTIVATION_FORMS: Readonly<Record<Activation, ActivationForms>> = {
  sigmoid: {
    dense: fused('sigmoid'),
    gradient: (h, dh) => tf.mul(dh, tf.mul(h, tf.sub(1, h))),
    glslGradient: 'd * h * (1.0 - h)',
    share: (h) =>
      tf.mean(tf.cast(tf.logicalOr(tf.less(h, SATURATION_MARGIN), tf.greater(h, 1 - SATURATION_MARGIN)), 'float32')),
  },
  tanh: {
    // TensorFlow.js fuses no tanh into its product.
    dense: (x, w, b) => tf.tanh(tf.fused.matMul({ a: x, b: w, bias: b })),
    gradient: (h, dh) => tf.mul(dh, tf.sub(1, tf.square(h))),
    glslGradient: 'd * (1.0 - h * h)',
    share: (h) => tf.mean(tf.cast(tf.greater(tf.abs(h), 1 - SATURATION_MARGIN), 'float32')),
  },
  relu: {
    dense: fused('relu'),
    gradient: (h, dh) => tf.mul(dh, tf.step(h)),
    glslGradient: 'd * step(0.0, h) * sign(h)',
    // A unit is dead for this batch when no image makes it output anything but 0.
    share: (h) => tf.mean(tf.cast(tf.lessEqual(tf.max(h, 0), 0), 'float32')),
  },
  linear: {
    dense: fused('linear'),
    gradient: (_h, dh) => dh,
    glslGradient: 'd',
    share: () => tf.scalar(0),
  },
};
