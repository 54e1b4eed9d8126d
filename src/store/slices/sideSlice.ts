/**
 * The queue's side worker: a second training worker that trains a queue's next run beside the one
 * the page shows live, so that a sweep uses both cores of a 2-core machine. Its runs are quiet (no
 * layer health, weight tiles or probe: nobody watches them live) and ask for one WASM thread, so
 * that two runs side by side do not wait on each other's thread pools. Its record is written at the
 * same milestones as the live run's, and its end is the queue's business (queueRunEnded).
 */
import type { ExperimentTag } from '../../core/experiments/experiments';
import type { TrainConfig } from '../../core/network/spec';
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
  /** Starts `config` (tagged) in the side worker; its record id, or null while it is busy. */
  startSideRun(config: TrainConfig, tag: ExperimentTag): string | null;
  /** Stops the side worker's run, if any (its record ends as stopped). */
  stopSideRun(): void;
  /** A message of the side worker about its run. */
  receiveSideMessage(m: RunMessage): void;
}

interface Host extends SideActions {
  readonly side: SideRun | null;
  readonly runs: RunsState;
  readonly keepModel: ModelsActions['keepModel'];
  readonly queueRunEnded: ExperimentActions['queueRunEnded'];
}

export interface SideDeps {
  /** The side worker's client, started on first use. */
  readonly client: () => TrainingClient;
  readonly saver: { save(record: RunRecord): void; hold(id: string): void };
  readonly now: () => number;
}

const PERSIST_ON = new Set(['backend', 'started', 'epoch', 'done', 'stopped', 'error']);

export const sideBusy = (side: SideRun | null) =>
  side !== null && (side.run.status === 'loading' || side.run.status === 'training');

export function createSideSlice(
  set: SetState<Pick<Host, 'side' | 'runs'>>,
  get: GetState<Host>,
  deps: SideDeps,
): Pick<Host, 'side'> & SideActions {
  return {
    side: null,
    startSideRun(config, tag) {
      if (sideBusy(get().side)) return null;
      const startedAt = deps.now();
      const record = newRunRecord(makeRunId(startedAt), startedAt, config, tag);
      const runId = deps.client().train(config, record.id, { quiet: true, threads: 1 });
      set((s) => ({
        side: { recordId: record.id, run: startRun(runId, startedAt, config) },
        runs: { ...s.runs, list: upsert(s.runs.list, record) },
      }));
      deps.saver.hold(record.id);
      deps.saver.save(record);
      return record.id;
    },
    stopSideRun() {
      const { side } = get();
      if (side && sideBusy(side)) deps.client().stop(side.run.runId);
    },
    receiveSideMessage(m) {
      const { side, runs } = get();
      if (!side) return;
      const next = reduceRun(side.run, m);
      if (next === side.run) return;
      const live = runs.list.find((r) => r.id === side.recordId);
      if (!live || !PERSIST_ON.has(m.type)) {
        set({ side: { ...side, run: next } });
        // Its record gone (deleted elsewhere): the queue still hears how it ended.
        if (!live && (m.type === 'done' || m.type === 'stopped')) get().queueRunEnded(side.recordId, m.type);
        if (!live && m.type === 'error') get().queueRunEnded(side.recordId, 'error', m.message);
        return;
      }
      const record = recordFromRun(live, next);
      set((s) => ({ side: { ...side, run: next }, runs: { ...s.runs, list: upsert(s.runs.list, record) } }));
      deps.saver.save(record);
      if (m.type === 'done' && m.outcome.kept) get().keepModel(record.id, record.params, m.outcome.kept);
      if (m.type === 'done' || m.type === 'stopped') get().queueRunEnded(record.id, m.type);
      if (m.type === 'error') get().queueRunEnded(record.id, m.diverged ? 'diverged' : 'error', m.message);
    },
  };
}
