/**
 * Geometry of the network diagram: one column per layer (input, hidden layers, output), each bar's
 * height on a log scale of its width, so that 1 and 4096 units both stay visible.
 */
import { INPUT_SIZE, NUM_CLASSES, type HiddenLayer } from './spec';

export interface DiagramColumn {
  readonly label: string;
  readonly units: number;
  /** Bar height as a fraction 0..1 of the tallest possible bar (4096 units). */
  readonly height: number;
}

const MAX_LOG = Math.log2(4096 + 1);

export function diagramColumns(hidden: readonly HiddenLayer[]): DiagramColumn[] {
  const col = (label: string, units: number) => ({
    label,
    units,
    height: Math.max(0.04, Math.log2(units + 1) / MAX_LOG),
  });
  return [
    col('input', INPUT_SIZE),
    ...hidden.map((l, i) => col(`${i + 1}: ${l.activation}`, l.units)),
    col('softmax', NUM_CLASSES),
  ];
}
