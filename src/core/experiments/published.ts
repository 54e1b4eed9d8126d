/**
 * Experiment 9's verdict on a row: does the lab's mean come within half a point of the paper's
 * published test accuracy (issue 22's bar), or how far short is it?
 */

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
