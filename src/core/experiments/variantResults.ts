/**
 * The variant table (issue 12): per config of an experiment, the article's setup and each variant
 * side by side, as the mean and 95 % t-interval of the runs' test accuracies over the seeds; the
 * findings generated from those numbers; and the table as CSV and JSON. Pure.
 */
import { runsOfConfig } from './experimentResults';
import { configLabel, QUICK_SUBSET, type Experiment, type ExperimentConfig } from './experiments';
import { formatCount } from '../network/params';
import { measurementIndex, type RunRecord } from '../runs/runs';
import { listText, orListText } from '../words';
import type { DatasetName } from '../network/spec';
import { boundedInterval, intervalsApart, type Interval } from './stats';
import { acc3, VARIANT_IDS, VARIANTS, variantFinding, type VariantId } from './variants';

export interface SetupCell {
  /** null: the article's setup. */
  readonly variant: VariantId | null;
  /** Test accuracies of the finished runs, in the order of the history. */
  readonly values: readonly number[];
  readonly interval: Interval;
}

export interface VariantRow {
  readonly config: ExperimentConfig;
  readonly label: string;
  /** The article's setup first, then the variants in the order given. */
  readonly cells: readonly SetupCell[];
}

/** The variants to show: those ticked and those with measurements of this experiment's configs, in VARIANT_IDS order. */
export function shownVariants(
  e: Experiment,
  runs: readonly RunRecord[],
  quick: boolean,
  dataset: DatasetName,
  ticked: readonly VariantId[],
): VariantId[] {
  const index = measurementIndex(runs);
  return VARIANT_IDS.filter(
    (v) => ticked.includes(v) || e.configs.some((c) => runsOfConfig(c, index, quick, dataset, v).length > 0),
  );
}

export function variantTable(
  e: Experiment,
  runs: readonly RunRecord[],
  quick: boolean,
  dataset: DatasetName,
  variants: readonly VariantId[],
): VariantRow[] {
  const index = measurementIndex(runs);
  return e.configs.map((c) => ({
    config: c,
    label: configLabel(c),
    cells: [null, ...variants].map((variant) => {
      const values = runsOfConfig(c, index, quick, dataset, variant).map((r) => r.testAcc as number);
      return { variant, values, interval: boundedInterval(values) };
    }),
  }));
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/** Single-seed differences smaller than this are not worth a sentence. */
const SINGLE_SEED_SHOWN = 0.01;

interface Pair {
  readonly v: VariantId;
  readonly row: VariantRow;
  readonly a: Interval;
  readonly b: Interval;
  readonly delta: number;
  readonly kind: 'apart' | 'noise' | 'single';
}

/**
 * The findings, one sentence each, from the numbers in `rows` (the table's, to its 3 decimals):
 * - in quick mode first a caveat: a short run cannot answer the question, so nothing is concluded;
 * - every config/variant pair whose 95 % intervals are apart, largest effect first, harms as well
 *   as gains; then pairs measured on one seed only whose means differ by a point or more, with no
 *   claim; then one sentence naming the pairs within noise;
 * - then, in full mode, one sentence across the variants at the config where the article's setup
 *   does worst, naming it: which flips lift it clear of it and which leave it within chance,
 *   naming the assumptions each flips. Only variants with two seeds or more on both sides take part;
 * - last, the variants with no runs yet.
 */
export function variantFindings(rows: readonly VariantRow[], variants: readonly VariantId[], quick: boolean): string[] {
  const out: string[] = [];
  if (quick) {
    out.push(
      `Quick mode (${formatCount(QUICK_SUBSET)} images): in a run this short most sigmoid networks deeper than one layer stay near chance whatever is flipped, so these runs cannot say why depth hurts. The lines below describe them; no conclusion is drawn. Run in full to answer.`,
    );
  }
  const pairs: Pair[] = [];
  variants.forEach((v, k) => {
    for (const row of rows) {
      const a = row.cells[0]?.interval;
      const b = row.cells[k + 1]?.interval;
      if (!a || !b || a.n === 0 || b.n === 0) continue;
      const kind = a.n < 2 || b.n < 2 ? 'single' : intervalsApart(a, b) ? 'apart' : 'noise';
      pairs.push({ v, row, a, b, delta: b.mean - a.mean, kind });
    }
  });
  const sentence = (p: Pair) =>
    variantFinding(
      p.v,
      p.row.label,
      p.row.cells[0]?.values ?? [],
      p.row.cells[variants.indexOf(p.v) + 1]?.values ?? [],
    );
  const bySize = (xs: Pair[]) => [...xs].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
  out.push(...bySize(pairs.filter((p) => p.kind === 'apart')).map(sentence));
  out.push(...bySize(pairs.filter((p) => p.kind === 'single' && Math.abs(p.delta) >= SINGLE_SEED_SHOWN)).map(sentence));
  const noise = pairs.filter((p) => p.kind === 'noise');
  if (noise.length) {
    out.push(
      `Within noise (the 95 % intervals overlap): ${listText(noise.map((p) => `${VARIANTS[p.v].label} at ${p.row.label} (${acc3(p.b.mean)} against ${acc3(p.a.mean)})`))}.`,
    );
  }
  const across = quick ? null : acrossVariants(rows, variants);
  if (across) out.push(across);
  for (const v of variants)
    if (!pairs.some((p) => p.v === v))
      out.push(`${VARIANTS[v].phrase}: no finished runs beside the article's setup yet.`);
  return out;
}

/** The sentence across the variants at the config where the article's setup does worst (two seeds or more). */
function acrossVariants(rows: readonly VariantRow[], variants: readonly VariantId[]): string | null {
  if (variants.length === 0) return null;
  const measured = rows.filter((r) => (r.cells[0]?.interval.n ?? 0) >= 2);
  if (measured.length === 0) return null;
  const worst = measured.reduce((w, r) =>
    (r.cells[0] as SetupCell).interval.mean < (w.cells[0] as SetupCell).interval.mean ? r : w,
  );
  const base = (worst.cells[0] as SetupCell).interval;
  const lift: { v: VariantId; mean: number }[] = [];
  const lower: { v: VariantId; mean: number }[] = [];
  const same: { v: VariantId; mean: number }[] = [];
  variants.forEach((v, k) => {
    const b = worst.cells[k + 1]?.interval;
    if (!b || b.n < 2) return;
    const entry = { v, mean: b.mean };
    if (!intervalsApart(base, b)) same.push(entry);
    else (b.mean > base.mean ? lift : lower).push(entry);
  });
  if (lift.length + lower.length + same.length === 0) return null;
  const names = (xs: readonly { v: VariantId }[]) => unique(xs.map((x) => VARIANTS[x.v].assumption));
  const at = `At ${worst.label}, where the article's setup does worst (${acc3(base.mean)})`;
  const parts: string[] = [];
  if (lift.length)
    parts.push(
      `flipping ${orListText(names(lift))} lifts it clear of chance variation (to ${listText(lift.map((x) => acc3(x.mean)))})`,
    );
  if (lower.length)
    parts.push(`flipping ${orListText(names(lower))} makes it worse (${listText(lower.map((x) => acc3(x.mean)))})`);
  if (same.length)
    parts.push(
      `flipping ${orListText(names(same))} leaves it where it was (${listText(same.map((x) => acc3(x.mean)))}, the intervals overlap)`,
    );
  let verdict = '';
  if (lift.length && same.length)
    verdict = `: at ${worst.label} it fails through ${listText(names(lift))}, not through ${listText(names(same))}`;
  else if (lift.length) verdict = `: at ${worst.label}, each of ${listText(names(lift))} is part of why it fails`;
  else if (same.length && !lower.length) verdict = `: none of the flips tried explains its result at ${worst.label}`;
  return `${at}, ${listText(parts)}${verdict}.`;
}

const cell = (v: string | number | null) => (v === null ? '' : String(v));
const finite = (x: number) => (Number.isFinite(x) ? x : null);
const setupName = (v: VariantId | null) => (v === null ? 'article setup' : VARIANTS[v].label);

const CSV_COLUMNS = [
  'experiment',
  'config',
  'params_config',
  'setup',
  'variant',
  'runs',
  'test_acc_mean',
  'ci95_low',
  'ci95_high',
  'values',
  'dataset',
  'mode',
] as const;

/** One row per config and setup; `values` are the runs' accuracies separated by spaces. */
export function variantTableToCsv(
  e: Experiment,
  rows: readonly VariantRow[],
  quick: boolean,
  dataset: DatasetName,
): string {
  const lines = rows.flatMap((r) =>
    r.cells.map((c) =>
      [
        e.id,
        r.label,
        r.config.key,
        setupName(c.variant),
        c.variant ?? '',
        c.interval.n,
        finite(c.interval.mean),
        finite(c.interval.low),
        finite(c.interval.high),
        c.values.join(' '),
        dataset,
        quick ? 'quick' : 'full',
      ]
        .map(cell)
        .join(','),
    ),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function variantTableToJson(
  e: Experiment,
  rows: readonly VariantRow[],
  findings: readonly string[],
  quick: boolean,
  dataset: DatasetName,
  exportedAt: number,
): string {
  return JSON.stringify(
    {
      format: 'mlp-lab-variants',
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      experiment: { id: e.id, number: e.number, title: e.title },
      dataset,
      mode: quick ? 'quick' : 'full',
      interval: '95 % t-interval of the mean over seeds: mean ± t(0.975, n − 1) · s / √n',
      rows: rows.map((r) => ({
        config: r.label,
        key: r.config.key,
        setups: r.cells.map((c) => ({
          setup: setupName(c.variant),
          variant: c.variant,
          runs: c.interval.n,
          mean: finite(c.interval.mean),
          low: finite(c.interval.low),
          high: finite(c.interval.high),
          values: c.values,
        })),
      })),
      findings,
    },
    null,
    2,
  );
}
