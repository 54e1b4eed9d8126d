/**
 * The runs history as the store holds it (the record of the live run follows its run state), and
 * what a person does with it: tick runs, load one's config, delete runs.
 */
import type { TrainConfig } from '../../core/network/spec';
import { markInterrupted, newestFirst, type RunRecord, type RunRecordStatus } from '../../core/runs/runs';
import type { UnreadableRun } from '../../core/runs/unreadable';
import { traceOf } from '../../core/runs/trace';
import type { RunsRepository } from '../runsDb';
import { runStateFromRecord, type RunState, type RunStatus, type ShownRun } from './runState';
import { problemText, type GetState, type SetState } from './slice';

export interface RunsState {
  /** Every kept run, newest first. */
  readonly list: readonly RunRecord[];
  /** False until the stored runs have been read (or reading them failed). */
  readonly loaded: boolean;
  /** True once the stored runs were read successfully: only then may stored models be judged by their runs. */
  readonly storedRead: boolean;
  /** What went wrong with storage, for the runs panel (null: nothing). */
  readonly problem: string | null;
  /** Runs ticked for comparison and export, in the order they were ticked. */
  readonly selected: readonly string[];
  /** The record the live run writes to. */
  readonly liveId: string | null;
  /** Stored records that could not be read: kept in storage and listed, with delete. */
  readonly unreadable: readonly UnreadableRun[];
  /** Runs whose last write to storage failed: kept in the table, offered for download. */
  readonly unsaved: readonly string[];
}

export const EMPTY_RUNS: RunsState = {
  list: [],
  loaded: false,
  storedRead: false,
  problem: null,
  selected: [],
  liveId: null,
  unreadable: [],
  unsaved: [],
};

const STATUS: Record<RunStatus, RunRecordStatus> = {
  idle: 'running',
  loading: 'running',
  training: 'running',
  done: 'done',
  stopped: 'stopped',
  error: 'error',
};

/** The record of a live run brought up to date with its run state. */
export function recordFromRun(record: RunRecord, run: RunState): RunRecord {
  return {
    ...record,
    status: STATUS[run.status],
    epochs: run.epochs,
    testAcc: run.outcome?.testAcc ?? null,
    testLoss: run.outcome?.testLoss ?? null,
    backend: run.backend?.name ?? record.backend,
    trainCount: run.plan?.trainCount ?? record.trainCount,
    valCount: run.plan?.valCount ?? record.valCount,
    error: run.error,
    trace: traceOf(run.samples, run.health),
    ...(run.plan?.group !== undefined ? { group: run.plan.group } : {}),
  };
}

/** Replaces (or adds) one record, keeping the list newest first. */
export function upsert(list: readonly RunRecord[], record: RunRecord): RunRecord[] {
  return upsertMany(list, [record]);
}

/** `upsert` of many records at once (one sort, however many). */
export function upsertMany(list: readonly RunRecord[], records: readonly RunRecord[]): RunRecord[] {
  const ids = new Set(records.map((r) => r.id));
  return newestFirst([...list.filter((r) => !ids.has(r.id)), ...records]);
}

/**
 * Stored runs joined with any started in this tab before the store was read. Stored runs still
 * marked running were cut short by a reload: they come back as stopped (`repaired` lists them so
 * they can be written back), except those live in another tab (`liveElsewhere`), kept as running.
 */
export function mergeStored(
  current: readonly RunRecord[],
  stored: readonly RunRecord[],
  liveElsewhere: ReadonlySet<string> = new Set(),
): { list: RunRecord[]; repaired: RunRecord[] } {
  const here = new Set(current.map((r) => r.id));
  const fromStore = stored.filter((r) => !here.has(r.id));
  const repaired = fromStore.filter((r) => r.status === 'running' && !liveElsewhere.has(r.id)).map(markInterrupted);
  const fixed = new Map(repaired.map((r) => [r.id, r]));
  return { list: newestFirst([...current, ...fromStore.map((r) => fixed.get(r.id) ?? r)]), repaired };
}

/** Ticks or unticks one run; unknown ids are ignored. */
export function toggleSelected(runs: RunsState, id: string): readonly string[] {
  if (runs.selected.includes(id)) return runs.selected.filter((s) => s !== id);
  return runs.list.some((r) => r.id === id) ? [...runs.selected, id] : runs.selected;
}

export interface RunsActions {
  /** Ticks or unticks a run for comparison and export. */
  toggleRunSelected(id: string): void;
  /** Ticks exactly these runs. */
  selectRuns(ids: readonly string[]): void;
  /** Puts a kept run's config back into the controls (and so the URL). */
  loadRunConfig(id: string): void;
  /** Deletes kept runs (never the one training now). */
  deleteRuns(ids: readonly string[]): void;
  /** Deletes stored records that could not be read (by the keys the runs state lists). */
  deleteUnreadable(keys: readonly string[]): void;
  /**
   * Adds runs (imported ones) to storage, in batches, and then to the history; `progress` hears
   * how many are stored. Rejects if storage fails (the batches written before stay whole).
   */
  addRuns(records: readonly RunRecord[], progress?: (stored: number) => void): Promise<void>;
  /** Shows a kept run in the main view (its curves, health, diagnosis, result); null: the live run. */
  showRun(id: string | null): void;
}

interface Host {
  readonly runs: RunsState;
  readonly shown: ShownRun | null;
  readonly run: RunState;
  /** The run the queue's side worker trains (sideSlice.ts), if any. */
  readonly side?: readonly { readonly recordId: string; readonly run: RunState }[];
  readonly config: TrainConfig;
  readonly budget: number | null;
  forgetModels(ids: readonly string[]): void;
}

export function createRunsSlice(
  set: SetState<Pick<Host, 'runs' | 'config' | 'budget' | 'shown'>>,
  get: GetState<Host>,
  deps: {
    readonly repo: RunsRepository;
    readonly saveMany: (records: readonly RunRecord[], progress: (stored: number) => void) => Promise<void>;
  },
): Pick<Host, 'runs' | 'shown'> & RunsActions {
  const { repo } = deps;
  const update = (f: (runs: RunsState) => Partial<RunsState>) => set((s) => ({ runs: { ...s.runs, ...f(s.runs) } }));
  const failed = (e: unknown) => update(() => ({ problem: problemText('Could not delete from storage', e) }));
  return {
    runs: repo.persistent
      ? EMPTY_RUNS
      : { ...EMPTY_RUNS, problem: 'This browser keeps no IndexedDB here, so runs last only until the tab closes.' },
    shown: null,
    toggleRunSelected(id) {
      update((runs) => ({ selected: toggleSelected(runs, id) }));
    },
    selectRuns(ids) {
      update((runs) => {
        const known = new Set(runs.list.map((r) => r.id));
        return { selected: [...new Set(ids)].filter((id) => known.has(id)) };
      });
    },
    loadRunConfig(id) {
      const record = get().runs.list.find((r) => r.id === id);
      if (record) set({ config: record.config, budget: null });
    },
    deleteRuns(ids) {
      const { runs, run, side } = get();
      const training = (r: RunState) => r.status === 'loading' || r.status === 'training';
      // The runs training now (the page's worker's and the side worker's) are not deleted.
      const held = [
        training(run) ? runs.liveId : null,
        ...(side ?? []).filter((r) => training(r.run)).map((r) => r.recordId),
      ];
      const gone = new Set(ids.filter((id) => !held.includes(id)));
      if (gone.size === 0) return;
      if (get().shown && gone.has(get().shown?.id ?? '')) set({ shown: null });
      update((r) => ({
        list: r.list.filter((x) => !gone.has(x.id)),
        selected: r.selected.filter((id) => !gone.has(id)),
        unsaved: r.unsaved.filter((id) => !gone.has(id)),
        liveId: r.liveId !== null && gone.has(r.liveId) ? null : r.liveId,
      }));
      // Delete first, so the storage measured after forgetting the models no longer counts them.
      repo.delete([...gone]).catch(failed);
      get().forgetModels([...gone]);
    },
    async addRuns(records, progress = () => undefined) {
      await deps.saveMany(records, progress);
      update((runs) => ({ list: upsertMany(runs.list, records) }));
    },
    showRun(id) {
      const { runs, run } = get();
      const record = id === null ? undefined : runs.list.find((r) => r.id === id);
      // The live run of this visit is the live view itself.
      const live = record !== undefined && record.id === runs.liveId && run.status !== 'idle';
      set({ shown: record && !live ? { id: record.id, run: runStateFromRecord(record) } : null });
    },
    deleteUnreadable(keys) {
      update((runs) => ({ unreadable: runs.unreadable.filter((u) => !keys.includes(u.key)) }));
      repo.deleteUnreadable(keys).catch(failed);
    },
  };
}
