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
