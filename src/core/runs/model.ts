/** A trained network as plain arrays: what the worker hands back after a run, and what is kept. */
import type { TestPredictions } from './metrics';
import {
  INPUT_SIZE,
  NUM_CLASSES,
  type DatasetName,
  type HiddenLayer,
  type LossName,
  type Preprocessing,
} from '../network/spec';

export interface TrainedModel {
  readonly layers: readonly HiddenLayer[];
  /** The input range it was trained on: a drawing must be given in the same one. */
  readonly preprocessing: Preprocessing;
  /** The dataset it was trained on (its class names, where its test images are); absent: MNIST. */
  readonly dataset?: DatasetName;
  /** The dropout it was trained with on its input (absent: none); the layers carry their own. Nothing at prediction. */
  readonly inputDropout?: number;
  /** The loss it was trained with, which its test reports (absent: cross-entropy). */
  readonly loss?: LossName;
  /** Kernels [in, out] row-major, hidden layers then the output; the first has 784 rows. */
  readonly kernels: readonly Float32Array[];
  /** Each Dense layer's bias; for a layer with batch normalization, its BatchNormalization's beta. */
  readonly biases: readonly Float32Array[];
  /**
   * Per hidden layer, its batch normalization's gamma and moving statistics (null for a layer
   * without it); absent when no layer has any. Beta is the layer's entry in `biases`.
   */
  readonly norms?: readonly (NormWeights | null)[];
}

/** A BatchNormalization layer's weights other than beta, each [units]. */
export interface NormWeights {
  readonly gamma: Float32Array;
  readonly movingMean: Float32Array;
  readonly movingVariance: Float32Array;
}

/** The model and its test-set predictions, kept with a finished run. */
export interface KeptModel {
  readonly model: TrainedModel;
  readonly test: TestPredictions;
}

/** Throws unless the arrays have the sizes the layers call for (784 -> ... -> 10). */
export function checkModel(m: TrainedModel): void {
  const widths = [INPUT_SIZE, ...m.layers.map((l) => l.units), NUM_CLASSES];
  if (m.kernels.length !== widths.length - 1 || m.biases.length !== widths.length - 1)
    throw new Error('model: wrong number of layers');
  for (let i = 0; i + 1 < widths.length; i++) {
    if (m.kernels[i]?.length !== (widths[i] as number) * (widths[i + 1] as number))
      throw new Error(`model: kernel ${i + 1} has the wrong size`);
    if (m.biases[i]?.length !== widths[i + 1]) throw new Error(`model: bias ${i + 1} has the wrong size`);
  }
  if (m.norms === undefined) {
    if (m.layers.some((l) => l.batchNorm === true)) throw new Error('model: batch normalization without its weights');
    return;
  }
  if (m.norms.length !== m.layers.length) throw new Error('model: wrong number of batch normalizations');
  m.norms.forEach((n, i) => {
    const units = m.layers[i]?.units;
    if ((n !== null) !== (m.layers[i]?.batchNorm === true))
      throw new Error(`model: layer ${i + 1}'s batch normalization does not match its layer`);
    if (n && [n.gamma, n.movingMean, n.movingVariance].some((a) => a.length !== units))
      throw new Error(`model: batch normalization ${i + 1} has the wrong size`);
  });
}

/** What first-layer unit `unit` weighs each pixel by: column `unit` of the first kernel, [784]. */
export function weightTile(m: TrainedModel, unit: number): Float32Array {
  const k = m.kernels[0];
  const units = m.layers[0]?.units ?? NUM_CLASSES;
  if (!k) throw new Error(`weightTile: no unit ${unit}`);
  return tileOf(k, units, unit);
}

/** Column `unit` of a [784, columns] row-major kernel: what that unit weighs each pixel by. */
export function tileOf(kernel: Float32Array, columns: number, unit: number): Float32Array {
  if (!Number.isInteger(unit) || unit < 0 || unit >= columns || kernel.length < INPUT_SIZE * columns)
    throw new Error(`weightTile: no unit ${unit}`);
  const out = new Float32Array(INPUT_SIZE);
  for (let p = 0; p < INPUT_SIZE; p++) out[p] = kernel[p * columns + unit] as number;
  return out;
}

/**
 * Diverging colour for v in [-1, 1]: blue for negative, white at 0, red for positive (RdBu-like).
 * Returns [r, g, b] bytes.
 */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const a = Math.abs(t);
  return t >= 0
    ? [255 - Math.round(a * (255 - 178)), 255 - Math.round(a * (255 - 24)), 255 - Math.round(a * (255 - 43))]
    : [255 - Math.round(a * (255 - 33)), 255 - Math.round(a * (255 - 102)), 255 - Math.round(a * (255 - 172))];
}
