/**
 * Issue 12's "flip one assumption" variants and the findings they support, pure. A variant is a
 * change to the shared config, so every run it makes is an ordinary run (with a share link). A
 * finding is one sentence computed from the numbers and their intervals (core/stats.ts), never
 * written by hand. Not wired to the page yet.
 */
import { meanInterval, intervalsApart, type Interval } from './stats';
import { DEFAULT_LR, type TrainConfig } from './spec';

/** 'he' (He initialisation) waits for the init setting. */
export const VARIANT_IDS = ['relu', 'scaled', 'adam', 'momentum', 'batch32'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

export interface Variant {
  readonly id: VariantId;
  /** "With ReLU", as the findings say it. */
  readonly phrase: string;
  /** The one change it makes. */
  apply(config: TrainConfig): TrainConfig;
}

export const VARIANTS: Readonly<Record<VariantId, Variant>> = {
  relu: { id: 'relu', phrase: 'With ReLU', apply: (c) => ({ ...c, layers: c.layers.map((l) => ({ ...l, activation: 'relu' })) }) },
  scaled: { id: 'scaled', phrase: 'With inputs scaled to 0..1', apply: (c) => ({ ...c, preprocessing: 'scaled' }) },
  adam: { id: 'adam', phrase: 'With Adam', apply: (c) => ({ ...c, optimizer: 'adam', learningRate: DEFAULT_LR.adam }) },
  momentum: { id: 'momentum', phrase: 'With SGD and momentum', apply: (c) => ({ ...c, optimizer: 'momentum', learningRate: DEFAULT_LR.momentum }) },
  batch32: { id: 'batch32', phrase: 'With batches of 32', apply: (c) => ({ ...c, batchSize: 32 }) },
};

const acc = (x: number) => x.toFixed(2);

/**
 * One sentence comparing a variant's test accuracies with the article setup's on one network
 * (`label`, e.g. "4×32"), over the same seeds: what changed, or that nothing can be claimed.
 */
export function variantFinding(variant: VariantId, label: string, baseline: readonly number[], flipped: readonly number[]): string {
  const a: Interval = meanInterval(baseline);
  const b: Interval = meanInterval(flipped);
  const phrase = VARIANTS[variant].phrase;
  if (a.n === 0 || b.n === 0) return `${phrase}, ${label}: no finished runs to compare yet.`;
  const moved = `${phrase}, ${label} reaches ${acc(b.mean)} instead of ${acc(a.mean)}`;
  if (a.n < 2 || b.n < 2) return `${moved} (one run each: repeat it to know whether the difference is more than chance).`;
  if (intervalsApart(a, b)) return `${moved}; the 95 % intervals over ${Math.min(a.n, b.n)} seeds do not overlap.`;
  return `${phrase}, ${label}: ${acc(b.mean)} against ${acc(a.mean)}, and the ${Math.min(a.n, b.n)} repeats' intervals overlap: no difference can be claimed.`;
}
