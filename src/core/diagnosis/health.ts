/**
 * What a network's layers look like while it trains: the shape of the statistics the training
 * loop measures on the device every few batches (ml/healthProbe.ts), and their decoding from the flat
 * vector that is read back together with the loss sums. Pure; the rules that read these numbers
 * are in rules.ts.
 */
import { ACTIVATION_INFO } from '../network/activations';
import { INPUT_SIZE, NUM_CLASSES, type Activation } from '../network/spec';
import type { HealthSample, LayerHealth, TrainSample } from '../runs/trace';

/** Outputs within this distance of a sigmoid's 0 or 1 (a tanh's -1 or 1) count as saturated (core/network/activations.ts). */
export { SATURATION_MARGIN } from '../network/activations';

// The samples' shapes live with the run records that keep them (core/runs/trace.ts).
export type { HealthSample, LayerHealth, TrainSample } from '../runs/trace';
export { thin } from '../runs/trace';

/** The first layer's weights for the weight tiles: `values` is [784, units] row-major. */
export interface LiveTiles {
  readonly units: number;
  readonly values: Float32Array;
  /** When, in epochs. */
  readonly x: number;
}

/** How many first-layer units get a live tile. */
export const LIVE_TILE_UNITS = 64;

/**
 * Per Dense layer the device computes five numbers, in this order; one more (the clipped share)
 * closes the vector.
 */
export const HEALTH_VALUES_PER_LAYER = 5;

/** Length of the device's health vector for a network with `hiddenCount` hidden layers. */
export function healthVectorLength(hiddenCount: number): number {
  return (hiddenCount + 1) * HEALTH_VALUES_PER_LAYER + 1;
}

/** Number of weights in each Dense kernel (784 inputs, the hidden widths, 10 outputs). */
export function kernelSizes(units: readonly number[]): number[] {
  const widths = [INPUT_SIZE, ...units, NUM_CLASSES];
  return widths.slice(1).map((w, i) => (widths[i] as number) * w);
}

/**
 * Decodes the health vector the device computed for one step. Per layer it holds
 * [sum of g², sum of ΔW², sum of W², mean activation, saturated/dead share], where g is the
 * kernel gradient as the loop computed it, i.e. times `gradientScale` (-lr for plain SGD).
 * `activations` are the hidden layers'; the last block is the output layer's.
 */
export function decodeHealth(
  values: ArrayLike<number>,
  offset: number,
  activations: readonly Activation[],
  units: readonly number[],
  gradientScale: number,
  x: number,
): HealthSample {
  const sizes = kernelSizes(units);
  const scale = Math.abs(gradientScale) || 1;
  const at = (i: number) => Number(values[offset + i]);
  const layers: LayerHealth[] = sizes.map((size, l) => {
    const base = l * HEALTH_VALUES_PER_LAYER;
    // The output layer (softmax) has no share.
    const limit = l < activations.length ? ACTIVATION_INFO[activations[l] as Activation].limit : null;
    const weightNorm = Math.sqrt(Math.max(0, at(base + 2)));
    const share = at(base + 4);
    return {
      gradRms: Math.sqrt(Math.max(0, at(base)) / size) / scale,
      updateRatio: weightNorm > 0 ? Math.sqrt(Math.max(0, at(base + 1))) / weightNorm : 0,
      actMean: at(base + 3),
      saturated: limit === 'saturates' ? share : null,
      dead: limit === 'dies' ? share : null,
    };
  });
  return { x, layers, clipped: at(sizes.length * HEALTH_VALUES_PER_LAYER) };
}

/**
 * Appends `add` to `list`, keeping at most `max` items: when full, every second item of the older
 * half is dropped, so the start of a run stays visible at a coarser grain. Returns a new array.
 */
export function appendBounded<T>(list: readonly T[], add: readonly T[], max: number): T[] {
  let out = [...list, ...add];
  // Thinning needs an older half of at least two items; below that, keep the newest.
  if (max < 3) return max <= 0 ? [] : out.slice(-max);
  while (out.length > max) {
    const half = Math.floor(out.length / 2);
    out = [...out.slice(0, half).filter((_, i) => i % 2 === 0), ...out.slice(half)];
  }
  return out;
}

/**
 * Exponential moving average of the samples' loss and accuracy (weight `alpha` on the newest), for
 * a smoothed curve that does not reset at epoch boundaries.
 */
export function smoothSamples(samples: readonly TrainSample[], alpha = 0.3): TrainSample[] {
  const out: TrainSample[] = [];
  let loss = NaN;
  let acc = NaN;
  for (const s of samples) {
    loss = Number.isNaN(loss) ? s.loss : alpha * s.loss + (1 - alpha) * loss;
    acc = Number.isNaN(acc) ? s.acc : alpha * s.acc + (1 - alpha) * acc;
    out.push({ x: s.x, loss, acc });
  }
  return out;
}
