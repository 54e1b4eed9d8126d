/**
 * Batch normalization in TensorFlow.js's Layers format, pure: the BatchNormalization and Activation
 * layers the export writes after a Dense layer without bias (as `tf.layers.batchNormalization()`
 * serializes one), and the import's reading of a BatchNormalization layer in a model's layer list.
 * The lab's model of a hidden layer with batch normalization is Keras's `Dense(units,
 * use_bias=False)`, `BatchNormalization()` (its defaults), `Activation(act)` (core/network/batchNorm.ts);
 * a BatchNormalization anywhere else, or with other settings, is refused with a message naming it.
 */
import { BN_EPSILON, BN_MOMENTUM } from '../network/batchNorm';
import { ACTIVATION_INFO } from '../network/activations';
import { quoteValue } from '../words';
import type { DenseSpec } from './layersModelJson';

/** A BatchNormalization layer with Keras's defaults, as TensorFlow.js 4.22 writes its config. */
export function batchNormLayer(name: string) {
  const init = (class_name: 'Zeros' | 'Ones') => ({ class_name, config: {} });
  return {
    class_name: 'BatchNormalization',
    config: {
      name,
      trainable: true,
      dtype: 'float32',
      axis: -1,
      momentum: BN_MOMENTUM,
      epsilon: BN_EPSILON,
      center: true,
      scale: true,
      beta_initializer: init('Zeros'),
      gamma_initializer: init('Ones'),
      moving_mean_initializer: init('Zeros'),
      moving_variance_initializer: init('Ones'),
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    },
  };
}

/** An Activation layer: the activation of a Dense layer whose batch normalization comes between. */
export const activationLayer = (name: string, activation: string) => ({
  class_name: 'Activation',
  config: { name, trainable: true, dtype: 'float32', activation },
});

/** The BatchNormalization's weights, in Keras's order (the manifest's names end `/<layer>/<part>`). */
export const NORM_PARTS = ['gamma', 'beta', 'moving_mean', 'moving_variance'] as const;
export type NormPart = (typeof NORM_PARTS)[number];

/** Whether x is `want` up to float rounding (a file may hold the float32 nearest it). */
const near = (x: unknown, want: number) => typeof x === 'number' && Math.abs(x - want) <= want * 1e-6;

/**
 * What in a BatchNormalization's config is not Keras's defaults that the lab trains and runs, or
 * null. The axis must be the last (-1, or 1 of a flat input; Keras 2 writes it as a list). Its
 * initializers, regularizers and constraints are not read, as a Dense layer's are not.
 */
export function normConfigProblem(c: Record<string, unknown>): string | null {
  const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis;
  if (axis !== undefined && axis !== -1 && axis !== 1) return `axis ${quoteValue(c.axis)}`;
  if (c.center === false) return 'center false (no beta)';
  if (c.scale === false) return 'scale false (no gamma)';
  if (c.momentum !== undefined && !near(c.momentum, BN_MOMENTUM)) return `momentum ${quoteValue(c.momentum)}`;
  if (c.epsilon !== undefined && !near(c.epsilon, BN_EPSILON)) return `epsilon ${quoteValue(c.epsilon)}`;
  if (c.renorm === true) return 'batch renormalization (renorm true)';
  for (const key of ['virtual_batch_size', 'adjustment'])
    if (c[key] !== undefined && c[key] !== null) return `${key} ${quoteValue(c[key])}`;
  return null;
}

/** The part of the layer walk batch normalization reads and changes (layersModelJson.ts's walk). */
interface NormWalk {
  readonly shape: readonly unknown[] | null;
  readonly dense: DenseSpec[];
  readonly notes: string[];
}

/**
 * A BatchNormalization layer (`where` names it) into the walk: the Dense layer before it gets it,
 * or the message saying why not. It must come right after a Dense layer without activation (the
 * activation may follow as a layer of its own), with Keras's defaults. A Dense layer with a bias
 * before it is accepted: its bias is folded into the moving mean when the weights are read
 * (moving mean − bias gives the same outputs), and a note says so.
 */
export function walkBatchNorm(w: NormWalk, c: Record<string, unknown>, where: string): string | null {
  const previous = w.dense[w.dense.length - 1];
  const lab =
    'the lab normalizes between a Dense layer and its activation (Dense without activation, BatchNormalization, then Activation)';
  if (!previous) return `${where} is a BatchNormalization before any Dense layer: ${lab}.`;
  if (previous.norm !== null)
    return `${where} is a second BatchNormalization after ${previous.name}: the lab has one per layer.`;
  if (previous.dropout > 0)
    return `${where} is a BatchNormalization after a Dropout layer: ${lab}, and Dropout after that.`;
  if (w.shape === null || w.shape.length !== 1 || w.shape[0] !== previous.units)
    return `${where} is a BatchNormalization after a layer other than a Dense layer: ${lab}.`;
  if (previous.activation !== ACTIVATION_INFO.linear.keras)
    return `${where} is a BatchNormalization after ${previous.name}'s activation (${previous.activation}): ${lab}.`;
  const problem = normConfigProblem(c);
  if (problem !== null)
    return `${where} is a BatchNormalization with ${problem}: the lab trains and runs only Keras's defaults (axis -1, momentum ${BN_MOMENTUM}, epsilon ${BN_EPSILON}, center and scale).`;
  if (previous.useBias)
    w.notes.push(
      `${previous.name} has a bias before its batch normalization: it was folded into the moving mean (moving mean − bias), which gives the same outputs; the lab's layer has none (β does its work).`,
    );
  const name = typeof c.name === 'string' ? c.name : 'batch_normalization';
  w.dense[w.dense.length - 1] = { ...previous, norm: name };
  return null;
}
