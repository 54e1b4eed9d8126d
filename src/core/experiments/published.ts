/**
 * Experiment 9's verdict on a row: does the lab's mean come within half a point of the paper's
 * published test accuracy (issue 22's bar), or how far short is it? And how long the paper's
 * training would take here, at the speed the row's runs measured.
 */
import { kerasSplit } from '../dataset/split';
import { LIMITS, type TrainConfig } from '../network/spec';

/**
 * How far below the published accuracy the lab's mean may fall and still match it: 0.5 points,
 * of the difference as the table shows it (to a tenth of a point).
 */
export const MATCH_TOLERANCE = 0.005;

export interface Verdict {
  readonly kind: 'none' | 'matched' | 'short';
  /** The difference in points, to the tenth the table shows (0 where `kind` is 'none'). */
  readonly points: number;
}

/** `diff`: the lab's mean minus the published accuracy (0.01 = one point); null: nothing to compare. */
export function publishedVerdict(diff: number | null): Verdict {
  if (diff === null || !Number.isFinite(diff)) return { kind: 'none', points: 0 };
  // Rounded to the tenth of a point the table shows, so the words never contradict the difference column.
  const points = Math.round(diff * 1000) / 10;
  return { kind: points >= -MATCH_TOLERANCE * 100 ? 'matched' : 'short', points };
}

/** The verdict in words: "matched", "matched, 0.7 pt above", "matched, within 0.5 pt", "short by 2.1 pt". */
export function againstPublished(diff: number | null): string {
  const { kind, points } = publishedVerdict(diff);
  if (kind === 'none') return '–';
  if (kind === 'short') return `short by ${(-points).toFixed(1)} pt`;
  return points === 0 ? 'matched' : points > 0 ? `matched, ${points.toFixed(1)} pt above` : 'matched, within 0.5 pt';
}

/** The weight updates (batches) of one epoch of `config`. */
export function updatesPerEpoch(config: TrainConfig): number {
  return kerasSplit(config.subset ?? LIMITS.maxSubset, config.validationSplit, config.batchSize).batchesPerEpoch;
}

/**
 * Hours the paper's `paperUpdates` would take here: the row's typical epoch (the median after the
 * first, as the table's s/epoch) scaled from its updates to the paper's; null until measured.
 */
export function paperHoursHere(
  config: TrainConfig,
  paperUpdates: number,
  secondsPerEpoch: number | null,
): number | null {
  if (secondsPerEpoch === null || !Number.isFinite(secondsPerEpoch) || secondsPerEpoch <= 0) return null;
  return ((secondsPerEpoch / updatesPerEpoch(config)) * paperUpdates) / 3600;
}

/** What `publishedSummary` reads of a results row. */
export interface PublishedRow {
  readonly label: string;
  readonly diff: number | null;
  readonly secondsPerRun: number | null;
}

/**
 * One paragraph under experiment 9's table, from its numbers: which rows the lab matched here and
 * the longest of their runs (on average over the row's seeds), and which rows fell short. Null until
 * a row with a published number has a result.
 */
export function publishedSummary(rows: readonly PublishedRow[]): string | null {
  const judged = rows
    .map((r) => ({ ...r, verdict: publishedVerdict(r.diff) }))
    .filter((r) => r.verdict.kind !== 'none');
  if (judged.length === 0) return null;
  const matched = judged.filter((r) => r.verdict.kind === 'matched');
  const short = judged.filter((r) => r.verdict.kind === 'short');
  const slowest = Math.max(...matched.map((r) => r.secondsPerRun ?? 0));
  const labels = (rs: typeof judged) => rs.map((r) => r.label).join('; ');
  const parts = [
    matched.length === 0
      ? judged.length === 1
        ? 'The one row run so far is not matched here.'
        : `None of the ${judged.length} rows run so far is matched here.`
      : `Matched here (${matched.length} of ${judged.length}${slowest > 0 ? `; the slowest of them took ${Math.ceil(slowest / 60)} min a run on average` : ''}): ${labels(matched)}.`,
    short.length === 0
      ? ''
      : `Short of the paper: ${short.map((r) => `${r.label} (by ${(-r.verdict.points).toFixed(1)} pt)`).join('; ')}.`,
  ];
  return parts.filter((p) => p !== '').join(' ');
}
