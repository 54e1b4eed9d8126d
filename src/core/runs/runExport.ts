/**
 * Runs as files a person can take away: CSV with one row per epoch (every epoch of every chosen
 * run, the run's settings repeated on each row so a spreadsheet can pivot on them) and JSON with
 * one object per run and its epochs nested.
 */
import { architectureLabel, secondsPerEpoch, type RunRecord } from './runs';
import { layerDropout } from '../network/dropout';
import { layerNorm } from '../network/batchNorm';
import { warmupEpochs } from '../network/schedule';
import { encodeConfig } from '../link/urlCodec';

export const CSV_COLUMNS = [
  'run_id',
  'started',
  'architecture',
  'hidden_layers',
  'activations',
  'params',
  'optimizer',
  'learning_rate',
  'batch_size',
  'epochs_planned',
  'preprocessing',
  'init',
  'l2',
  'l1',
  'max_norm',
  'input_dropout',
  'dropout',
  'batch_norm',
  'early_patience',
  'early_monitor',
  'schedule',
  'warmup',
  'loss',
  'augment',
  'validation_split',
  'training_images',
  'seed',
  'dataset',
  'backend',
  'status',
  'epoch',
  'loss',
  'acc',
  'val_loss',
  'val_acc',
  'seconds',
  'test_loss',
  'test_acc',
] as const;

/** RFC 4180 quoting; a leading =, +, -, @, tab or carriage return is defused so a spreadsheet does not run it. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One header row, then one row per epoch of each run (a run with no epoch gets one row). */
export function runsToCsv(runs: readonly RunRecord[]): string {
  const rows: (string | number | null)[][] = [];
  for (const r of runs) {
    const c = r.config;
    const common = [
      r.id,
      new Date(r.startedAt).toISOString(),
      architectureLabel(c.layers),
      c.layers.map((l) => l.units).join(' '),
      c.layers.map((l) => l.activation).join(' '),
      r.params,
      c.optimizer,
      c.learningRate,
      c.batchSize,
      c.epochs,
      c.preprocessing,
      c.init,
      c.l2,
      c.l1,
      c.maxNorm,
      c.inputDropout,
      c.layers.map(layerDropout).join(' '),
      c.layers.map((l) => (layerNorm(l) ? 1 : 0)).join(' '),
      c.earlyPatience,
      c.earlyPatience === null ? null : c.earlyMonitor,
      c.schedule,
      warmupEpochs(c),
      c.loss,
      c.augment,
      c.validationSplit,
      r.trainCount,
      c.seed,
      c.dataset,
      r.backend,
      r.status,
    ];
    const epochs = r.epochs.length > 0 ? r.epochs : [null];
    for (const e of epochs) {
      rows.push([
        ...common,
        e?.epoch ?? null,
        e?.loss ?? null,
        e?.acc ?? null,
        e?.valLoss ?? null,
        e?.valAcc ?? null,
        e?.seconds ?? null,
        r.testLoss,
        r.testAcc,
      ]);
    }
  }
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

/** A self-describing JSON document; `query` is the share-link query string that repeats the run. */
export function runsToJson(runs: readonly RunRecord[], exportedAt: number): string {
  return JSON.stringify(
    {
      format: 'mlp-lab-runs',
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      runs: runs.map((r) => ({
        id: r.id,
        started: new Date(r.startedAt).toISOString(),
        architecture: architectureLabel(r.config.layers),
        query: encodeConfig(r.config),
        config: r.config,
        status: r.status,
        params: r.params,
        backend: r.backend,
        trainCount: r.trainCount,
        valCount: r.valCount,
        secondsPerEpoch: secondsPerEpoch(r),
        testLoss: r.testLoss,
        testAcc: r.testAcc,
        error: r.error,
        epochs: r.epochs,
        tag: r.tag,
        ...(r.origin ? { origin: r.origin } : {}),
        ...(r.group ? { group: r.group } : {}),
      })),
    },
    // JSON has no NaN or Infinity: a diverged loss is written as a string, not silently as null.
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
}
