/**
 * A finished (or interrupted) training run as the lab keeps it: its config, its Keras History and
 * its test result. Pure functions over runs: names, seconds per epoch, and the repair of runs that
 * a reload interrupted. Estimates and exports live in runEstimate.ts and runExport.ts.
 */
import { totalParams } from '../network/params';
import type { RunTrace } from './trace';
import { LIMITS, type HiddenLayer, type TrainConfig } from '../network/spec';
import { describeDropout, hasDropout, layerDropout } from '../network/dropout';
import { describeEarly } from './earlyStopping';
import { describeSchedule } from '../network/schedule';
import { describeLoss } from '../network/loss';
import type { ExperimentTag } from '../tags';

/** One row of Keras's History, plus the epoch's wall time. */
export interface EpochLog {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly loss: number;
  readonly acc: number;
  readonly valLoss: number | null;
  readonly valAcc: number | null;
  /** Wall-clock seconds the epoch took, validation included. */
  readonly seconds: number;
}

/** `running` is only ever seen while the run is live (or in storage, if a reload cut it short). */
export type RunRecordStatus = 'running' | 'done' | 'stopped' | 'error';

/** Where a run came from when it did not train in this browser (absent: it did). */
export interface RunOrigin {
  /** 'model': a trained model imported and tested here; 'results': a run read from a results file. */
  readonly kind: 'model' | 'results';
  /** Where it ran, as the file says ('keras-3.6.0-tensorflow', 'MLP Lab in a browser (webgl)'). */
  readonly ranOn: string;
  /** The file it came from. */
  readonly file: string;
}

/** The runs table's words for where a run came from ('' : trained here). */
export function originLabel(o: RunOrigin | undefined): string {
  if (!o) return '';
  return o.kind === 'model' ? `imported model (${o.ranOn}), tested here` : `ran in ${o.ranOn}, imported`;
}

export interface RunRecord {
  /** Unique, and sorts by start time. */
  readonly id: string;
  /** When the run started, ms since 1970. */
  readonly startedAt: number;
  readonly config: TrainConfig;
  readonly status: RunRecordStatus;
  readonly epochs: readonly EpochLog[];
  readonly testAcc: number | null;
  readonly testLoss: number | null;
  readonly params: number;
  /** The backend that ran it (webgl, wasm, cpu); null if it never got that far. */
  readonly backend: string | null;
  /** Training and validation images per epoch; null until the run started training. */
  readonly trainCount: number | null;
  readonly valCount: number | null;
  readonly error: string | null;
  /** Which experiment run this was, if it was one (null: a run of the controls). */
  readonly tag: ExperimentTag | null;
  /** Absent for a run trained in this lab; where it came from for an imported one. */
  readonly origin?: RunOrigin;
  /** Its curve and layer health, thinned, to show it again; absent in records older than that, and imports. */
  readonly trace?: RunTrace | null;
}

/**
 * What makes two runs the same measurement apart from their seed: every setting of the config but
 * the seed and the backend (which changes the rounding, not the setup). Runs with the same setup
 * key and seed are one measurement, however often they were trained.
 */
export function setupKey(c: TrainConfig): string {
  const layers = c.layers.map((l) => `${l.units}${l.activation}`).join(',');
  // A subset of all the training images is all of them.
  const subset = c.subset === null || c.subset >= LIMITS.maxSubset ? 'all' : c.subset;
  return [
    layers,
    c.epochs,
    c.batchSize,
    c.learningRate,
    c.optimizer,
    c.validationSplit,
    c.preprocessing,
    c.dataset,
    subset,
    c.init,
    // A setting at its default adds nothing: runs from before it existed keep their key.
    ...(c.l2 ? [`l2 ${c.l2}`] : []),
    ...(c.l1 ? [`l1 ${c.l1}`] : []),
    ...(c.maxNorm ? [`maxnorm ${c.maxNorm}`] : []),
    ...(hasDropout(c) ? [`dropout ${c.inputDropout}/${c.layers.map(layerDropout).join(',')}`] : []),
    ...(c.earlyPatience === null ? [] : [`early ${c.earlyPatience} ${c.earlyMonitor}`]),
    ...[describeSchedule(c)].filter((s) => s !== '').map((s) => `rate ${s}`),
    ...(c.loss === 'mse' ? ['loss mse'] : []),
  ].join('|');
}

/** A finished run of this lab (not imported) with a test accuracy: a measurement the tables may use. */
export function isMeasurement(r: RunRecord): boolean {
  return r.status === 'done' && r.origin === undefined && r.testAcc !== null && Number.isFinite(r.testAcc);
}

/** The lab's measurements by setup key and seed (measurementIndex). */
export type Measurements = ReadonlyMap<string, ReadonlyMap<number, RunRecord>>;

/**
 * The lab's measurements by setup key and seed: one run per (setup, seed), the first one finished
 * (a run trained again with the same seed is the same measurement, not a repeat).
 */
export function measurementIndex(runs: readonly RunRecord[]): Map<string, Map<number, RunRecord>> {
  const index = new Map<string, Map<number, RunRecord>>();
  const ordered = [...runs].filter(isMeasurement).sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
  for (const r of ordered) {
    const key = setupKey(r.config);
    let seeds = index.get(key);
    if (!seeds) index.set(key, (seeds = new Map()));
    if (!seeds.has(r.config.seed)) seeds.set(r.config.seed, r);
  }
  return index;
}

/**
 * The planned runs the history does not hold yet: a run with the same setup and seed as a finished
 * one is the same measurement, so it is reused, not trained again (nor counted twice, nor trained twice in one plan).
 */
export function unmeasured<T extends { readonly config: TrainConfig }>(
  plan: readonly T[],
  runs: readonly RunRecord[],
): { items: T[]; reused: number } {
  const index = measurementIndex(runs);
  const seen = new Set<string>();
  const items = plan.filter((p) => {
    const key = `${setupKey(p.config)}#${p.config.seed}`;
    if (seen.has(key) || index.get(setupKey(p.config))?.has(p.config.seed)) return false;
    seen.add(key);
    return true;
  });
  return { items, reused: plan.length - items.length };
}

/** A new record for a run that is about to start. */
export function newRunRecord(
  id: string,
  startedAt: number,
  config: TrainConfig,
  tag: ExperimentTag | null = null,
): RunRecord {
  return {
    tag,
    id,
    startedAt,
    config,
    status: 'running',
    epochs: [],
    testAcc: null,
    testLoss: null,
    params: totalParams(config.layers),
    backend: null,
    trainCount: null,
    valCount: null,
    error: null,
  };
}

/**
 * The record of an imported model: done, with the test result measured here, no epochs (it did
 * not train here) and where it came from.
 */
export function importedModelRun(
  id: string,
  startedAt: number,
  config: TrainConfig,
  result: { readonly loss: number; readonly acc: number },
  origin: RunOrigin,
): RunRecord {
  return { ...newRunRecord(id, startedAt, config), status: 'done', testAcc: result.acc, testLoss: result.loss, origin };
}

/** An id that sorts by start time and does not collide between tabs: base-36 time plus random. */
export function makeRunId(startedAt: number, random: () => number = Math.random): string {
  const time = Math.max(0, Math.floor(startedAt)).toString(36).padStart(9, '0');
  const tail = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${time}-${tail}`;
}

/**
 * The one name of a network everywhere (runs table, charts, experiments): "32 sigmoid", "2×32 sigmoid", "512-256 relu",
 * "32 relu, 16 tanh" when activations differ, "no hidden layer" for plain softmax regression.
 */
export function architectureLabel(layers: readonly HiddenLayer[]): string {
  if (layers.length === 0) return 'no hidden layer';
  const first = layers[0] as HiddenLayer;
  const sameActivation = layers.every((l) => l.activation === first.activation);
  if (!sameActivation) return layers.map((l) => `${l.units} ${l.activation}`).join(', ');
  const sameWidth = layers.every((l) => l.units === first.units);
  const widths =
    sameWidth && layers.length >= 2 ? `${layers.length}×${first.units}` : layers.map((l) => l.units).join('-');
  return `${widths} ${first.activation}`;
}

/** A config in one line: "4×32 sigmoid · raw inputs · sgd 0.01" (and " · L2 0.001" with weight decay, " · dropout 0.5"…). */
export function describeConfig(
  c: Pick<TrainConfig, 'layers' | 'preprocessing' | 'optimizer' | 'learningRate'> & Partial<TrainConfig>,
): string {
  const extra = [
    c.l2 ? `L2 ${c.l2}` : '',
    c.l1 ? `L1 ${c.l1}` : '',
    c.maxNorm ? `max-norm ${c.maxNorm}` : '',
    describeDropout({ layers: c.layers, inputDropout: c.inputDropout ?? 0 }),
    describeEarly({ earlyPatience: c.earlyPatience ?? null, earlyMonitor: c.earlyMonitor ?? 'val_loss' }),
    describeSchedule({ schedule: c.schedule ?? 'const', warmup: c.warmup ?? 0, epochs: c.epochs ?? Infinity }),
    describeLoss(c),
  ]
    .filter((s) => s !== '')
    .map((s) => ` · ${s}`)
    .join('');
  return `${architectureLabel(c.layers)} · ${c.preprocessing} inputs · ${c.optimizer} ${c.learningRate}${extra}`;
}

/** Settings that can tell two runs of the same architecture apart, in the order a reader cares. */
const DISTINGUISHERS: readonly ((c: TrainConfig) => string)[] = [
  (c) => `${c.optimizer} ${c.learningRate}`,
  (c) => (c.preprocessing === 'raw' ? 'raw inputs' : 'scaled inputs'),
  (c) => `batch ${c.batchSize}`,
  (c) => `init ${c.init}`,
  (c) => (c.l2 ? `L2 ${c.l2}` : 'no L2'),
  (c) => (c.l1 ? `L1 ${c.l1}` : 'no L1'),
  (c) => (c.maxNorm ? `max-norm ${c.maxNorm}` : 'no max-norm'),
  (c) => describeDropout(c) || 'no dropout',
  (c) => describeEarly(c) || 'no early stopping',
  (c) => describeSchedule(c) || 'constant rate',
  (c) => describeLoss(c) || 'cross-entropy loss',
  (c) => `${c.epochs} epochs`,
  (c) => (c.subset === null ? 'all images' : `${c.subset} images`),
  (c) => `val ${c.validationSplit}`,
  (c) => `seed ${c.seed}`,
  (c) => c.dataset,
];

/**
 * A legend name per run, by architecture; runs that share one get the settings in which they
 * differ, in DISTINGUISHERS order, until every name is unique ("32 sigmoid · seed 5"), and a
 * number if they differ in none.
 */
export function runNames(runs: readonly RunRecord[]): string[] {
  const base = runs.map((r) => architectureLabel(r.config.layers));
  const names = [...base];
  for (const arch of new Set(base)) {
    const twins = runs.map((r, i) => ({ r, i })).filter(({ i }) => base[i] === arch);
    if (twins.length === 1) continue;
    const parts = twins.map(() => [] as string[]);
    const label = (k: number) => [arch, ...(parts[k] as string[])].join(' · ');
    const unique = () => new Set(twins.map((_, k) => label(k))).size === twins.length;
    for (const d of DISTINGUISHERS) {
      if (unique()) break;
      if (new Set(twins.map(({ r }) => d(r.config))).size > 1)
        twins.forEach(({ r }, k) => (parts[k] as string[]).push(d(r.config)));
    }
    const seen = new Map<string, number>();
    twins.forEach(({ i }, k) => {
      const n = (seen.get(label(k)) ?? 0) + 1;
      seen.set(label(k), n);
      const dupes = twins.filter((_, j) => label(j) === label(k)).length;
      names[i] = dupes > 1 ? `${label(k)} · #${n}` : label(k);
    });
  }
  return names;
}

/**
 * Typical seconds per epoch of a run: the median over epochs after the first (the first also
 * compiles shaders and uploads data), or the first when it is the only one; null with none.
 */
export function secondsPerEpoch(run: Pick<RunRecord, 'epochs'>): number | null {
  const times = (run.epochs.length > 1 ? run.epochs.slice(1) : run.epochs)
    .map((e) => e.seconds)
    .filter((s) => Number.isFinite(s) && s > 0);
  if (times.length === 0) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Newest first (by start time, then id), as the runs table lists them. */
export function newestFirst(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** A run still marked running when the page loads was cut short by a reload: keep it, as stopped. */
export function markInterrupted(run: RunRecord): RunRecord {
  return run.status === 'running' ? { ...run, status: 'stopped' } : run;
}
