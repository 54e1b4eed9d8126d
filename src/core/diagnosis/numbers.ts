/**
 * The numbers the diagnosis quotes, written exactly as the tables beside it write them (the Layer
 * health table and the Epochs table use these same functions), each with where it comes from, so
 * a learner can find every number of a sentence on the page.
 */
import type { HealthSample } from './health';
import type { EpochLog } from '../runs/runs';

/** Which cell of which table a quantity is read from, so a test can look the cell up. */
export type Ref =
  | { readonly table: 'health'; readonly x: number; readonly layer: number; readonly column: HealthColumn }
  | { readonly table: 'health-ratio'; readonly x: number; readonly layer: number; readonly over: number }
  | { readonly table: 'health-clipped'; readonly x: number }
  | { readonly table: 'epochs'; readonly epoch: number; readonly column: EpochColumn }
  /** Read off the loss chart or computed from other numbers: the source says how. */
  | { readonly table: 'other' };

export type HealthColumn = 'gradient' | 'step' | 'mean' | 'share';
export type EpochColumn = 'loss' | 'acc' | 'val_loss' | 'val_acc';

/** A number in a sentence: its text, and where on the page it comes from (shown on hover or focus). */
export interface Quantity {
  readonly text: string;
  readonly source: string;
  readonly ref?: Ref;
}

/** A sentence as text and quantities. */
export type Part = string | Quantity;

/** The sentence as plain text. */
export function plainText(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

/**
 * A sentence from a template: `say\`Layer 1 is ${q}\`` where each value is a Quantity (kept with
 * its source) or a plain string or number (text).
 */
export function say(strings: TemplateStringsArray, ...values: readonly (Part | number)[]): Part[] {
  const out: Part[] = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < values.length) {
      const v = values[i] as Part | number;
      out.push(typeof v === 'number' ? String(v) : v);
    }
  });
  return out;
}

/** "97 %"; with one decimal below 1 % and above 99 % (never "100 %" or "0 %" for a part). */
export function percent(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  if (p > 99.9 && p < 100) return '> 99.9 %';
  return `${(p > 0 && p < 1) || (p > 99 && p < 100) ? p.toFixed(1) : Math.round(p)} %`;
}

/** A gradient RMS as the Layer health table writes it: "1.2e-5". */
export function gradText(v: number): string {
  return v > 0 ? v.toExponential(1) : '0';
}

/** A per-step update ratio as a percentage with two significant digits: "0.0024 %". */
export function stepText(r: number): string {
  return r > 0 ? `${Number((r * 100).toPrecision(2))} %` : '0 %';
}

/** A layer's mean output as the table writes it. */
export function meanText(v: number): string {
  return v.toFixed(2);
}

/** An accuracy or loss as the Epochs table writes it: "0.1050"; "NaN" and "∞" where it has no value. */
export function metricText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return v.toFixed(4);
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** A ratio of two sizes in words: "0.4×", "1/60", "10⁻⁶", "none". */
export function ratioText(r: number): string {
  if (!(r > 0)) return 'none';
  if (r >= 0.1) return `${Number(r.toPrecision(2))}×`;
  if (r >= 1e-3) return `1/${Number((1 / r).toPrecision(2))}`;
  const e = Math.round(Math.log10(r));
  return `10⁻${String(-e)
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('')}`;
}

/** The Layer health table's cells for layer `i` of a sample: gradient, step, mean output, share. */
export function healthCells(s: HealthSample, i: number): Readonly<Record<HealthColumn, string>> {
  const l = s.layers[i];
  if (!l) return { gradient: '–', step: '–', mean: '–', share: '–' };
  return {
    gradient: gradText(l.gradRms),
    step: stepText(l.updateRatio),
    mean: meanText(l.actMean),
    share: l.saturated !== null ? `${percent(l.saturated)} sat.` : l.dead !== null ? `${percent(l.dead)} dead` : '–',
  };
}

/** The Epochs table's cells for an epoch. */
export function epochCells(e: EpochLog): Readonly<Record<EpochColumn, string>> {
  const v = (x: number | null) => (x === null ? '–' : metricText(x));
  return { loss: v(e.loss), acc: v(e.acc), val_loss: v(e.valLoss), val_acc: v(e.valAcc) };
}

/** The Layer health table's caption for a sample: "newest sample (epoch 4.98)". */
export function sampleName(s: HealthSample): string {
  return `Layer health, newest sample (epoch ${s.x.toFixed(2)})`;
}

/** Row names of the Layer health table: "layer 2 (sigmoid)", "output layer". */
export function layerName(i: number, hidden: number): string {
  return i < hidden ? `layer ${i + 1}` : 'output layer';
}

/** Quantities from the Layer health table's newest sample. */
export const fromHealth = {
  share: (s: HealthSample, i: number, hidden: number, kind: 'saturated' | 'dead'): Quantity => ({
    text: percent(s.layers[i]?.[kind] ?? 0),
    source: `${sampleName(s)}, ${layerName(i, hidden)}, column "saturated · dead"`,
    ref: { table: 'health', x: s.x, layer: i, column: 'share' },
  }),
  step: (s: HealthSample, i: number, hidden: number): Quantity => ({
    text: stepText(s.layers[i]?.updateRatio ?? 0),
    source: `${sampleName(s)}, ${layerName(i, hidden)}, column "step ÷ weights"`,
    ref: { table: 'health', x: s.x, layer: i, column: 'step' },
  }),
  mean: (s: HealthSample, i: number, hidden: number): Quantity => ({
    text: meanText(s.layers[i]?.actMean ?? 0),
    source: `${sampleName(s)}, ${layerName(i, hidden)}, column "mean output"`,
    ref: { table: 'health', x: s.x, layer: i, column: 'mean' },
  }),
  clipped: (s: HealthSample): Quantity => ({
    text: percent(s.clipped),
    source: `${sampleName(s)}, the caption's "confidently wrong" share of the batch`,
    ref: { table: 'health-clipped', x: s.x },
  }),
  /**
   * Layer i's gradient RMS over layer j's, from the values as the table writes them (so the
   * learner can divide the two numbers shown and get this).
   */
  gradRatio: (s: HealthSample, i: number, j: number, hidden: number): Quantity => {
    const a = gradText(s.layers[i]?.gradRms ?? 0);
    const b = gradText(s.layers[j]?.gradRms ?? 0);
    return {
      text: ratioText(Number(a) / Number(b)),
      source: `${sampleName(s)}, column "gradient (RMS)": ${layerName(i, hidden)} ${a} ÷ ${layerName(j, hidden)} ${b}`,
      ref: { table: 'health-ratio', x: s.x, layer: i, over: j },
    };
  },
};

/** Quantities from the Epochs table. */
const COLUMN: Readonly<Record<'loss' | 'acc' | 'valLoss' | 'valAcc', EpochColumn>> = {
  loss: 'loss',
  acc: 'acc',
  valLoss: 'val_loss',
  valAcc: 'val_acc',
};

export const fromEpochs = {
  metric: (e: EpochLog, key: 'loss' | 'acc' | 'valLoss' | 'valAcc'): Quantity => ({
    text: epochCells(e)[COLUMN[key]],
    source: `Epochs table, epoch ${e.epoch}, column "${COLUMN[key]}"`,
    ref: { table: 'epochs', epoch: e.epoch, column: COLUMN[key] },
  }),
};
