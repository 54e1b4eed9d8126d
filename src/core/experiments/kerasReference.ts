/**
 * What real Keras gives for the article's experiments (issue 21): test accuracies over 5 seeds per
 * config, trained by keras/reference.py from the lab's own MNIST files with the lab's generated
 * Keras scripts (scripts/keras-scripts.mjs), in the article's setup on all 60,000 images. The experiment
 * tables show the band (mean and range) beside the lab's own mean, and mark the lab's mean when
 * its interval lies outside the band.
 */
import type { ExperimentId } from './experiments';
import type { Interval } from './stats';
import REFERENCE from './kerasReference.json' with { type: 'json' };

export interface KerasBand {
  readonly seeds: readonly number[];
  readonly values: readonly number[];
  readonly mean: number;
  readonly sd: number | null;
  readonly min: number;
  readonly max: number;
}

interface ReferenceFile {
  readonly versions: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, string>>;
  readonly experiments: Readonly<Record<string, { readonly configs: Readonly<Record<string, KerasBand>> } | undefined>>;
}

const reference = REFERENCE as ReferenceFile;

/** "Keras 3.15.1 on jax 0.10.2": what the band was measured with. */
export const KERAS_MEASURED_WITH =
  `Keras ${reference.versions.keras ?? '?'} on ${reference.versions.backend ?? '?'} ${reference.versions.backendVersion ?? ''}`.trim();

/** SHA-256 of the four IDX files the reference trained on. */
export const KERAS_DATA = reference.data;

/** The Keras band of an experiment's config (the article's setup, full data, MNIST), or null. */
export function kerasBand(experiment: ExperimentId, key: string): KerasBand | null {
  return reference.experiments[experiment]?.configs[key] ?? null;
}

/**
 * Whether the lab's mean falls outside the Keras band by more than its interval allows: the lab's
 * 95 % interval (two seeds or more) lies wholly below the band's lowest or above its highest run.
 */
export function outsideBand(lab: Pick<Interval, 'n' | 'low' | 'high'>, band: KerasBand | null): boolean {
  if (!band || lab.n < 2 || !Number.isFinite(lab.low) || !Number.isFinite(lab.high)) return false;
  return lab.high < band.min || lab.low > band.max;
}
