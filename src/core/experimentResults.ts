/**
 * An experiment's results from the kept runs: per config, the test accuracy over its finished
 * repeats (mean, standard deviation, range), the article's number and the difference; and the
 * table as CSV and JSON.
 */
import { configLabel, experimentRunConfig, type Experiment, type ExperimentConfig } from './experiments';
import { totalParams } from './params';
import { secondsPerEpoch, type RunRecord } from './runs';
import type { DatasetName } from './spec';
import { boundedInterval, type Interval } from './stats';
import type { VariantId } from './variants';

export interface ConfigResult {
  readonly config: ExperimentConfig;
  readonly label: string;
  readonly params: number;
  /** Finished runs of this config (done, with a test accuracy). */
  readonly runs: number;
  readonly mean: number | null;
  /** Sample standard deviation; null with fewer than two runs. */
  readonly sd: number | null;
  /** The 95 % t-interval of the mean over the seeds (core/stats.ts); low/high null with fewer than two runs. */
  readonly low: number | null;
  readonly high: number | null;
  /** The runs' test accuracies, in the order of the history. */
  readonly values: readonly number[];
  readonly min: number | null;
  readonly max: number | null;
  readonly article: number | null;
  /** mean - article, in accuracy (0.01 = one point). */
  readonly diff: number | null;
  /** Mean wall seconds per epoch over the runs. */
  readonly secondsPerEpoch: number | null;
  /** Mean wall seconds per run (all epochs, validation included). */
  readonly secondsPerRun: number | null;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * The finished runs of one config of `e` in this mode (quick or full) and dataset, of the
 * article's setup (`variant` null) or of one variant. Runs imported from elsewhere (a Keras
 * script's results) carry the tag too but are left out: the table is this lab's measurement.
 */
export function runsOfConfig(e: Experiment, c: ExperimentConfig, runs: readonly RunRecord[], quick: boolean, dataset: DatasetName, variant: VariantId | null = null): RunRecord[] {
  return runs.filter(
    (r) =>
      r.tag?.experiment === e.id &&
      r.origin === undefined &&
      r.tag.key === c.key &&
      r.tag.quick === quick &&
      (r.tag.variant ?? null) === variant &&
      r.config.dataset === dataset &&
      r.status === 'done' &&
      r.testAcc !== null &&
      Number.isFinite(r.testAcc),
  );
}

export function experimentResults(e: Experiment, runs: readonly RunRecord[], quick: boolean, dataset: DatasetName): ConfigResult[] {
  // One pass over the history, then per config over this experiment's runs only.
  const ours = runs.filter((r) => r.tag?.experiment === e.id);
  return e.configs.map((c) => {
    const mine = runsOfConfig(e, c, ours, quick, dataset);
    const accs = mine.map((r) => r.testAcc as number);
    const m = mean(accs);
    const sd = m === null || accs.length < 2 ? null : Math.sqrt(accs.reduce((s, a) => s + (a - m) ** 2, 0) / (accs.length - 1));
    const ci: Interval = boundedInterval(accs);
    const spe = mine.map(secondsPerEpoch).filter((x): x is number => x !== null);
    const total = mine.map((r) => r.epochs.reduce((s, ep) => s + ep.seconds, 0));
    // The article's numbers are for MNIST on all 60,000 images: shown beside quick runs for the
    // shape, but a difference is only taken against full runs.
    const article = dataset === 'mnist' ? c.article : null;
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
    };
  });
}

const COLUMNS = ['experiment', 'config', 'hidden_layers', 'units', 'epochs', 'batch_size', 'params', 'runs', 'test_acc_mean', 'test_acc_sd', 'test_acc_ci95_low', 'test_acc_ci95_high', 'test_acc_min', 'test_acc_max', 'article', 'diff', 'seconds_per_epoch', 'seconds_per_run', 'dataset', 'mode'] as const;

const cell = (v: string | number | null) => (v === null ? '' : String(v));

export function resultsToCsv(e: Experiment, rows: readonly ConfigResult[], quick: boolean, dataset: DatasetName): string {
  const lines = rows.map((r) =>
    [e.id, r.label, r.config.depth, r.config.width, r.config.epochs, r.config.batchSize, r.params, r.runs, r.mean, r.sd, r.low, r.high, r.min, r.max, r.article, r.diff, r.secondsPerEpoch, r.secondsPerRun, dataset, quick ? 'quick' : 'full']
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function resultsToJson(e: Experiment, rows: readonly ConfigResult[], quick: boolean, dataset: DatasetName, exportedAt: number): string {
  return JSON.stringify(
    {
      format: 'mlp-lab-experiment',
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      experiment: { id: e.id, number: e.number, title: e.title, question: e.question, articleSays: e.articleSays },
      dataset,
      mode: quick ? 'quick' : 'full',
      results: rows.map((r) => ({ ...r, config: { ...r.config } })),
    },
    null,
    2,
  );
}
