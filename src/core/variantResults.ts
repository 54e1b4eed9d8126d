/**
 * The variant table (issue 12): per config of an experiment, the article's setup and each variant
 * side by side, as the mean and 95 % t-interval of the runs' test accuracies over the seeds; the
 * findings generated from those numbers; and the table as CSV and JSON. Pure.
 */
import { runsOfConfig } from './experimentResults';
import { configLabel, QUICK_SUBSET, type Experiment, type ExperimentConfig } from './experiments';
import { formatCount } from './params';
import type { RunRecord } from './runs';
import type { DatasetName } from './spec';
import { boundedInterval, intervalsApart, type Interval } from './stats';
import { VARIANT_IDS, VARIANTS, variantFinding, type VariantId } from './variants';

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

/** The variants to show: those ticked and those with runs of this experiment, in VARIANT_IDS order. */
export function shownVariants(e: Experiment, runs: readonly RunRecord[], quick: boolean, dataset: DatasetName, ticked: readonly VariantId[]): VariantId[] {
  const ran = new Set(runs.filter((r) => r.tag?.experiment === e.id && r.origin === undefined && r.tag.quick === quick && r.config.dataset === dataset && r.tag.variant).map((r) => r.tag?.variant));
  return VARIANT_IDS.filter((v) => ticked.includes(v) || ran.has(v));
}

export function variantTable(e: Experiment, runs: readonly RunRecord[], quick: boolean, dataset: DatasetName, variants: readonly VariantId[]): VariantRow[] {
  const ours = runs.filter((r) => r.tag?.experiment === e.id);
  return e.configs.map((c) => ({
    config: c,
    label: configLabel(c),
    cells: [null, ...variants].map((variant) => {
      const values = runsOfConfig(e, c, ours, quick, dataset, variant).map((r) => r.testAcc as number);
      return { variant, values, interval: boundedInterval(values) };
    }),
  }));
}

const acc = (x: number) => x.toFixed(2);
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1) as string}`);
const orList = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1) as string}`);
const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * The findings, one sentence each, from the numbers in `rows`:
 * - in quick mode first a caveat: a short run cannot answer the question, so nothing is concluded;
 * - per variant, `variantFinding` at the config where it moves the mean most;
 * - then, in full mode, one sentence across the variants at the config where the article's setup
 *   does worst: which flips lift it clear of it (the 95 % intervals apart) and which leave it
 *   within chance, naming the assumptions each flips. Only variants with two runs or more on both
 *   sides take part.
 */
export function variantFindings(rows: readonly VariantRow[], variants: readonly VariantId[], quick: boolean): string[] {
  const out: string[] = [];
  if (quick) {
    out.push(
      `Quick mode (${formatCount(QUICK_SUBSET)} images): in a run this short most sigmoid networks deeper than one layer stay near chance whatever is flipped, so these runs cannot say why depth hurts. The lines below describe them; no conclusion is drawn. Run in full to answer.`,
    );
  }
  variants.forEach((v, k) => {
    let best: { row: VariantRow; gap: number } | null = null;
    for (const row of rows) {
      const a = row.cells[0]?.interval;
      const b = row.cells[k + 1]?.interval;
      if (!a || !b || a.n === 0 || b.n === 0) continue;
      const gap = Math.abs(b.mean - a.mean);
      if (best === null || gap > best.gap) best = { row, gap };
    }
    if (best) out.push(variantFinding(v, best.row.label, best.row.cells[0]?.values ?? [], best.row.cells[k + 1]?.values ?? []));
    else out.push(`${VARIANTS[v].phrase}: no finished runs beside the article's setup yet.`);
  });
  if (quick || variants.length === 0) return out;
  // Where the article's setup does worst (its lowest mean over two or more runs).
  const measured = rows.filter((r) => (r.cells[0]?.interval.n ?? 0) >= 2);
  if (measured.length === 0) return out;
  const worst = measured.reduce((w, r) => ((r.cells[0] as SetupCell).interval.mean < (w.cells[0] as SetupCell).interval.mean ? r : w));
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
  if (lift.length + lower.length + same.length === 0) return out;
  const names = (xs: readonly { v: VariantId }[]) => unique(xs.map((x) => VARIANTS[x.v].assumption));
  const at = `At ${worst.label}, where the article's setup does worst (${acc(base.mean)})`;
  const parts: string[] = [];
  if (lift.length) parts.push(`flipping ${orList(names(lift))} lifts it clear of chance variation (to ${list(lift.map((x) => acc(x.mean)))})`);
  if (lower.length) parts.push(`flipping ${orList(names(lower))} makes it worse (${list(lower.map((x) => acc(x.mean)))})`);
  if (same.length) parts.push(`flipping ${orList(names(same))} leaves it where it was (${list(same.map((x) => acc(x.mean)))}, the intervals overlap)`);
  let verdict = '';
  if (lift.length && same.length) verdict = `: it fails through ${list(names(lift))}, not through ${list(names(same))}`;
  else if (lift.length) verdict = `: each of ${list(names(lift))} is part of why it fails`;
  else if (same.length && !lower.length) verdict = ': none of the flips tried explains its result';
  out.push(`${at}, ${list(parts)}${verdict}.`);
  return out;
}

const cell = (v: string | number | null) => (v === null ? '' : String(v));
const finite = (x: number) => (Number.isFinite(x) ? x : null);
const setupName = (v: VariantId | null) => (v === null ? 'article setup' : VARIANTS[v].label);

const CSV_COLUMNS = ['experiment', 'config', 'params_config', 'setup', 'variant', 'runs', 'test_acc_mean', 'ci95_low', 'ci95_high', 'values', 'dataset', 'mode'] as const;

/** One row per config and setup; `values` are the runs' accuracies separated by spaces. */
export function variantTableToCsv(e: Experiment, rows: readonly VariantRow[], quick: boolean, dataset: DatasetName): string {
  const lines = rows.flatMap((r) =>
    r.cells.map((c) =>
      [e.id, r.label, r.config.key, setupName(c.variant), c.variant ?? '', c.interval.n, finite(c.interval.mean), finite(c.interval.low), finite(c.interval.high), c.values.join(' '), dataset, quick ? 'quick' : 'full']
        .map(cell)
        .join(','),
    ),
  );
  return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function variantTableToJson(e: Experiment, rows: readonly VariantRow[], findings: readonly string[], quick: boolean, dataset: DatasetName, exportedAt: number): string {
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
        setups: r.cells.map((c) => ({ setup: setupName(c.variant), variant: c.variant, runs: c.interval.n, mean: finite(c.interval.mean), low: finite(c.interval.low), high: finite(c.interval.high), values: c.values })),
      })),
      findings,
    },
    null,
    2,
  );
}
