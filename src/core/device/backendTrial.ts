/**
 * backend=auto chooses by measurement: the worker times a few batches of the run's own network on
 * each backend it has, picks the fastest, and the page remembers the times per device and network
 * size so that the next run of that size does not repeat the trial. Pure: the timing itself lives
 * in ml/timeBackends.ts; here are the size classes, the choice, the remembered table and the words.
 */
import { backendLabel } from './backends';
import { formatCount } from '../network/params';
import { BACKENDS, INPUT_SIZE, NUM_CLASSES, type BackendName, type HiddenLayer } from '../network/spec';

/** One backend's time per batch of 128 (or the run's batch size) in a trial. */
export interface BackendTime {
  readonly name: BackendName;
  /** How the page names it: "WebGL (software renderer)", "WebAssembly (CPU, 1 thread)". */
  readonly label: string;
  readonly ms: number;
}

export type TrialSource = 'measured' | 'remembered' | 'injected';

/** What auto decided for a run, and from what. */
export interface BackendTrial {
  /** The device the times belong to (renderer, cores, WASM threads). */
  readonly device: string;
  /** The network's size class (see sizeClass). */
  readonly sizeClass: number;
  /** Each backend tried, fastest first. */
  readonly times: readonly BackendTime[];
  readonly chosen: BackendName;
  /** Timed for this run, taken from an earlier trial, or injected by a test. */
  readonly source: TrialSource;
  /** When the times were measured (ms since epoch). */
  readonly at: number;
}

/**
 * Multiply-adds of one training step, times two (FLOPs): the forward product of every layer, the
 * kernel gradient of every layer and the input gradient of every layer but the first.
 */
export function trainFlopsPerBatch(layers: readonly HiddenLayer[], batchSize: number): number {
  const dims = [INPUT_SIZE, ...layers.map((l) => l.units), NUM_CLASSES];
  let flops = 0;
  for (let i = 0; i + 1 < dims.length; i++) {
    const product = 2 * batchSize * (dims[i] as number) * (dims[i + 1] as number);
    flops += product * (i === 0 ? 2 : 3);
  }
  return flops;
}

/**
 * Networks whose steps take within a factor of two of the same arithmetic share a class (the
 * rounded log2 of the FLOPs per batch): [32] and [64] differ, [512] and [2 × 256] do not quite.
 */
export function sizeClass(layers: readonly HiddenLayer[], batchSize: number): number {
  return Math.round(Math.log2(Math.max(1, trainFlopsPerBatch(layers, batchSize))));
}

/** The times sorted fastest first (ties keep their order); the first is the choice. */
export function fastestFirst(times: readonly BackendTime[]): BackendTime[] {
  return times
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => Number.isFinite(t.ms) && t.ms >= 0)
    .sort((a, b) => a.t.ms - b.t.ms || a.i - b.i)
    .map(({ t }) => t);
}

/** A time in ms as people read it: "9 ms", "0.8 ms", "1,250 ms". */
function ms(value: number): string {
  if (value < 10) return `${(Math.round(value * 10) / 10).toString()} ms`;
  return `${formatCount(value)} ms`;
}

/**
 * "WebAssembly (CPU, 1 thread): 9 ms per batch; WebGL (software renderer): 52 ms", fastest first.
 */
export function trialTimesText(times: readonly BackendTime[]): string {
  return fastestFirst(times)
    .map((t, i) => `${t.label}: ${ms(t.ms)}${i === 0 ? ' per batch' : ''}`)
    .join('; ');
}

/** Backends whose times are within this fraction of the fastest's are called about as fast. */
export const TIE_MARGIN = 0.1;

/** Backend names as short words for the control bar: "WebGL", "WebAssembly", "JavaScript". */
const SHORT_NAMES: Readonly<Record<BackendName, string>> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'JavaScript' };

/** How the chosen backend's time compares with the fastest other backend's, in words. */
const COMPARED = { faster: 'faster than', tie: 'about as fast as', slower: 'slower than' } as const;
type Relation = keyof typeof COMPARED;

/** What the trial shows: the chosen backend's time, the fastest other one's, and how they compare. */
interface TrialOutcome {
  readonly chosen: BackendTime;
  readonly next: BackendTime | null;
  /** 'tie': the slower of the two took at most TIE_MARGIN longer than the faster. */
  readonly relation: Relation;
  /** How many backends have a usable time. */
  readonly count: number;
}

/**
 * The chosen backend's time and the fastest other one's, compared; null without a usable time.
 * (The worker chooses the fastest; a chosen backend that was slower is said to be slower.)
 */
function outcome(trial: BackendTrial): TrialOutcome | null {
  const sorted = fastestFirst(trial.times);
  const chosen = sorted.find((t) => t.name === trial.chosen) ?? sorted[0];
  if (!chosen) return null;
  const next = sorted.find((t) => t !== chosen) ?? null;
  if (!next) return { chosen, next, relation: 'faster', count: 1 };
  const [fast, slow] = chosen.ms <= next.ms ? [chosen.ms, next.ms] : [next.ms, chosen.ms];
  // Within the margin, or equal as the page writes them: a tie.
  const tie = slow <= fast * (1 + TIE_MARGIN) || ms(slow) === ms(fast);
  return { chosen, next, relation: tie ? 'tie' : chosen.ms < next.ms ? 'faster' : 'slower', count: sorted.length };
}

/**
 * The control bar's few words after the backend's name: "9 ms a batch, faster than WebGL (52 ms)",
 * or for times within 10 % "11 ms a batch, about as fast as WebGL (11 ms)"; "9 ms a batch" when
 * only one backend was timed.
 */
export function trialShort(trial: BackendTrial): string {
  const o = outcome(trial);
  if (!o) return '';
  const own = `${ms(o.chosen.ms)} a batch`;
  if (!o.next) return own;
  return `${own}, ${COMPARED[o.relation]} ${SHORT_NAMES[o.next.name]} (${ms(o.next.ms)})`;
}

/**
 * The trial in full, for the technical details: how the times were had, each backend's time, and
 * the choice ("… Chose WebAssembly, the faster." or, within 10 %, "… About as fast (within 10 %);
 * chose WebAssembly.").
 */
export function trialSentence(trial: BackendTrial): string {
  const how =
    trial.source === 'measured'
      ? 'timed just now on this network'
      : trial.source === 'remembered'
        ? 'remembered from a trial on a network of this size on this device'
        : 'times injected by a test';
  const o = outcome(trial);
  const name = o ? SHORT_NAMES[o.chosen.name] : SHORT_NAMES[trial.chosen];
  const verdict = !o?.next
    ? `Chose ${name}, the only backend timed.`
    : o.relation === 'tie'
      ? `About as fast (within ${TIE_MARGIN * 100} %); chose ${name}.`
      : o.relation === 'faster'
        ? `Chose ${name}, the ${o.count > 2 ? 'fastest' : 'faster'}.`
        : `Chose ${name}.`;
  return `Auto timed the backends (${how}): ${trialTimesText(trial.times)}. ${verdict}`;
}

/** Labels for times the worker measured, from the backend names and its sentence about each. */
export function labelled(name: BackendName, reason: string, msPerBatch: number): BackendTime {
  return { name, label: backendLabel(name, reason), ms: msPerBatch };
}

/** Remembered trials: per device, per size class. */
export type TrialTable = Readonly<Record<string, Readonly<Record<string, BackendTrial>>>>;

export const TRIALS_STORAGE_KEY = 'mlp-lab:backend-trials';
/** At most this many devices and size classes per device are remembered (oldest dropped). */
const MAX_DEVICES = 4;
const MAX_CLASSES = 40;

/** The remembered trial for this device and size class, or null. */
export function recallTrial(table: TrialTable, device: string, cls: number): BackendTrial | null {
  return table[device]?.[String(cls)] ?? null;
}

/** The table with `trial` remembered (replacing any of its device and class), bounded in size. */
export function rememberTrial(table: TrialTable, trial: BackendTrial): TrialTable {
  if (trial.source !== 'measured') return table;
  const forDevice = {
    ...(table[trial.device] ?? {}),
    [String(trial.sizeClass)]: { ...trial, source: 'remembered' as const },
  };
  const classes = Object.entries(forDevice)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_CLASSES);
  const next: Record<string, Record<string, BackendTrial>> = { ...table, [trial.device]: Object.fromEntries(classes) };
  const newest = (d: string) => Math.max(...Object.values(next[d] ?? {}).map((t) => t.at));
  const devices = Object.keys(next)
    .sort((a, b) => newest(b) - newest(a))
    .slice(0, MAX_DEVICES);
  return Object.fromEntries(devices.map((d) => [d, next[d] ?? {}]));
}

const isTime = (t: unknown): t is BackendTime => {
  const o = t as Partial<BackendTime> | null;
  return (
    !!o &&
    typeof o === 'object' &&
    BACKENDS.includes(o.name as BackendName) &&
    typeof o.label === 'string' &&
    typeof o.ms === 'number' &&
    Number.isFinite(o.ms) &&
    o.ms >= 0
  );
};

const isTrial = (t: unknown): t is BackendTrial => {
  const o = t as Partial<BackendTrial> | null;
  return (
    !!o &&
    typeof o === 'object' &&
    typeof o.device === 'string' &&
    typeof o.sizeClass === 'number' &&
    Array.isArray(o.times) &&
    o.times.length > 0 &&
    o.times.every(isTime) &&
    o.times.some((t) => t.name === o.chosen) &&
    typeof o.at === 'number'
  );
};

/** The stored table, keeping only well-formed entries; anything unreadable is an empty table. */
export function parseTrialTable(text: string | null): TrialTable {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Record<string, Record<string, BackendTrial>> = {};
  for (const [device, classes] of Object.entries(raw as Record<string, unknown>)) {
    if (!classes || typeof classes !== 'object') continue;
    const kept = Object.entries(classes as Record<string, unknown>).filter(
      (e): e is [string, BackendTrial] => isTrial(e[1]) && e[1].device === device && String(e[1].sizeClass) === e[0],
    );
    if (kept.length > 0)
      out[device] = Object.fromEntries(kept.map(([k, t]) => [k, { ...t, source: 'remembered' as const }]));
  }
  return out;
}

/** Times injected by a test: {webgl: 5, wasm: 40}; only the backends named. */
export type InjectedTimes = Partial<Record<BackendName, number>>;

/** A read-back during a trial: the batches done by then, and when (ms). */
export interface TrialMark {
  readonly batch: number;
  readonly t: number;
}

/** What a trial times: warm-up, then intervals between read-backs, within a budget. */
export interface TrialTiming {
  /** Training after the first read-back before the timed intervals begin (ms). */
  readonly warmMs: number;
  /** Timed intervals between read-backs. */
  readonly intervals: number;
  /** The trial stops at the first read-back this long after the first one (ms): large networks. */
  readonly budgetMs: number;
}

/**
 * A backend's first batches run slower code than its later ones (JavaScript and WebAssembly are
 * compiled to faster tiers while they run; WASM's first trial of [32] here took 21 ms per batch,
 * the next ones 3): a quarter second of warm-up after the first read-back, then two intervals.
 */
export const TRIAL_TIMING: TrialTiming = { warmMs: 250, intervals: 2, budgetMs: 1500 };

/** Index of the first mark at least warmMs after the first one, or -1. */
function warmIndex(marks: readonly TrialMark[], warmMs: number): number {
  const t0 = marks[0]?.t ?? 0;
  return marks.findIndex((m) => m.t - t0 >= warmMs);
}

/** Whether a trial with these read-backs has timed enough (or run out of budget). */
export function trialDone(marks: readonly TrialMark[], timing: TrialTiming = TRIAL_TIMING): boolean {
  const first = marks[0];
  const last = marks[marks.length - 1];
  if (!first || !last) return false;
  if (last.t - first.t > timing.budgetMs) return true;
  const w = warmIndex(marks, timing.warmMs);
  return w >= 0 && marks.length - 1 - w >= timing.intervals;
}

/**
 * ms per batch from a trial's read-backs: the fastest of the timed intervals after the warm-up
 * (the speed the backend settles at); when the budget ran out before one, the mean over all.
 * NaN with fewer than two read-backs.
 */
export function trialMsPerBatch(marks: readonly TrialMark[], timing: TrialTiming = TRIAL_TIMING): number {
  const first = marks[0];
  const last = marks[marks.length - 1];
  if (!first || !last || last.batch <= first.batch) return NaN;
  const w = warmIndex(marks, timing.warmMs);
  let best = Infinity;
  for (let i = Math.max(w, 0) + 1; w >= 0 && i < marks.length; i++) {
    const a = marks[i - 1] as TrialMark;
    const b = marks[i] as TrialMark;
    if (b.batch > a.batch) best = Math.min(best, (b.t - a.t) / (b.batch - a.batch));
  }
  return Number.isFinite(best) ? best : (last.t - first.t) / (last.batch - first.batch);
}
