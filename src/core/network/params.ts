import { layerNorm, normParams } from './batchNorm';
import { INPUT_SIZE, NUM_CLASSES, type HiddenLayer } from './spec';

export interface LayerParams {
  /** Keras 2.2 name of the layer's Dense layer: dense_1, dense_2, ... */
  readonly name: string;
  readonly units: number;
  readonly inputs: number;
  /**
   * The Dense layer's: inputs x units kernel weights, plus units biases unless batch normalization
   * follows (its Dense has no bias: β does that work).
   */
  readonly dense: number;
  /** Its BatchNormalization's: γ, β, moving mean and moving variance, 4 x units (0 without one). */
  readonly norm: number;
  /** All of the layer's parameters, Keras's count: dense + norm. */
  readonly params: number;
  /** Of those, the ones no gradient trains: the moving mean and variance (2 x units with batch normalization, else 0). */
  readonly nonTrainable: number;
}

/**
 * Parameter count of each Dense layer of the network (with its batch normalization, where it has
 * one), hidden layers then the 10-unit output. One hidden layer of 32: [25,120, 330], total 25,450;
 * with batch normalization [25,088 + 128, 330], total 25,546 (64 of them not trainable).
 */
export function layerParams(hidden: readonly HiddenLayer[]): LayerParams[] {
  const layers = [...hidden, null];
  let inputs = INPUT_SIZE;
  return layers.map((l, i) => {
    const units = l?.units ?? NUM_CLASSES;
    const norm = l !== null && layerNorm(l) ? normParams(units) : null;
    const dense = inputs * units + (norm ? 0 : units);
    const normCount = norm ? norm.trainable + norm.nonTrainable : 0;
    const row = {
      name: `dense_${i + 1}`,
      units,
      inputs,
      dense,
      norm: normCount,
      params: dense + normCount,
      nonTrainable: norm?.nonTrainable ?? 0,
    };
    inputs = units;
    return row;
  });
}

/**
 * Every parameter of the network, as Keras's `model.count_params()` and its summary's "Total
 * params" count them: with batch normalization, its moving mean and variance too. The parameter
 * cap (LIMITS.maxParams), a run's record and the page's count are this.
 */
export function totalParams(hidden: readonly HiddenLayer[]): number {
  return layerParams(hidden).reduce((sum, l) => sum + l.params, 0);
}

/** The parameters no gradient trains (Keras's "Non-trainable params"): batch normalization's moving statistics. */
export function nonTrainableParams(hidden: readonly HiddenLayer[]): number {
  return layerParams(hidden).reduce((sum, l) => sum + l.nonTrainable, 0);
}

/** The parameters training updates by gradient (Keras's "Trainable params"): the total less the moving statistics. */
export function trainableParams(hidden: readonly HiddenLayer[]): number {
  return totalParams(hidden) - nonTrainableParams(hidden);
}

/** 25450 -> "25,450", independent of the browser's locale. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Total parameters of `depth` hidden layers of `width` units each, without batch normalization:
 * (784 + 1) w + (depth - 1) (w + 1) w + 10 w + 10; 7,850 with no hidden layer.
 */
export function equalWidthParams(depth: number, width: number): number {
  if (depth <= 0) return INPUT_SIZE * NUM_CLASSES + NUM_CLASSES;
  return (INPUT_SIZE + 1) * width + (depth - 1) * (width + 1) * width + (NUM_CLASSES * width + NUM_CLASSES);
}

/**
 * The width that gives `depth` equal hidden layers the parameter count nearest `budget`
 * (at least 1 unit). The count grows with the width, so the real root of
 * (depth - 1) w² + (784 + depth + 10) w + 10 - budget = 0 lies between two integers and the
 * nearer of them wins. One hidden layer of 32 is exactly 25,450.
 */
export function widthForBudget(depth: number, budget: number): number {
  if (depth <= 0) return 0;
  const a = depth - 1;
  const b = INPUT_SIZE + depth + NUM_CLASSES;
  const c = NUM_CLASSES - budget;
  const root = a === 0 ? -c / b : (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  const lo = Math.max(1, Math.floor(root));
  const candidates = [lo, lo + 1];
  let best = lo;
  for (const w of candidates)
    if (Math.abs(equalWidthParams(depth, w) - budget) < Math.abs(equalWidthParams(depth, best) - budget)) best = w;
  return best;
}

/** Total parameters of hidden layers of these widths (without batch normalization). */
function widthsParams(widths: readonly number[]): number {
  let inputs = INPUT_SIZE;
  let sum = 0;
  for (const w of [...widths, NUM_CLASSES]) {
    sum += inputs * w + w;
    inputs = w;
  }
  return sum;
}

/**
 * Widths for `depth` hidden layers whose parameters come nearest `budget`: equal, or where one
 * width step of every layer overshoots (deep narrow networks: one more unit in each of 5 layers of
 * 29 adds 4 %), the last layers one unit wider or narrower than the first. So the widths differ
 * by at most one unit, and the count lands within 1 % of the budget wherever a layer's unit costs
 * less than 2 % of it. Counted without batch normalization (a layer's adds 3 x units: 4 x units of
 * its own, less the Dense bias it replaces) unless `count` counts otherwise.
 */
export function widthsForBudget(
  depth: number,
  budget: number,
  count: (widths: readonly number[]) => number = widthsParams,
): number[] {
  if (depth <= 0) return [];
  const w = widthForBudget(depth, budget);
  let best: number[] = Array<number>(depth).fill(w);
  let bestMiss = Math.abs(count(best) - budget);
  // A count of its own (batch normalization's) may want a narrower base than the plain root's.
  const bases = count === widthsParams ? [w - 1, w] : [w - 2, w - 1, w];
  // ... and, there, the last layers wider too: the first layer's units cost the most.
  const orders = count === widthsParams ? [true] : [true, false];
  for (const base of bases) {
    if (base < 1) continue;
    for (let wider = count === widthsParams ? 1 : 0; wider < depth; wider++)
      for (const firstWider of orders) {
        const widths = Array.from({ length: depth }, (_, i) => (i >= depth - wider ? base + 1 : base));
        if (firstWider) widths.reverse();
        const miss = Math.abs(count(widths) - budget);
        if (miss < bestMiss) {
          best = widths;
          bestMiss = miss;
        }
      }
  }
  return best;
}
