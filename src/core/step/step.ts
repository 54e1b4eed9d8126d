/**
 * One training step, looked at closely: what the worker reports after it trains exactly one batch
 * (the batch's loss, each layer's activations for one image, the gradient reaching each unit and
 * the update applied to it), and a unit's dot product written out with its largest terms. Pure:
 * the worker (ml/stepper.ts) measures, the page (components/step/) shows.
 */
import { ACTIVATION_INFO } from '../network/activations';
import { INPUT_SIZE, type Activation } from '../network/spec';

/** One Dense layer after the step. */
export interface StepLayer {
  /** 'Layer 1' … or 'Output'. */
  readonly name: string;
  /** The hidden layer's activation; null for the output layer (its values are logits, then softmax). */
  readonly activation: Activation | null;
  /** Each unit's output for the image, with the weights after the step (the output layer: its logits). */
  readonly values: Float32Array;
  /** Each unit's gradient of the batch's mean loss at its sum z (averaged over the batch), before the step. */
  readonly gradient: Float32Array;
  /** The size of the change the step made to each unit's incoming weights and bias: ‖Δw, Δb‖. */
  readonly update: Float32Array;
  /** ‖ΔW‖ / ‖W‖ over the layer's kernel: how far the step moved its weights, relatively. */
  readonly updateRatio: number;
}

/** Where the image came from: the drawing on the canvas, or a test image (with its label). */
export type StepImageSource =
  { readonly kind: 'drawn' } | { readonly kind: 'test'; readonly index: number; readonly label: number };

export interface StepResult {
  /** Steps taken since the network was made (1 after the first). */
  readonly step: number;
  /** Where in the run this batch was: epoch (1-based), batch (1-based) of `batches`. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Images in the batch. */
  readonly size: number;
  /** The learning rate of this step (the config's, or its schedule's at this step). */
  readonly rate: number;
  /** The batch's mean loss and accuracy, before the update (as Keras reports a batch). */
  readonly loss: number;
  readonly acc: number;
  readonly backend: string;
  /** The image shown: [784] in the run's input range. */
  readonly image: Float32Array;
  readonly source: StepImageSource;
  /** Its class probabilities with the weights after the step. */
  readonly probs: Float32Array;
  readonly layers: readonly StepLayer[];
}

/** A unit's incoming weights and bias, after the step. */
export interface UnitWeights {
  readonly layer: number;
  readonly unit: number;
  readonly weights: Float32Array;
  readonly bias: number;
}

/** One term w·x of a dot product. */
export interface Term {
  /** Index of the input (pixel or unit of the previous layer), 0-based. */
  readonly index: number;
  readonly weight: number;
  readonly input: number;
  readonly product: number;
}

export interface DotProduct {
  /** The largest terms by size, largest first. */
  readonly top: readonly Term[];
  /** How many other terms there are, and their sum. */
  readonly others: number;
  readonly rest: number;
  readonly bias: number;
  /** z = bias + every term. */
  readonly z: number;
  /** The activation of z (null: an output unit, whose z is a logit). */
  readonly activation: Activation | null;
  readonly output: number;
}

/** `bias` + Σ weights·inputs, its `topCount` largest terms written out, and the activation of the sum. */
export function dotProduct(
  weights: ArrayLike<number>,
  inputs: ArrayLike<number>,
  bias: number,
  activation: Activation | null,
  topCount = 6,
): DotProduct {
  if (weights.length !== inputs.length) {
    throw new Error(`dotProduct: ${weights.length} weights for ${inputs.length} inputs`);
  }
  const terms: Term[] = [];
  let z = bias;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] as number;
    const input = inputs[i] as number;
    const product = weight * input;
    z += product;
    terms.push({ index: i, weight, input, product });
  }
  terms.sort((a, b) => Math.abs(b.product) - Math.abs(a.product) || a.index - b.index);
  const top = terms.slice(0, topCount);
  const rest = z - bias - top.reduce((s, t) => s + t.product, 0);
  const output = activation ? ACTIVATION_INFO[activation].apply(z) : z;
  return { top, others: terms.length - top.length, rest, bias, z, activation, output };
}

/** What input `index` of a layer is: a pixel (row, column from 1) of the image, or a unit of the layer before. */
export function inputName(layer: number, index: number): string {
  if (layer > 0) return `unit ${index + 1} of layer ${layer}`;
  if (index >= INPUT_SIZE) return `padding ${index}`;
  return `pixel (${Math.floor(index / 28) + 1}, ${(index % 28) + 1})`;
}

/** The inputs a layer's units sum: the image for the first layer, else the previous layer's outputs. */
export function layerInputs(result: Pick<StepResult, 'image' | 'layers'>, layer: number): Float32Array {
  if (layer === 0) return result.image;
  const before = result.layers[layer - 1];
  if (!before) throw new Error(`layerInputs: no layer ${layer - 1}`);
  return before.values;
}

/** Root mean square of `values` (0 for none). */
export function rms(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] as number) ** 2;
  return values.length ? Math.sqrt(s / values.length) : 0;
}

/**
 * The units a strip shows: the first `max` of a layer (all of a small one). A strip of every unit
 * of a 2048-wide layer would be a grey band, not bars anyone reads.
 */
export function stripUnits(width: number, max = 32): number {
  return Math.min(width, max);
}

/** A number as the step view writes it: 4 significant digits, exponent for very small or large. */
export function stepNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
