/**
 * The queue's side worker: a second training worker that trains a queue's next runs beside the one
 * the page shows live, so that a sweep uses both cores of a 2-core machine: one run, or a group of
 * runs trained together, many networks in one step (core/runs/groups.ts, ml/group). Its runs are
 * quiet (no layer health, weight tiles or probe: nobody watches them live) and ask for one WASM
 * thread, so that two lanes side by side do not wait on each other's thread pools. Each run's record
 * is written at the same milestones as the live run's, and its end is the queue's business
 * (queueRunEnded).
 */
import type { ExperimentTag } from '../../core/experiments/experiments';
import type { TrainConfig } from '../../core/network/spec';
import {
  GROUP_TRIAL_SIZES,
  groupTrialKey,
  rememberGroupTrial,
  type GroupTrial,
  type GroupTrialTable,
} from '../../core/runs/groupTrial';
import { makeRunId, newRunRecord, type RunRecord } from '../../core/runs/runs';
import type { RunMessage, TrainingClient } from '../../worker/client';
import type { ExperimentActions } from './experimentSlice';
import type { ModelsActions } from './modelsSlice';
import { reduceRun, startRun, type RunState } from './runState';
import { recordFromRun, upsert, type RunsState } from './runsSlice';
import type { GetState, SetState } from './slice';

/** The run the side worker trains (or last trained), and its record. */
export interface SideRun {
  readonly recordId: string;
  readonly run: RunState;
}

export interface SideActions {
  /**
   * Starts `runs` in the side worker: one run, or several of one group (core/runs/groups.ts)
   * trained together; their record ids, in order, or null while it is busy.
   */
  startSideRuns(runs: readonly { readonly config: TrainConfig; readonly tag: ExperimentTag }[]): string[] | null;
  /** Stops the side worker's runs, if any (their records end as stopped). */
  stopSideRun(): void;
  /**
   * The group trial of `config`'s network in the side worker (core/runs/groupTrial.ts), remembered
   * in `groupTrials`; resolves once it is (a failed trial is remembered for this visit with no
   * times: its runs train alone).
   */
  timeSideGroups(config: TrainConfig): Promise<void>;
  /** A message of the side worker about its run. */
  receiveSideMessage(m: RunMessage): void;
}

/** The group trials remembered (per network), and the network the side worker times now, if any. */
export interface GroupTrialState {
  readonly table: GroupTrialTable;
  readonly timing: TrainConfig | null;
}

interface Host extends SideActions {
  readonly side: readonly SideRun[];
  readonly groupTrials: GroupTrialState;
  readonly runs: RunsState;
  readonly keepModel: ModelsActions['keepModel'];
  readonly queueRunEnded: ExperimentActions['queueRunEnded'];
}

export interface SideDeps {
  /** The side worker's client, started on first use. */
  readonly client: () => TrainingClient;
  readonly saver: { save(record: RunRecord): void; hold(id: string): void };
  readonly now: () => number;
  /** The trials a past visit remembered. */
  readonly trials?: GroupTrialTable;
}

const PERSIST_ON = new Set(['backend', 'started', 'epoch', 'done', 'stopped', 'error']);

/** Whether a side run is loading or training. */
export const sideRunBusy = (r: SideRun) => r.run.status === 'loading' || r.run.status === 'training';

/** Whether the side worker trains (any of its runs is loading or training). */
export const sideBusy = (side: readonly SideRun[]) => side.some(sideRunBusy);

export function createSideSlice(
  set: SetState<Pick<Host, 'side' | 'runs' | 'groupTrials'>>,
  get: GetState<Host>,
  deps: SideDeps,
): Pick<Host, 'side' | 'groupTrials'> & SideActions {
  const timing = (config: TrainConfig | null) => set((s) => ({ groupTrials: { ...s.groupTrials, timing: config } }));
  return {
    side: [],
    groupTrials: { table: deps.trials ?? {}, timing: null },
    async timeSideGroups(config) {
      if (get().groupTrials.timing !== null || sideBusy(get().side)) return;
      timing(config);
      let times: GroupTrial['times'] = [];
      try {
        times = await deps.client().timeGroups(config, GROUP_TRIAL_SIZES, 1);
      } catch {
        // The worker could not time it (WASM did not start, the data did not load): alone this visit.
      }
      const trial = { network: groupTrialKey(config), times, at: deps.now() };
      set((s) => ({ groupTrials: { table: rememberGroupTrial(s.groupTrials.table, trial), timing: null } }));
    },
    startSideRuns(runs) {
      if (sideBusy(get().side) || runs.length === 0) return null;
      const startedAt = deps.now();
      const records = runs.map((r, i) => newRunRecord(makeRunId(startedAt + i), startedAt, r.config, r.tag));
      const client = deps.client();
      const configs = runs.map((r) => r.config);
      const [first] = records as [RunRecord];
      const runIds =
        runs.length === 1
          ? [client.train(configs[0] as TrainConfig, first.id, { quiet: true, threads: 1 })]
          : client.trainGroup(configs, 1);
      set((s) => ({
        side: records.map((record, i) => ({
          recordId: record.id,
          run: startRun(runIds[i] as number, startedAt, record.config),
        })),
        runs: { ...s.runs, list: records.reduce((list, record) => upsert(list, record), s.runs.list) },
      }));
      for (const record of records) {
        deps.saver.hold(record.id);
        deps.saver.save(record);
      }
      return records.map((r) => r.id);
    },
    stopSideRun() {
      for (const r of get().side) if (sideRunBusy(r)) deps.client().stop(r.run.runId);
    },
    receiveSideMessage(m) {
      const { runs } = get();
      const side = get().side.find((r) => r.run.runId === m.runId);
      if (!side) return;
      const next = reduceRun(side.run, m);
      if (next === side.run) return;
      const replaced = (list: readonly SideRun[]) =>
        list.map((r) => (r.recordId === side.recordId ? { ...side, run: next } : r));
      const live = runs.list.find((r) => r.id === side.recordId);
      if (!live || !PERSIST_ON.has(m.type)) {
        set((s) => ({ side: replaced(s.side) }));
        // Its record gone (deleted elsewhere): the queue still hears how it ended.
        if (!live && (m.type === 'done' || m.type === 'stopped')) get().queueRunEnded(side.recordId, m.type);
        if (!live && m.type === 'error') get().queueRunEnded(side.recordId, 'error', m.message);
        return;
      }
      const record = recordFromRun(live, next);
      set((s) => ({ side: replaced(s.side), runs: { ...s.runs, list: upsert(s.runs.list, record) } }));
      deps.saver.save(record);
      if (m.type === 'done' && m.outcome.kept) get().keepModel(record.id, record.params, m.outcome.kept);
      if (m.type === 'done' || m.type === 'stopped') get().queueRunEnded(record.id, m.type);
      if (m.type === 'error') get().queueRunEnded(record.id, m.diverged ? 'diverged' : 'error', m.message);
    },
  };
}
