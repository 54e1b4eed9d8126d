/**
 * The Keras 2.2 `model.summary()` text of a network, as the article prints it: 65 characters
 * wide, columns at 29 and 55 (Keras's positions .45 and .85 for sequential models), rules of
 * `_` and `=`, parameter counts per layer without separators and totals with them.
 */
import { formatCount, layerParams } from './params';
import { INPUT_SIZE, type HiddenLayer } from './spec';

const LINE = 65;
const POSITIONS = [29, 55, 65];

/** Keras's print_row: each field cut to its column and padded with spaces. */
function row(fields: readonly string[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line = (line + field).slice(0, POSITIONS[i]);
    line += ' '.repeat((POSITIONS[i] as number) - line.length);
  });
  return line;
}

/**
 * The summary as lines (each exactly 65 characters, trailing spaces kept, as Keras prints them).
 * Dropout is a layer of its own in Keras, without parameters: `dropout_n (Dropout)` after the
 * Dense layer it follows (or before the first, on the input), numbered apart from the Dense layers.
 */
export function kerasSummaryLines(hidden: readonly HiddenLayer[], inputDropout = 0): string[] {
  const layers = layerParams(hidden);
  const total = layers.reduce((s, l) => s + l.params, 0);
  let dropouts = 0;
  const dropoutRow = (units: number) => row([`dropout_${++dropouts} (Dropout)`, `(None, ${units})`, '0']);
  const rows = [
    ...(inputDropout > 0 ? [dropoutRow(INPUT_SIZE)] : []),
    ...layers.flatMap((l, i) => [
      row([`${l.name} (Dense)`, `(None, ${l.units})`, String(l.params)]),
      ...((hidden[i]?.dropout ?? 0) > 0 ? [dropoutRow(l.units)] : []),
    ]),
  ];
  const lines = ['_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE)];
  rows.forEach((r, i) => lines.push(r, (i === rows.length - 1 ? '=' : '_').repeat(LINE)));
  lines.push(
    `Total params: ${formatCount(total)}`,
    `Trainable params: ${formatCount(total)}`,
    'Non-trainable params: 0',
    '_'.repeat(LINE),
  );
  return lines;
}

/** The summary as one text block. */
export function kerasSummary(hidden: readonly HiddenLayer[], inputDropout = 0): string {
  return kerasSummaryLines(hidden, inputDropout).join('\n');
}

/** Bytes the weights take as float32 (4 bytes per parameter). */
export function weightBytes(hidden: readonly HiddenLayer[]): number {
  return layerParams(hidden).reduce((s, l) => s + l.params, 0) * 4;
}
