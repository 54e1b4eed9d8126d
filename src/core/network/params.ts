import { INPUT_SIZE, NUM_CLASSES, type HiddenLayer } from './spec';

export interface LayerParams {
  /** Keras 2.2 layer name: dense_1, dense_2, ... */
  readonly name: string;
  readonly units: number;
  readonly inputs: number;
  /** inputs x units kernel weights + units biases. */
  readonly params: number;
}

/**
 * Parameter count of each Dense layer of the network, hidden layers then the 10-unit output.
 * One hidden layer of 32: [25,120, 330], total 25,450.
 */
export function layerParams(hidden: readonly HiddenLayer[]): LayerParams[] {
  const widths = [...hidden.map((l) => l.units), NUM_CLASSES];
  let inputs = INPUT_SIZE;
  return widths.map((units, i) => {
    const row = { name: `dense_${i + 1}`, units, inputs, params: inputs * units + units };
    inputs = units;
    return row;
  });
}

/** Total trainable parameters (all of them are trainable in the lab). */
export function totalParams(hidden: readonly HiddenLayer[]): number {
  return layerParams(hidden).reduce((sum, l) => sum + l.params, 0);
}

/** 25450 -> "25,450", independent of the browser's locale. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Total parameters of `depth` hidden layers of `width` units each:
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

/** Total parameters of hidden layers of these widths. */
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
 * less than 2 % of it.
 */
export function widthsForBudget(depth: number, budget: number): number[] {
  if (depth <= 0) return [];
  const w = widthForBudget(depth, budget);
  let best: number[] = Array<number>(depth).fill(w);
  let bestMiss = Math.abs(widthsParams(best) - budget);
  for (const base of [w - 1, w]) {
    if (base < 1) continue;
    for (let wider = 1; wider < depth; wider++) {
      const widths = Array.from({ length: depth }, (_, i) => (i >= depth - wider ? base + 1 : base)).reverse();
      const miss = Math.abs(widthsParams(widths) - budget);
      if (miss < bestMiss) {
        best = widths;
        bestMiss = miss;
      }
    }
  }
  return best;
}
