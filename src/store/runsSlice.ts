/** The runs history as the store holds it: the record of the live run follows its run state. */
import { markInterrupted, newestFirst, type RunRecord, type RunRecordStatus } from '../core/runs/runs';
import type { UnreadableRun } from '../core/runs/runSchema';
import type { RunState, RunStatus } from './runSlice';

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
}

export const EMPTY_RUNS: RunsState = {
  list: [],
  loaded: false,
  storedRead: false,
  problem: null,
  selected: [],
  liveId: null,
  unreadable: [],
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
