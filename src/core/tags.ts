/**
 * The vocabulary that runs, experiments and checks share: which experiments and variants exist, and
 * the tag a queued run carries so its results can be found again. At the bottom of core/, so that
 * runs/ (which stores tags) and experiments/ (which reads runs) need not import each other.
 */

export const EXPERIMENT_IDS = [
  'first',
  'depth',
  'depth40',
  'width',
  'grid',
  'batch16',
  'budget',
  'budget100k',
  'history',
] as const;
export type ExperimentId = (typeof EXPERIMENT_IDS)[number];

export const VARIANT_IDS = [
  'relu',
  'scaled',
  'adam',
  'momentum',
  'he',
  'batch32',
  'l2',
  'dropout',
  'cosine',
  'affine',
  'bn',
] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

/** What queued runs are for: an experiment's, or a diagnosis check's (core/diagnosis/check.ts). */
export type QueueKind = ExperimentId | 'check';

/** What a run of an experiment (or of a check) carries, so its results can be found again. */
export interface ExperimentTag {
  readonly experiment: QueueKind;
  readonly key: string;
  readonly repeat: number;
  readonly quick: boolean;
  /** The one assumption this run flips (core/experiments/variants.ts); absent: the article's setup. */
  readonly variant?: VariantId;
}
