/**
 * An experiment's results from the kept runs: per config, the test accuracy over its finished
 * repeats (mean, standard deviation, range), the article's number and the difference; and the
 * table as CSV and JSON.
 */
import { configLabel, experimentRunConfig, type Experiment, type ExperimentConfig } from './experiments';
import { totalParams } from '../network/params';
import { measurementIndex, secondsPerEpoch, setupKey, type Measurements, type RunRecord } from '../runs/runs';
import type { DatasetName } from '../network/spec';
import { KERAS_MEASURED_WITH, kerasBand, outsideBand, type KerasBand } from './kerasReference';
import { boundedInterval, type Interval } from './stats';
import { VARIANTS, type VariantId } from './variants';
import { againstPublished, paperHoursHere } from './published';

export interface ConfigResult {
  readonly config: ExperimentConfig;
  readonly label: string;
  readonly params: number;
  /** Finished runs of this config (done, with a test accuracy). */
  readonly runs: number;
  readonly mean: number | null;
  /** Sample standard deviation; null with fewer than two runs. */
  readonly sd: number | null;
  /** The 95 % t-interval of the mean over the seeds (core/experiments/stats.ts); low/high null with fewer than two runs. */
  readonly low: number | null;
  readonly high: number | null;
  /** The runs' test accuracies, in the order of the history. */
  readonly values: readonly number[];
  readonly min: number | null;
  readonly max: number | null;
  readonly article: number | null;
  /** mean - article, in accuracy (0.01 = one point). */
  readonly diff: number | null;
  /**
   * Mean wall seconds per epoch over the runs; a run trained in a group of K networks in one step
   * (RunRecord.group) counts as its group's seconds / K, its share.
   */
  readonly secondsPerEpoch: number | null;
  /** Mean wall seconds per run (all epochs, validation included; a grouped run: its share, as above). */
  readonly secondsPerRun: number | null;
  /** What real Keras gives for this config over 5 seeds (full mode, MNIST only), or null. */
  readonly keras: KerasBand | null;
  /** The lab's 95 % interval lies outside the Keras band. */
  readonly outsideKeras: boolean;
  /** Hours the paper's own length (`config.paperUpdates`) would take here, at this row's speed; full MNIST runs only. */
  readonly paperHours: number | null;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * The measurements of one config of `e` in this mode (quick or full) and dataset, of the article's
 * setup (`variant` null) or of one variant: every finished run of this lab whose setup is the
 * config's (whatever experiment, if any, it was trained for), one per seed, in seed order. A run
 * trained again with the same seed is the same measurement and counts once. Runs imported from
 * elsewhere (a Keras script's results) are left out: the table is this lab's measurement.
 */
export function runsOfConfig(
  c: ExperimentConfig,
  index: Measurements,
  quick: boolean,
  dataset: DatasetName,
  variant: VariantId | null = null,
): RunRecord[] {
  const base = experimentRunConfig(c, 1, { quick, dataset });
  const setup = setupKey(variant === null ? base : VARIANTS[variant].apply(base));
  return [...(index.get(setup)?.values() ?? [])].sort((a, b) => a.config.seed - b.config.seed);
}

export function experimentResults(
  e: Experiment,
  runs: readonly RunRecord[],
  quick: boolean,
  dataset: DatasetName,
): ConfigResult[] {
  // One pass over the history, then a look-up per config.
  const index = measurementIndex(runs);
  return e.configs.map((c) => {
    const mine = runsOfConfig(c, index, quick, dataset);
    const accs = mine.map((r) => r.testAcc as number);
    const m = mean(accs);
    const sd =
      m === null || accs.length < 2 ? null : Math.sqrt(accs.reduce((s, a) => s + (a - m) ** 2, 0) / (accs.length - 1));
    const ci: Interval = boundedInterval(accs);
    const share = (r: RunRecord) => r.group ?? 1;
    const spe = mine.flatMap((r) => {
      const s = secondsPerEpoch(r);
      return s === null ? [] : [s / share(r)];
    });
    const total = mine.map((r) => r.epochs.reduce((s, ep) => s + ep.seconds, 0) / share(r));
    // The article's numbers are for MNIST on all 60,000 images: shown beside quick runs for the
    // shape, but a difference is only taken against full runs.
    const article = dataset === 'mnist' ? c.article : null;
    const keras = dataset === 'mnist' && !quick ? kerasBand(e.id, c.key) : null;
    return {
      config: c,
      label: configLabel(c),
      params: totalParams(experimentRunConfig(c, 1, { quick, dataset }).layers),
      runs: mine.length,
      mean: m,
      sd,
      low: Number.isFinite(ci.low) ? ci.low : null,
      high: Number.isFinite(ci.high) ? ci.high : null,
      values: accs,
      min: accs.length ? Math.min(...accs) : null,
      max: accs.length ? Math.max(...accs) : null,
      article,
      diff: m !== null && article !== null && !quick ? m - article : null,
      secondsPerEpoch: mean(spe),
      secondsPerRun: mean(total),
      keras,
      outsideKeras: outsideBand(ci, keras),
      paperHours:
        c.paperUpdates === undefined || quick || dataset !== 'mnist'
          ? null
          : paperHoursHere(experimentRunConfig(c, 1, { quick, dataset }), c.paperUpdates, mean(spe)),
    };
  });
}

const COLUMNS = [
  'experiment',
  'config',
  'hidden_layers',
  'units',
  'epochs',
  'batch_size',
  'params',
  'runs',
  'test_acc_mean',
  'test_acc_sd',
  'test_acc_ci95_low',
  'test_acc_ci95_high',
  'test_acc_min',
  'test_acc_max',
  'article',
  'diff',
  'keras_mean',
  'keras_min',
  'keras_max',
  'keras_seeds',
  'seconds_per_epoch',
  'seconds_per_run',
  'dataset',
  'mode',
  'source',
  'against',
  'differs',
] as const;

/** A CSV cell: quoted where the text holds a comma, a quote or a line break (RFC 4180). */
const cell = (v: string | number | null) => {
  const text = v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function resultsToCsv(
  e: Experiment,
  rows: readonly ConfigResult[],
  quick: boolean,
  dataset: DatasetName,
): string {
  const lines = rows.map((r) =>
    [
      e.id,
      r.label,
      r.config.depth,
      r.config.width,
      r.config.epochs,
      r.config.batchSize,
      r.params,
      r.runs,
      r.mean,
      r.sd,
      r.low,
      r.high,
      r.min,
      r.max,
      r.article,
      r.diff,
      r.keras?.mean ?? null,
      r.keras?.min ?? null,
      r.keras?.max ?? null,
      r.keras?.values.length ?? null,
      r.secondsPerEpoch,
      r.secondsPerRun,
      dataset,
      quick ? 'quick' : 'full',
      r.config.source ?? null,
      r.diff !== null && e.reference === 'published' ? againstPublished(r.diff) : null,
      r.config.differs ?? null,
    ]
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function resultsToJson(
  e: Experiment,
  rows: readonly ConfigResult[],
  quick: boolean,
  dataset: DatasetName,
  exportedAt: number,
): string {
  return JSON.stringify(
    {
      format: 'mlp-lab-experiment',
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      experiment: { id: e.id, number: e.number, title: e.title, question: e.question, articleSays: e.articleSays },
      dataset,
      mode: quick ? 'quick' : 'full',
      ...(e.reference === 'published'
        ? { reference: 'published test accuracy (1 − the paper’s test error), in each row’s `article`' }
        : { keras: `the band of 5 seeds in ${KERAS_MEASURED_WITH} (keras/reference.py), same setup and data` }),
      results: rows.map((r) => ({
        ...r,
        config: { ...r.config },
        ...(e.reference === 'published' ? { against: r.diff === null ? null : againstPublished(r.diff) } : {}),
      })),
    },
    null,
    2,
  );
}
