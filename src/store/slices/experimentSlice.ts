/**
 * The experiments panel and its queue: the selected experiment (kept in the URL), repeats and
 * quick mode, and a queue that trains an experiment's runs one after another in the worker, with
 * pause (stops the current run; resume runs it again), cancel, and restart.
 */
import type { CheckDef } from '../../core/diagnosis';
import { type ExperimentId, type ExperimentTag, type QueueKind } from '../../core/experiments/experiments';
import type { RunRecord } from '../../core/runs/runs';
import type { BackendChoice, DatasetName, TrainConfig } from '../../core/network/spec';
import { VARIANT_IDS, type VariantId } from '../../core/experiments/variants';
import type { GetState, SetState } from './slice';
import { queueActions } from './queueActions';
import type { GroupTrialState, SideActions, SideRun } from './sideSlice';

export interface QueueItem {
  readonly config: TrainConfig;
  readonly tag: ExperimentTag;
}

export type QueueStatus = 'idle' | 'running' | 'paused' | 'cancelled' | 'done';

export interface QueueState {
  /** What the queue's runs are for: an experiment, or a check of the diagnosis (null: none). */
  readonly experiment: QueueKind | null;
  readonly items: readonly QueueItem[];
  /** Runs of the plan left out because the history already holds them (same setup and seed). */
  readonly reused: number;
  /** The first item not finished yet (the one running now, or next when paused). */
  readonly index: number;
  /** Items after `index` that finished already (the side worker's, which can end out of order). */
  readonly done: readonly number[];
  readonly status: QueueStatus;
  /** Record id of the run the queue started last on the page's worker (the one shown live). */
  readonly liveRecordId: string | null;
  /** The item that run trains, while it trains. */
  readonly liveItem: number | null;
  /**
   * The runs the side worker trains beside it (sideSlice.ts: one, or a group trained together,
   * many networks in one step), and their items, in the same order, while they train.
   */
  readonly sideRecordIds: readonly string[];
  readonly sideItems: readonly number[];
  /** Wall ms when the queue (re)started, for the elapsed time. */
  readonly startedAt: number | null;
  /** Runs that ended in an error. */
  readonly failed: number;
  /**
   * Why the queue paused by itself: a run failed (offline, say). Resume runs that item again;
   * the queue never rushes on through a failure that would fail every item the same way.
   */
  readonly problem: string | null;
  /** The item whose failure paused the queue (the side worker's may not be `index`); null: none. */
  readonly failedItem?: number | null;
}

export interface ExperimentState {
  /** The experiment shown in the panel (in the URL as `experiment`); null: none picked. */
  readonly selected: ExperimentId | null;
  readonly repeats: number;
  readonly quick: boolean;
  /** Variants ticked to queue beside the article's setup (issue 12). */
  readonly variants: readonly VariantId[];
  readonly queue: QueueState;
  /** Another tab of the lab is running the stored queue: this one shows it and leaves it alone. */
  readonly elsewhere: boolean;
}

export const IDLE_QUEUE: QueueState = {
  experiment: null,
  items: [],
  reused: 0,
  index: 0,
  done: [],
  status: 'idle',
  liveRecordId: null,
  liveItem: null,
  sideRecordIds: [],
  sideItems: [],
  startedAt: null,
  failed: 0,
  problem: null,
};

export interface ExperimentActions {
  selectExperiment(id: ExperimentId | null): void;
  setRepeats(n: number): void;
  setQuick(quick: boolean): void;
  /** Ticks or unticks a variant to queue beside the article's setup. */
  setVariant(id: VariantId, on: boolean): void;
  /** Queues every run of the selected experiment (on the dataset of the controls) not yet measured, and starts. */
  runExperiment(): void;
  /**
   * Queues the runs a check of the diagnosis needs that the history does not hold, and starts;
   * false (nothing queued) while a run trains or the queue holds an experiment or a check.
   */
  runCheck(def: CheckDef): boolean;
  pauseQueue(): void;
  resumeQueue(): void;
  cancelQueue(): void;
  /** Runs the same queue again from its first run, leaving out what the history holds by now. */
  restartQueue(): void;
  /** How many runs of `config` a queue trains at a time here: 2 with the side worker, else 1. */
  queueLanes(config: TrainConfig): number;
  /**
   * Called by the store when the run with record `recordId` has ended, and how: 'diverged' is an
   * error of the run's own (its loss became NaN), which the queue counts as failed and goes on.
   */
  queueRunEnded(recordId: string, how: 'done' | 'stopped' | 'error' | 'diverged', message?: string): void;
}

export interface QueueHost {
  readonly experiments: ExperimentState;
  readonly runs: { readonly list: readonly RunRecord[]; readonly liveId?: string | null };
  readonly config: { readonly dataset: DatasetName; readonly backend: BackendChoice };
  readonly run: { readonly status: string };
  readonly side: readonly SideRun[];
  readonly groupTrials: GroupTrialState;
  /** Starts a run of `config` tagged `tag`; returns its record id, or null if one is running. */
  startRun(config: TrainConfig, tag: ExperimentTag, options?: { threads?: number }): string | null;
  /** Stops the current run (its record ends as stopped). */
  stopRun(): void;
  startSideRuns: SideActions['startSideRuns'];
  stopSideRun: SideActions['stopSideRun'];
  timeSideGroups: SideActions['timeSideGroups'];
}

export type Update = (f: (e: ExperimentState) => ExperimentState) => void;

export interface ExperimentDeps {
  readonly now: () => number;
  /** The experiment the link opened with. */
  readonly selected: ExperimentId | null;
  /** The queue the last visit left (see parseStoredQueue), or null. */
  readonly queue: QueueState | null;
  /**
   * Whether the side worker may train a run of `config` beside the live one (a second core, and a
   * backend on the CPU); absent: never.
   */
  readonly sideLane?: (config: TrainConfig) => boolean;
}

export function createExperimentSlice(
  set: SetState<Pick<QueueHost, 'experiments'>>,
  get: GetState<QueueHost>,
  deps: ExperimentDeps,
): Pick<QueueHost, 'experiments'> & ExperimentActions {
  const update: Update = (f) => set((s) => ({ experiments: f(s.experiments) }));
  return {
    experiments: {
      selected: deps.selected,
      repeats: 1,
      quick: false,
      variants: [],
      queue: deps.queue ?? IDLE_QUEUE,
      elsewhere: false,
    },
    ...settingActions(update),
    ...queueActions(update, get, deps.now, deps.sideLane ?? (() => false)),
  };
}

/** The panel's choices: the experiment, repeats, quick mode, variants. */
function settingActions(update: Update) {
  return {
    selectExperiment(id: ExperimentId | null) {
      update((e) => ({ ...e, selected: id }));
    },
    setRepeats(n: number) {
      update((e) => ({ ...e, repeats: Math.max(1, Math.min(10, Math.round(Number.isFinite(n) ? n : 1))) }));
    },
    setQuick(quick: boolean) {
      update((e) => ({ ...e, quick }));
    },
    setVariant(id: VariantId, on: boolean) {
      update((e) => ({ ...e, variants: VARIANT_IDS.filter((v) => (v === id ? on : e.variants.includes(v))) }));
    },
  };
}
