/**
 * Runs as they are stored (IndexedDB, and the experiment queue in localStorage): a versioned
 * record, read back field by field and migrated from older versions. A record that cannot be read
 * is reported with the reason, never silently dropped: the caller keeps it and shows it.
 *
 * Version history (RUN_SCHEMA):
 * - 0: records written before versions existed (no `schema` field). Config fields added since the
 *   first release may be missing; each takes the value that was built in before it existed
 *   (MNIST, all images, backend auto…), which is its default in DEFAULT_CONFIG. `tag` may be missing.
 * - 1: `schema: 1`; every field present but `init`.
 * - 2: `config.init` (the kernel initialiser); runs before it used Glorot uniform, its default.
 *   Later, without a new version: an optional `origin` for imported runs (absent: trained here),
 *   which records from before it do not have and do not need.
 * - 3: `config.l2` (L2 decay), 4: `config.l1` and `config.maxNorm`, 5: `config.inputDropout` and
 *   an optional `dropout` per layer (absent: none), 6: `config.earlyPatience` (null: none) and
 *   `config.earlyMonitor`, 7: `config.schedule` and `config.warmup`, 8: `config.loss`, 9:
 *   `config.augment`, 10: an optional `batchNorm` per layer (absent: none); runs before them had
 *   none (a constant rate, cross-entropy, no augmentation, no batch normalization).
 * A new config field bumps RUN_SCHEMA and adds one step to MIGRATIONS that fills it in.
 */
import {
  fail,
  inRange,
  isLoss,
  isNum,
  isNumOrNull,
  isObject,
  isShare,
  LATEST,
  ok,
  oneOf,
  show,
  type Read,
} from './recordFields';
import { readTrace } from './trace';
import { totalParams } from '../network/params';
import { EXPERIMENT_IDS, type ExperimentTag } from '../tags';
import { VARIANT_IDS, type VariantId } from '../tags';
import type { EpochLog, RunRecord } from './runs';
import {
  ACTIVATIONS,
  BACKEND_CHOICES,
  DATASETS,
  DEFAULT_CONFIG,
  INITS,
  LIMITS,
  MONITORS,
  SCHEDULES,
  LOSSES,
  AUGMENTS,
  OPTIMIZERS,
  PREPROCESSING,
  type HiddenLayer,
  type TrainConfig,
} from '../network/spec';

/** The version of the records this build writes. */
export const RUN_SCHEMA = 10;

export { isObject, type Read };

/** A run as it is written to storage: the record and its schema version. */
export type StoredRun = RunRecord & { readonly schema: number };

/** What a record becomes on its way into storage. */
export function toStored(run: RunRecord): StoredRun {
  return { ...run, schema: RUN_SCHEMA };
}

function readLayers(x: unknown): Read<HiddenLayer[]> {
  if (!Array.isArray(x)) return fail(`layers is ${show(x)}, not a list`);
  if (x.length > LIMITS.maxLayers) return fail(`${x.length} hidden layers, more than ${LIMITS.maxLayers}`);
  const layers: HiddenLayer[] = [];
  for (const [i, l] of x.entries()) {
    if (!isObject(l)) return fail(`layer ${i + 1} is ${show(l)}`);
    const problem =
      inRange(l.units, `layer ${i + 1}'s width`, LIMITS.minWidth, LIMITS.maxWidth, true) ??
      oneOf(l.activation, `layer ${i + 1}'s activation`, ACTIVATIONS) ??
      (l.dropout === undefined ? null : inRange(l.dropout, `layer ${i + 1}'s dropout`, 0, LIMITS.maxDropout, false)) ??
      (l.batchNorm === undefined || typeof l.batchNorm === 'boolean'
        ? null
        : `layer ${i + 1}'s batch normalization ${show(l.batchNorm)} is neither true nor false`);
    if (problem) return fail(problem);
    const layer = { units: l.units as number, activation: l.activation as HiddenLayer['activation'] };
    const dropped = l.dropout ? { ...layer, dropout: l.dropout as number } : layer;
    layers.push(l.batchNorm === true ? { ...dropped, batchNorm: true } : dropped);
  }
  if (totalParams(layers) > LIMITS.maxParams)
    return fail(`${totalParams(layers)} parameters, more than ${LIMITS.maxParams}`);
  return ok(layers);
}

/** Every config field but the layers: how to check it. One table, so a new field is one line. */
const FIELDS: Readonly<Record<Exclude<keyof TrainConfig, 'layers'>, (x: unknown) => string | null>> = {
  epochs: (x) => inRange(x, 'epochs', LIMITS.minEpochs, LIMITS.maxEpochs, true),
  batchSize: (x) => inRange(x, 'batch size', LIMITS.minBatch, LIMITS.maxBatch, true),
  learningRate: (x) => inRange(x, 'learning rate', LIMITS.minLr, LIMITS.maxLr, false),
  optimizer: (x) => oneOf(x, 'optimizer', OPTIMIZERS),
  validationSplit: (x) => inRange(x, 'validation split', LIMITS.minVal, LIMITS.maxVal, false),
  preprocessing: (x) => oneOf(x, 'preprocessing', PREPROCESSING),
  seed: (x) => inRange(x, 'seed', 0, LIMITS.maxSeed, true),
  dataset: (x) => oneOf(x, 'dataset', DATASETS),
  backend: (x) => oneOf(x, 'backend', BACKEND_CHOICES),
  subset: (x) => (x === null ? null : inRange(x, 'subset', LIMITS.minSubset, LIMITS.maxSubset, true)),
  init: (x) => oneOf(x, 'initialiser', INITS),
  l2: (x) => inRange(x, 'L2 weight decay', LIMITS.minL2, LIMITS.maxL2, false),
  l1: (x) => inRange(x, 'L1 weight decay', LIMITS.minL2, LIMITS.maxL2, false),
  maxNorm: (x) => inRange(x, 'max-norm', 0, LIMITS.maxMaxNorm, false),
  inputDropout: (x) => inRange(x, 'input dropout', 0, LIMITS.maxDropout, false),
  earlyPatience: (x) => (x === null ? null : inRange(x, 'early stopping patience', 0, LIMITS.maxEpochs, true)),
  earlyMonitor: (x) => oneOf(x, 'early stopping monitor', MONITORS),
  schedule: (x) => oneOf(x, 'learning-rate schedule', SCHEDULES),
  warmup: (x) => inRange(x, 'warm-up', 0, LIMITS.maxEpochs - 1, true),
  loss: (x) => oneOf(x, 'loss', LOSSES),
  augment: (x) => oneOf(x, 'augmentation', AUGMENTS),
};

/**
 * A stored config checked field by field against the lab's limits (not through the URL codec, so
 * a change to links never hides stored runs). `fillMissing`: a field that is absent takes its
 * default (records of schema 0 predate some fields); otherwise an absent field is a reason.
 */
export function readConfig(x: unknown, fillMissing: boolean): Read<TrainConfig> {
  if (!isObject(x)) return fail(`the config is ${show(x)}`);
  const layers = readLayers(x.layers);
  if (!layers.ok) return layers;
  const out: Record<string, unknown> = { layers: layers.value };
  for (const [key, check] of Object.entries(FIELDS)) {
    const k = key as keyof typeof FIELDS;
    if (!(k in x) || x[k] === undefined) {
      if (!fillMissing) return fail(`the config has no ${k}`);
      out[k] = DEFAULT_CONFIG[k];
      continue;
    }
    const problem = check(x[k]);
    if (problem) return fail(problem);
    out[k] = x[k];
  }
  return ok(out as unknown as TrainConfig);
}

/** A stored config, or null when it cannot be read (missing fields take their defaults). */
export function parseConfig(x: unknown): TrainConfig | null {
  const r = readConfig(x, true);
  return r.ok ? r.value : null;
}

function readEpoch(x: unknown, i: number): Read<EpochLog> {
  if (!isObject(x)) return fail(`epoch ${i + 1} is ${show(x)}`);
  const { epoch, loss, acc, valLoss, valAcc, seconds } = x;
  const numbers = isNum(epoch) && isLoss(loss) && isNum(acc) && isNum(seconds) && isNumOrNull(valAcc);
  if (!numbers || !(valLoss === null || isLoss(valLoss))) return fail(`epoch ${i + 1}'s numbers are not all numbers`);
  if (!isShare(acc) || !(valAcc === null || isShare(valAcc))) return fail(`epoch ${i + 1}'s accuracy is outside 0..1`);
  if (seconds < 0) return fail(`epoch ${i + 1} took ${show(seconds)} seconds`);
  return ok({ epoch, loss, acc, valLoss, valAcc, seconds });
}

/** A tag's key as the lab makes them (`w32d1`, `b25450d2`, a check's `scale-inputs-1a2b3c-after`). */
const TAG_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** An experiment tag, or undefined when it is not a valid one. */
export function parseTag(x: unknown): ExperimentTag | undefined {
  if (!isObject(x)) return undefined;
  const { experiment, key, repeat, quick, variant } = x;
  if (
    typeof experiment !== 'string' ||
    !(experiment === 'check' || (EXPERIMENT_IDS as readonly string[]).includes(experiment))
  )
    return undefined;
  if (typeof key !== 'string' || !TAG_KEY.test(key) || !isNum(repeat) || typeof quick !== 'boolean') return undefined;
  const tag = { experiment: experiment as ExperimentTag['experiment'], key, repeat, quick };
  if (variant === undefined || variant === null) return tag;
  if (typeof variant !== 'string' || !(VARIANT_IDS as readonly string[]).includes(variant)) return undefined;
  return { ...tag, variant: variant as VariantId };
}

const STATUSES = ['running', 'done', 'stopped', 'error'] as const;

/** Steps from each older schema to the next; MIGRATIONS[v] turns a version-v object into v+1. */
const MIGRATIONS: readonly ((x: Record<string, unknown>) => Record<string, unknown>)[] = [
  // 0 -> 1: tags came later than the first records; missing config fields are filled in by
  // readConfig(…, true) from their defaults, which are what the lab did before each existed.
  (x) => ({ ...x, tag: x.tag ?? null, schema: 1 }),
  // Then a step per new setting, filling in what every earlier run did (the history above).
  (x) => withConfigField(x, 'init', 2),
  (x) => withConfigField(x, 'l2', 3),
  (x) => withConfigField(withConfigField(x, 'l1', 4), 'maxNorm', 4),
  (x) => withConfigField(x, 'inputDropout', 5), // a layer without `dropout` has none
  (x) => withConfigField(withConfigField(x, 'earlyPatience', 6), 'earlyMonitor', 6),
  (x) => withConfigField(withConfigField(x, 'schedule', 7), 'warmup', 7),
  (x) => withConfigField(x, 'loss', 8),
  (x) => withConfigField(x, 'augment', 9),
  (x) => ({ ...x, schema: 10 }), // a layer without `batchNorm` has none
];

/** `x` at `schema`, its config given `key`'s default where it lacks one (what the lab did before the setting). */
function withConfigField(x: Record<string, unknown>, key: keyof TrainConfig, schema: number) {
  const c = x.config;
  return { ...x, config: isObject(c) && c[key] === undefined ? { ...c, [key]: DEFAULT_CONFIG[key] } : c, schema };
}

/** The result of reading one stored record: the run (and the schema it was migrated from), or why not. */
export type ReadRun =
  | { readonly ok: true; readonly record: RunRecord; readonly from: number }
  | { readonly ok: false; readonly reason: string };

/**
 * A stored run, migrated to RUN_SCHEMA and checked field by field. A record written by a newer
 * version of the lab, or broken, comes back with the reason (for the page to show it, kept).
 */
export function readRunRecord(raw: unknown): ReadRun {
  if (!isObject(raw)) return { ok: false, reason: `the record is ${show(raw)}, not an object` };
  const from = raw.schema === undefined ? 0 : raw.schema;
  if (!isNum(from) || !Number.isInteger(from) || from < 0)
    return { ok: false, reason: `its schema ${show(from)} is not a version` };
  if (from > RUN_SCHEMA)
    return {
      ok: false,
      reason: `it was written by a newer version of the lab (record schema ${from}; this page reads up to ${RUN_SCHEMA})`,
    };
  let x = raw;
  for (let v = from; v < RUN_SCHEMA; v++)
    x = (MIGRATIONS[v] as (y: Record<string, unknown>) => Record<string, unknown>)(x);
  const r = readFields(x, from < 1);
  return r.ok ? { ok: true, record: r.value, from } : { ok: false, reason: r.reason };
}

function readFields(x: Record<string, unknown>, fillMissing: boolean): Read<RunRecord> {
  const { id, startedAt, status, epochs, testAcc, testLoss, params, backend, trainCount, valCount, error } = x;
  // Ids the lab and its Keras scripts write are short; a megabyte of id is not a run.
  if (typeof id !== 'string' || id.length > 200) return fail(`its id is ${show(id)}`);
  if (!isNum(startedAt) || startedAt < 0 || startedAt > LATEST)
    return fail(`its start time ${show(startedAt)} is not a time`);
  const badStatus = oneOf(status, 'status', STATUSES);
  if (badStatus) return fail(badStatus);
  if (!Array.isArray(epochs)) return fail(`its epochs are ${show(epochs)}, not a list`);
  if (!isNumOrNull(testAcc) || !(testLoss === null || isLoss(testLoss))) return fail('its test result is not a number');
  if (testAcc !== null && !isShare(testAcc)) return fail(`its test accuracy ${show(testAcc)} is outside 0..1`);
  if (!isNum(params) || params < 0 || !Number.isInteger(params)) return fail(`its parameter count is ${show(params)}`);
  if (!(backend === null || typeof backend === 'string')) return fail(`its backend is ${show(backend)}`);
  if (!isNumOrNull(trainCount) || !isNumOrNull(valCount)) return fail('its image counts are not numbers');
  if (!(error === null || typeof error === 'string')) return fail(`its error is ${show(error)}`);
  const config = readConfig(x.config, fillMissing);
  if (!config.ok) return fail(config.reason);
  const logs: EpochLog[] = [];
  for (const [i, e] of epochs.entries()) {
    const r = readEpoch(e, i);
    if (!r.ok) return fail(r.reason);
    logs.push(r.value);
  }
  const tag = x.tag === null ? null : parseTag(x.tag);
  if (tag === undefined) return fail(`its experiment tag ${show(x.tag)} names no experiment run`);
  const record: RunRecord = {
    id,
    startedAt,
    config: config.value,
    status: status as RunRecord['status'],
    epochs: logs,
    testAcc,
    testLoss,
    params,
    backend,
    trainCount,
    valCount,
    error,
    tag,
    // A trace that cannot be read is left out: the run is still read, shown without its curve.
    ...(x.trace === undefined || x.trace === null ? {} : withTrace(readTrace(x.trace))),
  };
  if (Number.isInteger(x.group) && (x.group as number) > 1 && (x.group as number) <= 1000)
    Object.assign(record, { group: x.group as number });
  if (x.origin === undefined || x.origin === null) return ok(record);
  const o = x.origin;
  if (
    !isObject(o) ||
    (o.kind !== 'model' && o.kind !== 'results') ||
    typeof o.ranOn !== 'string' ||
    typeof o.file !== 'string'
  )
    return fail(`its origin ${show(o)} is not one the lab reads`);
  return ok({ ...record, origin: { kind: o.kind, ranOn: o.ranOn, file: o.file } });
}

const withTrace = (trace: RunRecord['trace']) => (trace ? { trace } : {});

/** A stored run, or null for anything that cannot be read (see readRunRecord for why). */
export function parseRunRecord(x: unknown): RunRecord | null {
  const r = readRunRecord(x);
  return r.ok ? r.record : null;
}
