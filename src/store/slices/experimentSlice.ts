/**
 * The experiments panel and its queue: the selected experiment (kept in the URL), repeats and
 * quick mode, and a queue that trains an experiment's runs one after another in the worker, with
 * pause (stops the current run; resume runs it again), cancel, and restart.
 */
import { checkPlan, type CheckDef } from '../../core/diagnosis';
import {
  experimentById,
  experimentPlan,
  type ExperimentId,
  type ExperimentTag,
  type QueueKind,
} from '../../core/experiments/experiments';
import { unmeasured, type RunRecord } from '../../core/runs/runs';
import type { BackendChoice, DatasetName, TrainConfig } from '../../core/network/spec';
import { VARIANT_IDS, type VariantId } from '../../core/experiments/variants';
import type { GetState, SetState } from './slice';

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
  /** The item running now (or next, when paused). */
  readonly index: number;
  readonly status: QueueStatus;
  /** Record id of the run the queue started last. */
  readonly liveRecordId: string | null;
  /** Wall ms when the queue (re)started, for the elapsed time. */
  readonly startedAt: number | null;
  /** Runs that ended in an error. */
  readonly failed: number;
  /**
   * Why the queue paused by itself: a run failed (offline, say). Resume runs that item again;
   * the queue never rushes on through a failure that would fail every item the same way.
   */
  readonly problem: string | null;
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
  status: 'idle',
  liveRecordId: null,
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
  /** Called by the store when the run with record `recordId` has ended, and how. */
  queueRunEnded(recordId: string, how: 'done' | 'stopped' | 'error', message?: string): void;
}

interface Host {
  readonly experiments: ExperimentState;
  readonly runs: { readonly list: readonly RunRecord[] };
  readonly config: { readonly dataset: DatasetName; readonly backend: BackendChoice };
  readonly run: { readonly status: string };
  /** Starts a run of `config` tagged `tag`; returns its record id, or null if one is running. */
  startRun(config: TrainConfig, tag: ExperimentTag): string | null;
  /** Stops the current run (its record ends as stopped). */
  stopRun(): void;
}

type Update = (f: (e: ExperimentState) => ExperimentState) => void;

export interface ExperimentDeps {
  readonly now: () => number;
  /** The experiment the link opened with. */
  readonly selected: ExperimentId | null;
  /** The queue the last visit left (see parseStoredQueue), or null. */
  readonly queue: QueueState | null;
}

export function createExperimentSlice(
  set: SetState<Pick<Host, 'experiments'>>,
  get: GetState<Host>,
  deps: ExperimentDeps,
): Pick<Host, 'experiments'> & ExperimentActions {
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
    ...queueActions(update, get, deps.now),
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

/** The queue: what it trains next, and the ways to start, pause, resume, cancel and restart it. */
function queueActions(
  update: Update,
  get: GetState<Host>,
  now: () => number,
): Omit<ExperimentActions, keyof ReturnType<typeof settingActions>> {
  const { setQueue, busy, next, start } = queueRunner(update, get, now);

  return {
    runExperiment() {
      const { experiments, config } = get();
      // The stored queue belongs to another tab while it runs there: never two owners.
      if (experiments.selected === null || busy() || experiments.elsewhere) return;
      const plan = experimentPlan(experimentById(experiments.selected), {
        repeats: experiments.repeats,
        quick: experiments.quick,
        dataset: config.dataset,
        backend: config.backend,
        variants: experiments.variants,
      });
      start(experiments.selected, plan);
    },
    runCheck(def) {
      const q = get().experiments.queue;
      // Never over a queue that is under way or paused (a paused experiment would lose its Resume).
      if (busy() || get().experiments.elsewhere || q.status === 'running' || q.status === 'paused') return false;
      start('check', checkPlan(def));
      return true;
    },
    pauseQueue() {
      if (get().experiments.queue.status !== 'running') return;
      setQueue((q) => ({ ...q, status: 'paused' }));
      if (busy()) get().stopRun();
    },
    resumeQueue() {
      const q = get().experiments.queue;
      if ((q.status !== 'paused' && q.status !== 'cancelled') || busy() || get().experiments.elsewhere) return;
      setQueue((x) => ({ ...x, status: 'running', startedAt: now(), problem: null }));
      next();
    },
    cancelQueue() {
      const q = get().experiments.queue;
      if (q.status !== 'running' && q.status !== 'paused') return;
      setQueue((x) => ({ ...x, status: 'cancelled' }));
      if (busy()) get().stopRun();
    },
    restartQueue() {
      const q = get().experiments.queue;
      if (
        q.experiment === null ||
        q.items.length === 0 ||
        q.status === 'running' ||
        busy() ||
        get().experiments.elsewhere
      )
        return;
      // From the first run again, but what the history holds by now (same setup and seed) is
      // not trained twice: a run trained again with its seed would be the same measurement.
      const reusedBefore = q.reused;
      start(q.experiment, q.items);
      setQueue((x) => ({ ...x, reused: x.reused + reusedBefore }));
    },
    queueRunEnded(recordId, how, message) {
      const q = get().experiments.queue;
      if (q.liveRecordId !== recordId) return;
      // Paused or cancelled and the run was stopped: the item runs again on resume. But a run that
      // finished before the stop reached it is counted, so it is not run twice.
      if (q.status !== 'running' && how === 'stopped') return;
      if (how === 'error') {
        // A failure pauses the queue on that item, with the reason: the next items would most
        // likely fail the same way (no data, no GPU), each leaving an error row behind.
        setQueue((x) => ({
          ...x,
          status: x.status === 'running' ? 'paused' : x.status,
          failed: x.failed + 1,
          liveRecordId: null,
          problem: message ?? 'the run failed',
        }));
        return;
      }
      setQueue((x) => ({ ...x, index: x.index + 1, liveRecordId: x.status === 'running' ? x.liveRecordId : null }));
      next();
    },
  };
}

/** Trains the queue's items one after another: starts one, and the next when it has ended. */
function queueRunner(update: Update, get: GetState<Host>, now: () => number) {
  const setQueue = (f: (q: QueueState) => QueueState) => update((e) => ({ ...e, queue: f(e.queue) }));
  const busy = () => get().run.status === 'loading' || get().run.status === 'training';
  /** Starts the queue's current item, or finishes the queue when none is left. */
  const next = () => {
    const q = get().experiments.queue;
    if (q.status !== 'running') return;
    const item = q.items[q.index];
    if (!item) {
      setQueue((x) => ({ ...x, status: 'done', liveRecordId: null }));
      return;
    }
    const id = get().startRun(item.config, item.tag);
    setQueue((x) => ({ ...x, liveRecordId: id }));
  };

  /** Queues what `plan` needs that the history does not hold, and starts it. */
  const start = (kind: QueueKind, plan: readonly QueueItem[]) => {
    const { items, reused } = unmeasured(plan, get().runs.list);
    setQueue(() => ({
      experiment: kind,
      items,
      reused,
      index: 0,
      status: 'running',
      liveRecordId: null,
      startedAt: now(),
      failed: 0,
      problem: null,
    }));
    next();
  };

  return { setQueue, busy, next, start };
}
