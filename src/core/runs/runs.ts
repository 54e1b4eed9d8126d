/**
 * A finished (or interrupted) training run as the lab keeps it: its config, its Keras History and
 * its test result. Pure functions over runs: setup keys, seconds per epoch, and the repair of runs
 * that a reload interrupted. Names live in runNames.ts, estimates and exports in runEstimate.ts and
 * runExport.ts.
 */
import { totalParams } from '../network/params';
import type { RunTrace } from './trace';
import { LIMITS, type TrainConfig } from '../network/spec';
import { hasDropout, layerDropout } from '../network/dropout';
import { encodeBatchNorms } from '../network/batchNorm';
import { describeSchedule } from '../network/schedule';
import type { ExperimentTag } from '../tags';

export { architectureLabel, describeConfig, runNames } from './runNames';

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
  /**
   * How many networks trained together in this run's steps (a queue's group, ml/group), when more
   * than one: its epochs' seconds are the whole group's. Absent: it trained alone.
   */
  readonly group?: number;
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
    ...(c.augment === 'none' ? [] : [`aug ${c.augment}`]),
    ...[encodeBatchNorms(c.layers)].flatMap((bn) => (bn === null ? [] : [`bn ${bn}`])),
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
 * Typical seconds per epoch of a run: the median over epochs after the first (the first also
 * compiles shaders and uploads data), or the first when it is the only one; null with none.
 */
export function secondsPerEpoch(run: Pick<RunRecord, 'epochs'>): number | null {
  const times = (run.epochs.length > 1 ? run.epochs.slice(1) : run.epochs)
    .map((e) => e.seconds)
    .filter((s) => Number.isFinite(s) && s > 0);
  return times.length === 0 ? null : median(times);
}

/** The median of `xs` (at least one). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Newest first (by start time, then id), as the runs table lists them. */
export function newestFirst(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** A run still marked running when the page loads was cut short by a reload: keep it, as stopped. */
export function markInterrupted(run: RunRecord): RunRecord {
  return run.status === 'running' ? { ...run, status: 'stopped' } : run;
}
