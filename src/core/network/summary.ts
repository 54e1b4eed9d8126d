/**
 * The Keras 2.2 `model.summary()` text of a network, as the article prints it: 65 characters
 * wide, columns at 29 and 55 (Keras's positions .45 and .85 for sequential models), rules of
 * `_` and `=`, parameter counts per layer without separators and totals with them.
 */
import { layerNorm } from './batchNorm';
import { formatCount, layerParams, nonTrainableParams, totalParams } from './params';
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

/** The rows of the table, numbering each kind of layer apart from the others, as Keras 2.2 names them. */
function tableRows(hidden: readonly HiddenLayer[], inputDropout: number): string[] {
  const counts = new Map<string, number>();
  const named = (base: string, type: string) => {
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return `${base}_${n} (${type})`;
  };
  const plain = (base: string, type: string, units: number) => row([named(base, type), `(None, ${units})`, '0']);
  return [
    ...(inputDropout > 0 ? [plain('dropout', 'Dropout', INPUT_SIZE)] : []),
    ...layerParams(hidden).flatMap((l, i) => {
      const layer = hidden[i];
      const norm = layer !== undefined && layerNorm(layer);
      return [
        row([named('dense', 'Dense'), `(None, ${l.units})`, String(l.dense)]),
        ...(norm
          ? [
              row([named('batch_normalization', 'BatchNormalization'), `(None, ${l.units})`, String(l.norm)]),
              plain('activation', 'Activation', l.units),
            ]
          : []),
        ...((layer?.dropout ?? 0) > 0 ? [plain('dropout', 'Dropout', l.units)] : []),
      ];
    }),
  ];
}

/**
 * The summary as lines (each exactly 65 characters, trailing spaces kept, as Keras prints them).
 * Dropout is a layer of its own in Keras, without parameters: `dropout_n (Dropout)` after the
 * Dense layer it follows (or before the first, on the input), numbered apart from the Dense layers.
 * A layer with batch normalization is three: its Dense layer without bias, `batch_normalization_n
 * (BatchNormalization)` (4 x units: γ and β trainable, the moving mean and variance not; the name
 * cut at its column, as Keras cuts it) and `activation_n (Activation)`, then its Dropout.
 */
export function kerasSummaryLines(hidden: readonly HiddenLayer[], inputDropout = 0): string[] {
  const rows = tableRows(hidden, inputDropout);
  const total = totalParams(hidden);
  const frozen = nonTrainableParams(hidden);
  const lines = ['_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE)];
  rows.forEach((r, i) => lines.push(r, (i === rows.length - 1 ? '=' : '_').repeat(LINE)));
  lines.push(
    `Total params: ${formatCount(total)}`,
    `Trainable params: ${formatCount(total - frozen)}`,
    `Non-trainable params: ${formatCount(frozen)}`,
    '_'.repeat(LINE),
  );
  return lines;
}

/** The summary as one text block. */
export function kerasSummary(hidden: readonly HiddenLayer[], inputDropout = 0): string {
  return kerasSummaryLines(hidden, inputDropout).join('\n');
}

/** Bytes the weights take as float32 (4 bytes per parameter, batch normalization's moving statistics included). */
export function weightBytes(hidden: readonly HiddenLayer[]): number {
  return totalParams(hidden) * 4;
}
