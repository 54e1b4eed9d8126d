/**
 * What keeps the store in step with the world outside the tab: run records written to IndexedDB
 * and announced to other tabs, each live run's lock held while it runs, the queue and the checks
 * kept in local storage across reloads, runs other tabs train followed as they go, and the stored
 * runs read at start.
 */
import { markInterrupted, type RunRecord } from '../core/runs/runs';
import { readRunRecord, toStored } from '../core/runs/runSchema';
import { CHECKS_STORAGE_KEY, parseStoredChecks } from './slices/checkSlice';
import { GUIDE_STORAGE_KEY } from './slices/guideSlice';
import { GROUP_TRIALS_STORAGE_KEY, lastingTrial, parseGroupTrials } from '../core/runs/groupTrial';
import type { QueueState } from './slices/experimentSlice';
import { parseStoredQueue, QUEUE_STORAGE_KEY } from './slices/storedQueue';
import { mergeStored, upsert } from './slices/runsSlice';
import type { RunsRepository } from './runsDb';
import { problemText } from './slices/slice';
import type { LabStore } from './store';
import { QUEUE_LOCK, runLock, type TabLink } from './tabs';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Imported runs written per transaction. */
export const IMPORT_BATCH = 2000;

/** A stored text; null where there is none or storage is refused (private mode). */
export function storedText(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** What the last visit left in local storage: the queue (and whether it was running), the checks and the group trials. */
export function readPersisted(storage: KeyValueStorage | null) {
  const queueText = storedText(storage, QUEUE_STORAGE_KEY);
  let queueRunning = false;
  try {
    // Whether the stored queue was running when it was written (another tab may be running it now).
    queueRunning = (JSON.parse(queueText ?? 'null') as { status?: unknown } | null)?.status === 'running';
  } catch {
    // Unreadable: parseStoredQueue gives null for it too.
  }
  return {
    queue: parseStoredQueue(queueText),
    queueRunning,
    checks: parseStoredChecks(storedText(storage, CHECKS_STORAGE_KEY)),
    groupTrials: parseGroupTrials(storedText(storage, GROUP_TRIALS_STORAGE_KEY)),
  };
}

/**
 * Writes run records to storage and tells other tabs; holds each live run's lock until its final
 * record is written, so other tabs see it as running here meanwhile.
 */
export function createRunSaver(
  repo: RunsRepository,
  tabs: TabLink | null,
  report: { problem(text: string, id: string): void; saved(id: string): void },
) {
  const liveRunEnded = new Map<string, () => void>();
  const release = (id: string) => {
    liveRunEnded.get(id)?.();
    liveRunEnded.delete(id);
  };
  return {
    /** A run starts in this tab: hold its lock. */
    hold(id: string) {
      tabs?.hold(runLock(id), new Promise<void>((resolve) => liveRunEnded.set(id, resolve)));
    },
    /**
     * Writes imported runs in transactions of IMPORT_BATCH (a batch is all there or not at all),
     * then tells other tabs once; `progress` hears how many are written. Rejects on the first
     * batch that fails.
     */
    async saveMany(records: readonly RunRecord[], progress: (written: number) => void) {
      for (let at = 0; at < records.length; at += IMPORT_BATCH) {
        await repo.putMany(records.slice(at, at + IMPORT_BATCH));
        progress(Math.min(records.length, at + IMPORT_BATCH));
      }
      if (records.length > 0) tabs?.post({ type: 'imported', count: records.length });
    },
    save(record: RunRecord) {
      repo
        .put(record)
        .then(() => {
          report.saved(record.id);
          tabs?.post({ type: 'record', record });
          // Written and sent: the lock of a finished run can go.
          if (record.status !== 'running') release(record.id);
        })
        .catch((e: unknown) => {
          release(record.id);
          report.problem(problemText('Could not save the run', e), record.id);
        });
    },
  };
}

function writeJson(storage: KeyValueStorage, key: string, value: unknown) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or refused storage: it lasts as long as the tab.
  }
}

/**
 * The queue and the checks follow the store into storage, so a reload can resume a long experiment;
 * and so do the group trials that timed both alone and in a group.
 */
function persistQueueAndChecks(store: LabStore, storage: KeyValueStorage) {
  store.subscribe((state, previous) => {
    if (state.checks.list !== previous.checks.list) writeJson(storage, CHECKS_STORAGE_KEY, state.checks.list);
    const trials = state.groupTrials.table;
    if (trials !== previous.groupTrials.table)
      writeJson(
        storage,
        GROUP_TRIALS_STORAGE_KEY,
        Object.fromEntries(Object.entries(trials).filter(([, t]) => lastingTrial(t))),
      );
    if (state.experiments.queue === previous.experiments.queue) return;
    const { experiment, items, reused, index, done, status, failed, problem, failedItem } = state.experiments.queue;
    const stored = { experiment, items, reused, index, done, status, failed, problem, failedItem: failedItem ?? null };
    writeJson(storage, QUEUE_STORAGE_KEY, stored);
  });
}

/** The guide follows the history (a step done moves it on) and is kept in local storage. */
function followGuide(store: LabStore, storage: KeyValueStorage | null) {
  if (storage) writeJson(storage, GUIDE_STORAGE_KEY, store.getState().guide);
  store.subscribe((state, previous) => {
    if (state.runs.list !== previous.runs.list) state.guideSawRuns(state.runs.list);
    if (storage && state.guide !== previous.guide) writeJson(storage, GUIDE_STORAGE_KEY, state.guide);
  });
}

/** Runs other tabs train: each record they write shows here; once a tab lets go of a run, what it stored last. */
function followOtherTabs(store: LabStore, repo: RunsRepository, tabs: TabLink) {
  const watched = new Set<string>();
  const watchElsewhere = (id: string) => {
    if (watched.has(id)) return;
    watched.add(id);
    void tabs.whenFree(runLock(id)).then(async () => {
      watched.delete(id);
      const mine = store.getState().runs.list.find((r) => r.id === id);
      if (!mine || mine.status !== 'running' || store.getState().runs.liveId === id) return;
      const stored = (await repo.list().catch(() => null))?.runs.find((r) => r.id === id) ?? mine;
      // Still marked running with nobody holding it: that tab closed mid-run.
      const record = stored.status === 'running' ? markInterrupted(stored) : stored;
      if (record !== stored) repo.put(record).catch(() => undefined);
      store.setState((s) => ({ runs: { ...s.runs, list: upsert(s.runs.list, record) } }));
    });
  };
  tabs.listen((m) => {
    if (m.type === 'imported') {
      // Another tab imported runs: read them from storage (one message, however many runs).
      void repo.list().then(
        ({ runs }) => {
          const { list } = mergeStored(store.getState().runs.list, runs, new Set(runs.map((r) => r.id)));
          store.setState((s) => ({ runs: { ...s.runs, list } }));
        },
        () => undefined,
      );
      return;
    }
    const read = readRunRecord(toStored(m.record));
    if (!read.ok || read.record.id === store.getState().runs.liveId) return;
    store.setState((s) => ({ runs: { ...s.runs, list: upsert(s.runs.list, read.record) } }));
    if (read.record.status === 'running') watchElsewhere(read.record.id);
  });
  return watchElsewhere;
}

/** The queue: held by this tab while it runs here; shown as running elsewhere while another tab holds it. */
function shareQueue(store: LabStore, tabs: TabLink, storage: KeyValueStorage | null, storedRunning: boolean) {
  let releaseQueue: (() => void) | null = null;
  store.subscribe((state) => {
    const running = state.experiments.queue.status === 'running';
    if (running && !releaseQueue) tabs.hold(QUEUE_LOCK, new Promise<void>((resolve) => (releaseQueue = resolve)));
    if (!running && releaseQueue) {
      releaseQueue();
      releaseQueue = null;
    }
  });
  if (!storedRunning) return;
  void tabs.isHeld(QUEUE_LOCK).then((held) => {
    if (!held) return;
    store.setState((s) => ({ experiments: { ...s.experiments, elsewhere: true } }));
    void tabs.whenFree(QUEUE_LOCK).then(() => {
      const queue: QueueState | null = parseStoredQueue(storedText(storage, QUEUE_STORAGE_KEY));
      store.setState((s) => ({
        experiments: { ...s.experiments, elsewhere: false, queue: queue ?? s.experiments.queue },
      }));
    });
  });
}

/** Reads the stored runs: those still marked running are live in another tab if it holds their lock, else cut short by a reload. */
function readStoredRuns(store: LabStore, repo: RunsRepository, tabs: TabLink | null, watch: (id: string) => void) {
  repo.list().then(
    async ({ runs: stored, unreadable }) => {
      const live = new Set<string>();
      if (tabs)
        for (const r of stored) if (r.status === 'running' && (await tabs.isHeld(runLock(r.id)))) live.add(r.id);
      const { list, repaired } = mergeStored(store.getState().runs.list, stored, live);
      store.setState((s) => ({ runs: { ...s.runs, list, loaded: true, storedRead: true, unreadable } }));
      if (stored.length > 0) store.getState().guideSawEarlierRuns();
      // After a reload the main view shows the newest run that ended, as it ended.
      const { run, shown } = store.getState();
      const newest = list.find((r) => r.status !== 'running');
      if (run.status === 'idle' && shown === null && newest) store.getState().showRun(newest.id);
      for (const r of repaired) repo.put(r).catch(() => undefined);
      for (const id of live) watch(id);
      store.getState().loadModelIndex();
    },
    (e: unknown) =>
      store.setState((s) => ({
        runs: { ...s.runs, loaded: true, problem: problemText('Could not read the kept runs', e) },
      })),
  );
}

/** Connects a new store to storage and to other tabs, and reads what is stored. */
export function startSync(
  store: LabStore,
  deps: {
    readonly repo: RunsRepository;
    readonly tabs: TabLink | null;
    readonly storage: KeyValueStorage | null;
    readonly queueWasRunning: boolean;
  },
) {
  const { repo, tabs, storage } = deps;
  if (storage) persistQueueAndChecks(store, storage);
  followGuide(store, storage);
  const watch = tabs ? followOtherTabs(store, repo, tabs) : () => undefined;
  if (tabs) shareQueue(store, tabs, storage, deps.queueWasRunning);
  readStoredRuns(store, repo, tabs, watch);
}
