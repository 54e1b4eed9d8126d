/**
 * Experiment 9's verdict on a row: does the lab's mean come within half a point of the paper's
 * published test accuracy (issue 22's bar), or how far short is it? And how long the paper's
 * training would take here, at the speed the row's runs measured.
 */
import { kerasSplit } from '../dataset/split';
import { LIMITS, type TrainConfig } from '../network/spec';

/** How far below the published accuracy the lab's mean may fall and still match it: 0.5 points. */
export const MATCH_TOLERANCE = 0.005;

/** `diff`: the lab's mean minus the published accuracy (0.01 = one point); null: nothing to compare. */
export function againstPublished(diff: number | null): string {
  if (diff === null || !Number.isFinite(diff)) return '–';
  // Rounded to the tenth of a point the table shows, so the words never contradict the difference column.
  const points = Math.round(diff * 1000) / 10;
  if (points >= 0) return points === 0 ? 'matched' : `matched, ${points.toFixed(1)} pt above`;
  if (points >= -MATCH_TOLERANCE * 100) return 'matched, within 0.5 pt';
  return `short by ${(-points).toFixed(1)} pt`;
}

/** The weight updates (batches) of one run of `config`. */
export function updatesPerRun(config: TrainConfig): number {
  return (
    kerasSplit(config.subset ?? LIMITS.maxSubset, config.validationSplit, config.batchSize).batchesPerEpoch *
    config.epochs
  );
}

/**
 * Hours the paper's `paperUpdates` would take here: the measured seconds of a run of `config`,
 * scaled from its updates to the paper's; null until a run has been measured.
 */
export function paperHoursHere(config: TrainConfig, paperUpdates: number, secondsPerRun: number | null): number | null {
  if (secondsPerRun === null || !Number.isFinite(secondsPerRun) || secondsPerRun <= 0) return null;
  return ((secondsPerRun / updatesPerRun(config)) * paperUpdates) / 3600;
}

/** What `publishedSummary` reads of a results row. */
export interface PublishedRow {
  readonly label: string;
  readonly diff: number | null;
  readonly secondsPerRun: number | null;
}

const joinLabels = (rows: readonly PublishedRow[]) => rows.map((r) => r.label).join('; ');

/**
 * One paragraph under experiment 9's table, from its numbers: which rows the lab matched here and in
 * how long at most, and which it fell short of. Null until a row with a published number has a result.
 */
export function publishedSummary(rows: readonly PublishedRow[]): string | null {
  const measured = rows.filter((r) => r.diff !== null && Number.isFinite(r.diff));
  if (measured.length === 0) return null;
  const matched = measured.filter((r) => againstPublished(r.diff).startsWith('matched'));
  const short = measured.filter((r) => !againstPublished(r.diff).startsWith('matched'));
  const longest = Math.max(...matched.map((r) => r.secondsPerRun ?? 0));
  const parts = [
    matched.length
      ? `Matched here (${matched.length} of ${measured.length}${longest > 0 ? `, each run in at most ${Math.ceil(longest / 60)} min` : ''}): ${joinLabels(matched)}.`
      : measured.length === 1
        ? 'The one row run so far is not matched here.'
        : `None of the ${measured.length} rows run so far is matched here.`,
    short.length
      ? `Short of the paper: ${short.map((r) => `${r.label} (${againstPublished(r.diff).replace('short ', '')})`).join('; ')}.`
      : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
