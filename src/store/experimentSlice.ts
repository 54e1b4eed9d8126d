/**
 * The experiments panel and its queue: the selected experiment (kept in the URL), repeats and
 * quick mode, and a queue that trains an experiment's runs one after another in the worker, with
 * pause (stops the current run; resume runs it again), cancel, and restart.
 */
import { checkPlan, type CheckDef } from '../core/diagnosis';
import {
  EXPERIMENT_IDS,
  experimentById,
  experimentPlan,
  type ExperimentId,
  type ExperimentTag,
  type QueueKind,
} from '../core/experiments/experiments';
import { unmeasured, type RunRecord } from '../core/runs/runs';
import type { BackendChoice, DatasetName, TrainConfig } from '../core/network/spec';
import { parseConfig, parseTag } from '../core/runs/runSchema';
import { VARIANT_IDS, type VariantId } from '../core/experiments/variants';

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
}

type SetExperiments = (f: (s: Host) => { experiments: ExperimentState }) => void;

export interface QueueDeps {
  /** Starts a run of `config` tagged `tag`; returns its record id, or null if one is running. */
  start(config: TrainConfig, tag: ExperimentTag): string | null;
  /** Stops the current run (its record ends as stopped). */
  stop(): void;
  now(): number;
}

export function createExperimentActions(set: SetExperiments, get: () => Host, deps: QueueDeps): ExperimentActions {
  const update = (f: (e: ExperimentState) => ExperimentState) => set((s) => ({ experiments: f(s.experiments) }));
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
    const id = deps.start(item.config, item.tag);
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
      startedAt: deps.now(),
      failed: 0,
      problem: null,
    }));
    next();
  };

  return {
    selectExperiment(id) {
      update((e) => ({ ...e, selected: id }));
    },
    setRepeats(n) {
      update((e) => ({ ...e, repeats: Math.max(1, Math.min(10, Math.round(Number.isFinite(n) ? n : 1))) }));
    },
    setQuick(quick) {
      update((e) => ({ ...e, quick }));
    },
    setVariant(id, on) {
      update((e) => ({ ...e, variants: VARIANT_IDS.filter((v) => (v === id ? on : e.variants.includes(v))) }));
    },
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
      if (busy()) deps.stop();
    },
    resumeQueue() {
      const q = get().experiments.queue;
      if ((q.status !== 'paused' && q.status !== 'cancelled') || busy() || get().experiments.elsewhere) return;
      setQueue((x) => ({ ...x, status: 'running', startedAt: deps.now(), problem: null }));
      next();
    },
    cancelQueue() {
      const q = get().experiments.queue;
      if (q.status !== 'running' && q.status !== 'paused') return;
      setQueue((x) => ({ ...x, status: 'cancelled' }));
      if (busy()) deps.stop();
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

/** Where the queue is kept between visits, so a reload does not lose a long experiment. */
export const QUEUE_STORAGE_KEY = 'mlp-lab-queue';

/**
 * A queue read back from storage. One that was running or paused comes back paused (its current
 * run was cut short by the reload; Resume runs it again); anything unreadable gives null.
 */
export function parseStoredQueue(text: string | null): QueueState | null {
  if (!text) return null;
  try {
    const x = JSON.parse(text) as Partial<QueueState> & { items?: unknown };
    if (!Array.isArray(x.items) || typeof x.index !== 'number' || typeof x.status !== 'string') return null;
    const items: QueueItem[] = [];
    for (const raw of x.items as unknown[]) {
      const it = raw as { config?: unknown; tag?: unknown };
      const config = parseConfig(it.config);
      const tag = parseTag(it.tag);
      if (!config || !tag) return null;
      items.push({ config, tag });
    }
    const kinds = [...EXPERIMENT_IDS, 'check'] as readonly string[];
    const experiment =
      items[0]?.tag.experiment ??
      (typeof x.experiment === 'string' && kinds.includes(x.experiment) ? (x.experiment as QueueKind) : null);
    if (experiment === null || x.index < 0 || x.index > items.length) return null;
    const status: QueueStatus =
      x.status === 'running' || x.status === 'paused'
        ? 'paused'
        : x.status === 'done' || x.status === 'cancelled'
          ? x.status
          : 'idle';
    return {
      experiment,
      items,
      reused: typeof x.reused === 'number' && x.reused >= 0 ? Math.floor(x.reused) : 0,
      index: Math.floor(x.index),
      status,
      liveRecordId: null,
      startedAt: null,
      failed: typeof x.failed === 'number' ? x.failed : 0,
      problem: typeof x.problem === 'string' ? x.problem.slice(0, 500) : null,
    };
  } catch {
    return null;
  }
}
