/**
 * Every form of each activation the lab trains with, in one place: core's entry (its names, range,
 * formula and what the layer-health share counts: core/network/activations.ts) extended with the
 * Dense layer's output (one fused program where TensorFlow.js has one), its derivative written in
 * terms of the output as TensorFlow.js ops and as GLSL for the WebGL kernel
 * (kernels/webglKernels.ts), and that share computed on the device. A new activation is one entry
 * there and one here.
 */
import * as tf from '@tensorflow/tfjs';
import { ACTIVATION_INFO, SATURATION_MARGIN, type ActivationInfo } from '../core/network/activations';
import { ACTIVATIONS, type Activation } from '../core/network/spec';

export interface ActivationForms extends ActivationInfo {
  /** act(x·w + b): one fused product where TensorFlow.js fuses this activation. */
  dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** The activation alone, of a layer's pre-activations (after batch normalization). */
  activate(a: tf.Tensor): tf.Tensor;
  /** dh times the derivative, in terms of the output h (both [batch, units]). */
  gradient(h: tf.Tensor, dh: tf.Tensor): tf.Tensor;
  /** The same in GLSL, over `vec4 h` and `vec4 d` (packed texels). */
  readonly glslGradient: string;
  /** Share of the outputs within SATURATION_MARGIN of the limits, or of dead units; 0 if neither. */
  share(h: tf.Tensor): tf.Tensor;
}

type TfForms = Pick<ActivationForms, 'dense' | 'activate' | 'gradient' | 'glslGradient'>;

const fused = (activation: 'sigmoid' | 'relu' | 'linear') => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
  tf.fused.matMul({ a: x, b: w, bias: b, activation });

const TF_FORMS: Readonly<Record<Activation, TfForms>> = {
  sigmoid: {
    dense: fused('sigmoid'),
    activate: (a) => tf.sigmoid(a),
    gradient: (h, dh) => tf.mul(dh, tf.mul(h, tf.sub(1, h))),
    glslGradient: 'd * h * (1.0 - h)',
  },
  tanh: {
    // TensorFlow.js fuses no tanh into its product.
    dense: (x, w, b) => tf.tanh(tf.fused.matMul({ a: x, b: w, bias: b })),
    activate: (a) => tf.tanh(a),
    gradient: (h, dh) => tf.mul(dh, tf.sub(1, tf.square(h))),
    glslGradient: 'd * (1.0 - h * h)',
  },
  relu: {
    dense: fused('relu'),
    activate: (a) => tf.relu(a),
    gradient: (h, dh) => tf.mul(dh, tf.step(h)),
    glslGradient: 'd * step(0.0, h) * sign(h)',
  },
  linear: {
    dense: fused('linear'),
    activate: (a) => a,
    gradient: (_h, dh) => dh,
    glslGradient: 'd',
  },
};

/** The layer-health share of an activation's outputs h ([batch, units]), as core's entry says what counts. */
function shareOf(info: ActivationInfo): (h: tf.Tensor) => tf.Tensor {
  const { min, max } = info.range;
  if (info.limit === 'saturates')
    return (h) =>
      tf.mean(
        tf.cast(tf.logicalOr(tf.less(h, min + SATURATION_MARGIN), tf.greater(h, max - SATURATION_MARGIN)), 'float32'),
      );
  // A unit is dead for this batch when no image makes it output anything but 0.
  if (info.limit === 'dies') return (h) => tf.mean(tf.cast(tf.lessEqual(tf.max(h, 0), 0), 'float32'));
  return () => tf.scalar(0);
}

export const ACTIVATION_FORMS: Readonly<Record<Activation, ActivationForms>> = Object.fromEntries(
  ACTIVATIONS.map((a) => [a, { ...ACTIVATION_INFO[a], ...TF_FORMS[a], share: shareOf(ACTIVATION_INFO[a]) }]),
) as Record<Activation, ActivationForms>;
