/**
 * How many runs a queue trains in one step is chosen by measurement, as backend=auto chooses a
 * backend: the first time a queue could train several runs of a network together, the side worker
 * times a few batches of that network alone and in groups of 2, 4 and 8 (ml/group/timeGroups.ts),
 * and the page remembers the times per network so that later queues do not time it again. Pure:
 * the trial's sizes, the choice, the remembered table and its words.
 */
import { totalParams } from '../network/params';
import type { TrainConfig } from '../network/spec';
import { groupKey } from './groups';
import { trainImagesPerEpoch } from './runEstimate';

/** One size's time in a trial: ms per batch of each network (its group's time / size). */
export interface GroupTime {
  readonly size: number;
  readonly msPerRun: number;
}

/** The trial of one network: the times of each size timed, fastest per run or not. */
export interface GroupTrial {
  /** groupTrialKey of the network timed. */
  readonly network: string;
  readonly times: readonly GroupTime[];
  /** When it was timed (ms since epoch). */
  readonly at: number;
}

/** Remembered trials, per network (groupTrialKey). */
export type GroupTrialTable = Readonly<Record<string, GroupTrial>>;

/** The sizes a trial times (1: a run alone, as it trains alone). */
export const GROUP_TRIAL_SIZES: readonly number[] = [1, 2, 4, 8];

/**
 * Networks of more parameters train alone, without a trial: a step that big is arithmetic, which
 * a group does not share. Measured on 2 cores, WASM, one thread (Node, an epoch of 60,000 images):
 * [32] (25,450 parameters) 1.14-1.41x faster a run in a group, [64] (50,890) 0.93-1.1x, [128]
 * (101,770) 0.95-0.99x; the page's trials here agree (a group slower for [64] and [128]). The
 * bound sits above [128] so that a machine where calls cost more than here can still find a gain
 * for it by its trial, and below [256] (203,530), whose trial would only cost time.
 */
export const GROUP_TRIAL_UP_TO_PARAMS = 150_000;

/**
 * A network is timed only for runs that train at least this many images between them (their
 * epochs x images per epoch): a trial took 1.3-2 s here (4-4.5 s as the second worker's first
 * work), about what a group saves on 500,000 images of [32 x 4]. Quick runs (6,000 images) train
 * alone unless their network was timed before; in a quick depth queue the first trial outlasted
 * the page's worker's runs of that network.
 */
export const GROUP_TRIAL_MIN_IMAGES = 500_000;

/** At most this many networks are remembered (the oldest trials dropped). */
const MAX_TRIALS = 60;

export const GROUP_TRIALS_STORAGE_KEY = 'mlp-lab:group-trials';

/**
 * What a trial is remembered by: the backend, the layers' widths and the batch size
 * ("32x32/b128/wasm"). The seed, the learning rate, the initializer and the activations (one op for
 * a group where its networks share them, one per network where not) are left out.
 */
export function groupTrialKey(config: Pick<TrainConfig, 'layers' | 'batchSize' | 'backend'>): string {
  return `${config.layers.map((l) => l.units).join('x') || 'none'}/b${config.batchSize}/${config.backend}`;
}

/** How a queue trains runs of a network together: how many, and how much faster a run trains so. */
export interface GroupChoice {
  readonly size: number;
  /** A run's time alone over its share of its group's time (1: alone). */
  readonly speedup: number;
}

const ALONE: GroupChoice = { size: 1, speedup: 1 };

/**
 * How to train `n` runs of `config` together: alone when they cannot share a step or the network
 * is too big to gain (GROUP_TRIAL_UP_TO_PARAMS); else by the remembered trial, the size of at most
 * n with the least time per run; 'trial' when the network has not been timed yet and the runs are
 * long enough to pay for it (GROUP_TRIAL_MIN_IMAGES), else alone.
 */
export function groupChoice(config: TrainConfig, n: number, table: GroupTrialTable): GroupChoice | 'trial' {
  if (n < 2 || groupKey(config) === null || totalParams(config.layers) > GROUP_TRIAL_UP_TO_PARAMS) return ALONE;
  const trial = table[groupTrialKey(config)];
  if (trial) return bestSize(trial, n);
  return n * config.epochs * trainImagesPerEpoch(config) >= GROUP_TRIAL_MIN_IMAGES ? 'trial' : ALONE;
}

/**
 * The trial's size of at most n with the least time per run (the smaller of equals); alone without
 * a time alone. Between two sizes timed, where the larger was at least as fast per run (a group of
 * 3 when 2 and 4 were timed and 4 was faster), n itself, at the smaller one's speed-up.
 */
export function bestSize(trial: GroupTrial, n: number): GroupChoice {
  const timed = trial.times.filter((t) => Number.isFinite(t.msPerRun) && t.msPerRun > 0);
  const usable = timed.filter((t) => t.size <= n);
  const alone = usable.find((t) => t.size === 1);
  if (!alone) return ALONE;
  const best = usable.reduce((a, b) =>
    b.msPerRun < a.msPerRun || (b.msPerRun === a.msPerRun && b.size < a.size) ? b : a,
  );
  // The next size timed, where n falls short of it (else it was a candidate and lost, or tied).
  const larger = timed.filter((t) => t.size > best.size).sort((a, b) => a.size - b.size)[0];
  const between = best.size > 1 && larger !== undefined && n < larger.size && larger.msPerRun <= best.msPerRun;
  const size = between ? n : best.size;
  return { size, speedup: alone.msPerRun / best.msPerRun };
}

/**
 * The table with `trial` remembered (replacing the network's earlier one), and the newest others,
 * MAX_TRIALS in all (the new one always: a clock set back must not drop it).
 */
export function rememberGroupTrial(table: GroupTrialTable, trial: GroupTrial): GroupTrialTable {
  const others = Object.entries(table)
    .filter(([k]) => k !== trial.network)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_TRIALS - 1);
  return Object.fromEntries([[trial.network, trial], ...others]);
}

const isTime = (t: unknown): t is GroupTime => {
  const o = t as Partial<GroupTime> | null;
  return (
    !!o &&
    typeof o === 'object' &&
    Number.isInteger(o.size) &&
    (o.size ?? 0) >= 1 &&
    typeof o.msPerRun === 'number' &&
    Number.isFinite(o.msPerRun) &&
    o.msPerRun > 0
  );
};

/**
 * Whether a trial is worth keeping past this visit: it timed the network both alone and in a group
 * (one that failed, or had only the time alone, is tried again at the next visit).
 */
export const lastingTrial = (t: GroupTrial) => t.times.some((x) => x.size === 1) && t.times.some((x) => x.size > 1);

/** The stored table, keeping only well-formed, lasting trials; anything unreadable is an empty table. */
export function parseGroupTrials(text: string | null): GroupTrialTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? 'null');
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const kept = Object.entries(raw as Record<string, unknown>).filter((e): e is [string, GroupTrial] => {
    const t = e[1] as Partial<GroupTrial> | null;
    return (
      !!t &&
      typeof t === 'object' &&
      t.network === e[0] &&
      typeof t.at === 'number' &&
      Array.isArray(t.times) &&
      t.times.every(isTime) &&
      lastingTrial(t as GroupTrial)
    );
  });
  return Object.fromEntries(kept);
}

/** "alone 0.9 ms a batch; in groups of 2: 0.7 ms a network, 4: 0.6, 8: 0.6", in the trial's order. */
export function groupTimesText(trial: GroupTrial): string {
  const ms = (v: number) => (v < 10 ? (Math.round(v * 100) / 100).toString() : Math.round(v).toString());
  const alone = trial.times.find((t) => t.size === 1);
  const groups = trial.times.filter((t) => t.size > 1);
  const parts = groups.map((t, i) =>
    i === 0 ? `in groups of ${t.size}: ${ms(t.msPerRun)} ms a network` : `${t.size}: ${ms(t.msPerRun)}`,
  );
  return [alone ? `alone ${ms(alone.msPerRun)} ms a batch` : null, parts.join(', ') || null].filter(Boolean).join('; ');
}
