/**
 * What each activation the lab offers is, in one table: its name in Keras (and TensorFlow.js's
 * Layers format), the name the page gives it, its output range, whether it saturates (sigmoid,
 * tanh) or can die (ReLU), its formula as text and as plain JavaScript, and which of its outputs
 * the layer-health share counts. Pure; ml/activations.ts extends each entry with its
 * TensorFlow.js forms, and the diagnosis, the activation strips, the Layers import and the Keras
 * script read it. A new activation is one entry here and one there.
 */
import { ACTIVATIONS, type Activation } from './spec';

/** Outputs within this distance of a sigmoid's 0 or 1 (a tanh's -1 or 1) count as saturated. */
export const SATURATION_MARGIN = 0.02;

/**
 * What the layer-health share counts for an activation: outputs near the ends of its range
 * ('saturates': its slope there is almost zero), units that output 0 for every image ('dies': no
 * gradient passes back through them), or nothing (null).
 */
export type ActivationLimit = 'saturates' | 'dies' | null;

export interface ActivationInfo {
  /** Its name in Keras and in TensorFlow.js's Layers format (`Dense(activation=...)`). */
  readonly keras: string;
  /** Its name on the page: in the layer controls, the activation strips, the diagnosis's sentences and messages. */
  readonly name: string;
  /** The outputs it can give, from `min` to `max` (infinite where it has no bound). */
  readonly range: { readonly min: number; readonly max: number };
  readonly limit: ActivationLimit;
  /** The formula of its output for the sum z, as text (`exp`, `max` and `tanh` as in JavaScript's Math). */
  readonly formula: string;
  /** The same formula, in plain JavaScript. */
  apply(z: number): number;
}

/** The table; the order of its keys is spec.ts's ACTIVATIONS. */
export const ACTIVATION_INFO: Readonly<Record<Activation, ActivationInfo>> = {
  sigmoid: {
    keras: 'sigmoid',
    name: 'sigmoid',
    range: { min: 0, max: 1 },
    limit: 'saturates',
    formula: '1 / (1 + exp(-z))',
    apply: (z) => 1 / (1 + Math.exp(-z)),
  },
  relu: {
    keras: 'relu',
    name: 'relu',
    range: { min: 0, max: Infinity },
    limit: 'dies',
    formula: 'max(0, z)',
    apply: (z) => (z > 0 ? z : 0),
  },
  tanh: {
    keras: 'tanh',
    name: 'tanh',
    range: { min: -1, max: 1 },
    limit: 'saturates',
    formula: 'tanh(z)',
    apply: (z) => Math.tanh(z),
  },
  linear: {
    keras: 'linear',
    name: 'linear',
    range: { min: -Infinity, max: Infinity },
    limit: null,
    formula: 'z',
    apply: (z) => z,
  },
};

/** Whether the activation saturates: its outputs near the ends of its range pass almost no gradient back. */
export const saturates = (a: Activation): boolean => ACTIVATION_INFO[a].limit === 'saturates';

/** Whether its outputs have no upper bound: large inputs (raw pixels 0..255) pass through it as large outputs. */
export const unboundedAbove = (a: Activation): boolean => ACTIVATION_INFO[a].range.max === Infinity;

/**
 * Whether one output counts in the layer-health share: within SATURATION_MARGIN of the ends of a
 * saturating activation's range, or 0 for one that dies (a unit is dead for a batch when this
 * holds for every image of it).
 */
export function atLimit(a: Activation, h: number): boolean {
  const { limit, range } = ACTIVATION_INFO[a];
  if (limit === 'saturates') return h < range.min + SATURATION_MARGIN || h > range.max - SATURATION_MARGIN;
  return limit === 'dies' && h <= 0;
}

/** The ends of a bounded range in words: "0 or 1", "-1 or 1". */
export const limitsText = (a: Activation): string =>
  `${ACTIVATION_INFO[a].range.min} or ${ACTIVATION_INFO[a].range.max}`;

/** The activation whose Keras name this is, or undefined where the lab has none of that name. */
export function fromKerasName(name: string): Activation | undefined {
  return ACTIVATIONS.find((a) => ACTIVATION_INFO[a].keras === name);
}
