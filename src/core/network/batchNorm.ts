/**
 * Batch normalization as Keras 3 applies it after a Dense layer (`Dense(units, use_bias=False)`,
 * `BatchNormalization()`, then the activation): while training, each unit's product z is
 * normalized over the batch, x̂ = (z − mean) / √(variance + ε) with the batch's mean and (biased)
 * variance, then scaled and shifted, γ·x̂ + β, and the moving statistics follow the batch's,
 * moving ← moving·momentum + batch·(1 − momentum); at test, and for a drawn digit, the moving
 * statistics stand in for the batch's. γ starts at 1, β at 0, the moving mean at 0 and the moving
 * variance at 1. The Dense layer has no bias: β does its work (a bias before the normalization
 * would be subtracted again). Ioffe and Szegedy 2015.
 */
import { LIMITS, type HiddenLayer, type TrainConfig } from './spec';
import { totalParams } from './params';

/** Keras's BatchNormalization defaults. */
export const BN_MOMENTUM = 0.99;
export const BN_EPSILON = 1e-3;

/** Whether a layer has batch normalization. */
export const layerNorm = (l: HiddenLayer): boolean => l.batchNorm === true;

/** Whether any hidden layer of a run has batch normalization. */
export const hasBatchNorm = (c: Pick<TrainConfig, 'layers'>): boolean => c.layers.some(layerNorm);

/** The layer with batch normalization on or off (the field left out when off). */
export function withBatchNorm(l: HiddenLayer, on: boolean): HiddenLayer {
  const rest: HiddenLayer = { ...l };
  delete (rest as { batchNorm?: boolean }).batchNorm;
  return on ? { ...rest, batchNorm: true } : rest;
}

/**
 * The config with batch normalization on or off in every hidden layer (index null) or in layer
 * `index`; unchanged where it would take the network past the parameter cap (4 per unit, less the bias).
 */
export function setBatchNorm(config: TrainConfig, on: boolean, index: number | null = null): TrainConfig {
  const layers = config.layers.map((l, i) => (index === null || i === index ? withBatchNorm(l, on) : l));
  return totalParams(layers) > LIMITS.maxParams ? config : { ...config, layers };
}

/** The URL's `bn`: '1' when every hidden layer has it, else one 0 or 1 per layer; null when none has. */
export function encodeBatchNorms(layers: readonly HiddenLayer[]): string | null {
  const on = layers.map(layerNorm);
  if (!on.some(Boolean)) return null;
  return on.every(Boolean) ? '1' : on.map((b) => (b ? '1' : '0')).join(',');
}

/** How a run's batch normalization reads: "batch norm", "batch norm in layers 1, 3", or '' when none. */
export function describeBatchNorm(c: Pick<TrainConfig, 'layers'>): string {
  const on = c.layers.map(layerNorm);
  if (!on.some(Boolean)) return '';
  if (on.every(Boolean)) return 'batch norm';
  const which = on.flatMap((b, i) => (b ? [i + 1] : []));
  return `batch norm in layer${which.length > 1 ? 's' : ''} ${which.join(', ')}`;
}

/** Parameters of a BatchNormalization layer of `units`: γ and β trainable, the moving mean and variance not. */
export const normParams = (units: number): { trainable: number; nonTrainable: number } => ({
  trainable: 2 * units,
  nonTrainable: 2 * units,
});

/** A BatchNormalization layer's γ and moving statistics, each [units] (β is the layer's bias). */
export interface NormArrays {
  readonly gamma: Float32Array;
  readonly movingMean: Float32Array;
  readonly movingVariance: Float32Array;
}

/**
 * A layer's kernel ([inputs, units], row-major) and β folded with its batch normalization for
 * inference: x·W′ + b′ = γ·(x·W − moving mean) / √(moving variance + ε) + β, so that a drawn digit
 * or a test image passes through one product, as through a plain Dense layer.
 */
export function foldNorm(
  kernel: Float32Array,
  beta: Float32Array,
  norm: NormArrays,
): { kernel: Float32Array; bias: Float32Array } {
  const units = beta.length;
  const scale = new Float32Array(units);
  const bias = new Float32Array(units);
  for (let u = 0; u < units; u++) {
    const s = (norm.gamma[u] as number) / Math.sqrt((norm.movingVariance[u] as number) + BN_EPSILON);
    scale[u] = s;
    bias[u] = (beta[u] as number) - (norm.movingMean[u] as number) * s;
  }
  const out = new Float32Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) out[i] = (kernel[i] as number) * (scale[i % units] as number);
  return { kernel: out, bias };
}
