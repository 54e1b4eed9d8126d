/**
 * What a run leaves behind for its main view to be drawn again later (after a reload, or when it
 * is chosen in the runs table): its training curve and its layers' health, thinned. The samples'
 * shapes are defined here, with the records that keep them; core/diagnosis reads them. Pure.
 */

/** One Dense layer at one moment of training. */
export interface LayerHealth {
  /** RMS of dL/dW over the layer's kernel (the gradient of the mean batch loss). */
  readonly gradRms: number;
  /** |ΔW| / |W| for the step (Frobenius norms): how much one update moves the kernel. */
  readonly updateRatio: number;
  /**
   * Hidden layers: mean output over the batch and units. The output layer: mean probability of
   * the predicted class (how confident the network is).
   */
  readonly actMean: number;
  /** Sigmoid and tanh layers: share 0..1 of outputs within SATURATION_MARGIN of the limits. */
  readonly saturated: number | null;
  /** ReLU layers: share 0..1 of units that output 0 for every image of the batch. */
  readonly dead: number | null;
}

/** The health of every layer (hidden layers, then the output layer) at one training step. */
export interface HealthSample {
  /** When, in epochs: 2.5 is half way through the third epoch. */
  readonly x: number;
  readonly layers: readonly LayerHealth[];
  /** Share 0..1 of the batch whose true class got probability below the clip (1e-7): no gradient. */
  readonly clipped: number;
}

/** The training loss and accuracy over the batches since the previous sample (not reset per epoch). */
export interface TrainSample {
  readonly x: number;
  readonly loss: number;
  readonly acc: number;
}

/** Evenly spaced items of `items`, at most `max`, the first and the last always among them. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max < 2) return max === 1 ? items.slice(-1) : [];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)] as T);
}

/** A run's curve and health as kept with its record. */
export interface RunTrace {
  readonly samples: readonly TrainSample[];
  readonly health: readonly HealthSample[];
}

/** At most this many training samples and health samples are kept with a record. */
export const TRACE_SAMPLES = 400;
export const TRACE_HEALTH = 150;

/** The trace kept of a run's samples. */
export function traceOf(samples: readonly TrainSample[], health: readonly HealthSample[]): RunTrace {
  return { samples: thin(samples, TRACE_SAMPLES), health: thin(health, TRACE_HEALTH) };
}

const num = (x: unknown): x is number => typeof x === 'number';
const share = (x: unknown): boolean => x === null || (num(x) && x >= 0 && x <= 1);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function isLayer(x: unknown): x is LayerHealth {
  return isObj(x) && num(x.gradRms) && num(x.updateRatio) && num(x.actMean) && share(x.saturated) && share(x.dead);
}

/**
 * A stored trace, checked: null where there is none or it is not one (the run is still read;
 * only its curve and health are not shown). Longer lists than a trace keeps are thinned.
 */
export function readTrace(x: unknown): RunTrace | null {
  if (!isObj(x) || !Array.isArray(x.samples) || !Array.isArray(x.health)) return null;
  const samples = x.samples as unknown[];
  const health = x.health as unknown[];
  if (!samples.every((s) => isObj(s) && num(s.x) && num(s.loss) && num(s.acc))) return null;
  const goodHealth = (h: unknown) =>
    isObj(h) &&
    num(h.x) &&
    num(h.clipped) &&
    Array.isArray(h.layers) &&
    h.layers.length <= 64 &&
    h.layers.every(isLayer);
  if (!health.every(goodHealth)) return null;
  const pick = (s: Record<string, number>): TrainSample => ({
    x: s.x as number,
    loss: s.loss as number,
    acc: s.acc as number,
  });
  return traceOf((samples as Record<string, number>[]).map(pick), health as HealthSample[]);
}
