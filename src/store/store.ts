/**
 * The lab's one store (zustand), built from a config slice (what the URL says), a run slice
 * (what the worker reports) and a runs slice (the history kept in IndexedDB). Actions are thin:
 * they call core functions, the worker client or the runs repository.
 */
import { createStore } from 'zustand/vanilla';
import { decodeConfig, type Notice } from '../core/link/urlCodec';
import { applyBudget, editInBudget } from '../core/network/budget';
import { randomSeed } from '../core/network/rng';
import { articleSetup, learnsWellSetup, quickDrawConfig } from '../core/network/presets';
import { memoryProblem } from '../core/device/deviceMemory';
import { QUEUE_LOCK, runLock, type TabLink } from './tabs';
import { applyFix, type Fix } from '../core/diagnosis';
import { makeRunId, markInterrupted, newRunRecord, type RunRecord } from '../core/runs/runs';
import { readRunRecord, toStored } from '../core/runs/runSchema';
import type { DatasetName, TrainConfig } from '../core/network/spec';
import { createTrainingClient, type LoadProgress, type Sample, type TrainingClient } from '../worker/client';
import { IDLE_RUN, reduceRun, startRun, type RunState } from './runSlice';
import {
  EMPTY_RUNS,
  mergeStored,
  recordFromRun,
  toggleSelected,
  upsert,
  upsertMany,
  type RunsState,
} from './runsSlice';
import { memoryRuns, type RunsRepository } from './runsDb';
import {
  createExperimentActions,
  IDLE_QUEUE,
  parseStoredQueue,
  QUEUE_STORAGE_KEY,
  type ExperimentActions,
  type ExperimentState,
} from './experimentSlice';
import type { ExperimentTag } from '../core/experiments/experiments';
import type { InjectedTimes } from '../core/device/backendTrial';
import {
  createInspectActions,
  EMPTY_DRAW,
  EMPTY_MISTAKES,
  EMPTY_MODELS,
  type InspectActions,
  type InspectState,
} from './inspectSlice';
import { createImportActions, IDLE_IMPORT, type ImportActions, type ImportState } from './importSlice';
import { INITIAL_OFFLINE, type OfflineState } from './offlineSlice';
import {
  CHECKS_STORAGE_KEY,
  createCheckActions,
  parseStoredChecks,
  type CheckActions,
  type CheckState,
} from './checkSlice';

/** Random training images for the gallery. */
export interface GalleryState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly progress: LoadProgress | null;
  readonly sample: Sample | null;
  /** The dataset the shown images come from. */
  readonly dataset: DatasetName;
  readonly message: string | null;
}

/** How many images the gallery shows at a time. */
export const GALLERY_SIZE = 24;

export interface LabState extends InspectState, InspectActions, ExperimentActions, ImportActions, CheckActions {
  /** The diagnosis's checks, and the run the diagnosis shows while one trains. */
  readonly checks: CheckState;
  readonly config: TrainConfig;
  /** The last model or results import: how it is going or how it went. */
  readonly imports: ImportState;
  /** Offline use: the service worker's state, the network's, and a waiting release. */
  readonly offline: OfflineState;
  /** What the page's wiring reports about offline use. */
  setOffline(change: Partial<OfflineState>): void;
  /** Budget mode: the parameter count the widths are solved for (URL `budget`), or null. */
  readonly budget: number | null;
  readonly experiments: ExperimentState;
  readonly gallery: GalleryState;
  readonly notices: readonly Notice[];
  readonly run: RunState;
  readonly runs: RunsState;
  /** The controls' config before a one-click change replaced it, to undo that change. */
  readonly undo: { readonly config: TrainConfig; readonly message: string } | null;
  train(): void;
  stop(): void;
  dismissNotices(): void;
  /** Applies one of core/network/edit.ts's config edits (the controls' only way to change the config). */
  editConfig(edit: (config: TrainConfig) => TrainConfig): void;
  /** Enters budget mode at `budget` parameters (widths solved for the depth), or leaves it (null). */
  setBudget(budget: number | null): void;
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
  /** Draws a new random selection of training images for the gallery. */
  newGallery(): void;
  /** Loads the quick-draw preset into the controls and trains it. */
  quickTrain(): void;
  /** Replaces the controls' config at one click, saying so (`message`) and offering undo. */
  replaceConfig(config: TrainConfig, message: string): void;
  /** Puts back the config a one-click change replaced. */
  undoReplace(): void;
  dismissUndo(): void;
  /** Applies a fix the diagnosis suggests to the controls (with undo). */
  applyFix(fix: Fix): void;
  /** Switches the controls to the article's setup or to one that learns well (with undo). */
  chooseSetup(setup: 'article' | 'learns-well'): void;
  /** Diagnostics for the end-to-end tests (window.mlpLab): lose the worker's WebGL context. */
  debugLoseWebGLContext(): void;
  /** Diagnostics for the end-to-end tests: backend=auto takes these times instead of measuring. */
  debugInjectBackendTimes(times: InjectedTimes | null): void;
}

export type LabStore = ReturnType<typeof createLabStore>;

/** Messages after which the live run's record is updated and written to storage. */
const PERSIST_ON = new Set(['backend', 'started', 'epoch', 'done', 'stopped', 'error']);

const problemText = (what: string, e: unknown) =>
  `${what}: ${e instanceof Error ? e.message : String(e)}. Runs of this visit are kept until the tab closes.`;

/**
 * Creates the store from a query string. `makeClient` and `repo` are replaceable for tests;
 * `now` gives run start times.
 */
export function createLabStore(
  search: string,
  makeClient: (onMessage: Parameters<typeof createTrainingClient>[0]) => TrainingClient = createTrainingClient,
  repo: RunsRepository = memoryRuns(),
  now: () => number = Date.now,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = null,
  tabs: TabLink | null = null,
) {
  const decoded = decodeConfig(search, randomSeed);
  /** A stored text; null where there is none or storage is refused (private mode). */
  const storedText = (key: string) => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  /** The stored queue's text. */
  const storedQueueText = () => storedText(QUEUE_STORAGE_KEY);
  const queueText = storedQueueText();
  const storedQueue = parseStoredQueue(queueText);
  // Whether the stored queue was running when it was written (another tab may be running it now).
  const storedQueueRunning = (() => {
    try {
      return (JSON.parse(queueText ?? 'null') as { status?: unknown } | null)?.status === 'running';
    } catch {
      return false;
    }
  })();
  let client: TrainingClient | null = null;
  let galleryRequest = 0;
  /** Releases the lock of each live run of this tab (by record id). */
  const liveRunEnded = new Map<string, () => void>();

  const store = createStore<LabState>()((set, get) => {
    const getClient = () => (client ??= makeClient(onMessage));
    const inspect = createInspectActions(set, get, getClient, repo);
    /** Starts a run of `config`; returns its record id, or null while another run is busy. */
    const startTraining = (config: TrainConfig, tag: ExperimentTag | null): string | null => {
      const { runs, run } = get();
      // One run at a time: the button is disabled meanwhile, and the store holds to it too.
      if (run.status === 'loading' || run.status === 'training') return null;
      // A run that would not fit device memory is refused before it starts (the page says why).
      if (memoryProblem(config) !== null) return null;
      const startedAt = now();
      const record = newRunRecord(makeRunId(startedAt), startedAt, config, tag);
      const runId = getClient().train(config, record.id);
      set({
        run: startRun(runId, startedAt, config),
        runs: { ...runs, list: upsert(runs.list, record), liveId: record.id },
      });
      // Other tabs see this run as running here for as long as this tab holds its lock.
      tabs?.hold(runLock(record.id), new Promise<void>((resolve) => liveRunEnded.set(record.id, resolve)));
      save(record);
      inspect.sendProbe();
      return record.id;
    };
    const stopTraining = () => {
      const { run } = get();
      if (run.status === 'loading' || run.status === 'training') client?.stop(run.runId);
    };
    const experimentActions = createExperimentActions(set, get, { start: startTraining, stop: stopTraining, now });
    const checkActions = createCheckActions(set, get, now);
    const save = (record: RunRecord) => {
      repo
        .put(record)
        .then(() => {
          tabs?.post({ type: 'record', record });
          // Written and sent: the lock of a finished run can go.
          if (record.status !== 'running') {
            liveRunEnded.get(record.id)?.();
            liveRunEnded.delete(record.id);
          }
        })
        .catch((e: unknown) => {
          liveRunEnded.get(record.id)?.();
          liveRunEnded.delete(record.id);
          set((s) => ({ runs: { ...s.runs, problem: problemText('Could not save the run', e) } }));
        });
    };
    const importActions = createImportActions(set, {
      testImages: (dataset, indices) => getClient().sample(dataset, { split: 'test', indices }, () => undefined),
      addRuns(records) {
        set((s) => ({ runs: { ...s.runs, list: upsertMany(s.runs.list, records) } }));
        for (const r of records) save(r);
      },
      hasRun: (id) => get().runs.list.some((r) => r.id === id),
      keepModel: (id, params, kept) => inspect.keepModel(id, params, kept),
      chooseModel: (id) => inspect.chooseModel(id),
      now,
    });
    const onMessage: Parameters<typeof createTrainingClient>[0] = (m) => {
      const { run, runs } = get();
      const next = reduceRun(run, m);
      if (next === run) return;
      const live = runs.list.find((r) => r.id === runs.liveId);
      // Progress ticks change only the live view; the record follows at the milestones.
      if (!live || !PERSIST_ON.has(m.type)) {
        set({ run: next });
        return;
      }
      const record = recordFromRun(live, next);
      set({ run: next, runs: { ...runs, list: upsert(runs.list, record) } });
      save(record);
      if (m.type === 'done' && m.outcome.kept) inspect.keepModel(record.id, record.params, m.outcome.kept);
      if (m.type === 'done' || m.type === 'stopped') experimentActions.queueRunEnded(record.id, m.type);
      if (m.type === 'error') experimentActions.queueRunEnded(record.id, 'error', m.message);
    };

    return {
      ...inspect,
      ...experimentActions,
      ...importActions,
      ...checkActions,
      checks: { list: parseStoredChecks(storedText(CHECKS_STORAGE_KEY)), subject: null },
      imports: IDLE_IMPORT,
      offline: INITIAL_OFFLINE,
      setOffline(change) {
        set((s) => ({ offline: { ...s.offline, ...change } }));
      },
      experiments: {
        selected: decoded.experiment,
        repeats: 1,
        quick: false,
        variants: [],
        queue: storedQueue ?? IDLE_QUEUE,
        elsewhere: false,
      },
      models: EMPTY_MODELS,
      draw: EMPTY_DRAW,
      mistakes: EMPTY_MISTAKES,
      config: decoded.config,
      budget: decoded.budget,
      gallery: { status: 'idle', progress: null, sample: null, dataset: decoded.config.dataset, message: null },
      notices: decoded.notices,
      undo: null,
      run: IDLE_RUN,
      runs: {
        ...EMPTY_RUNS,
        ...(repo.persistent
          ? {}
          : { problem: 'This browser keeps no IndexedDB here, so runs last only until the tab closes.' }),
      },
      train() {
        // A run started by hand takes the view: a paused check no longer brings its run back.
        if (startTraining(get().config, null) !== null) set((s) => ({ checks: { ...s.checks, subject: null } }));
      },
      stop() {
        // Stop during an experiment pauses its queue (resume runs the stopped run again).
        if (get().experiments.queue.status === 'running') experimentActions.pauseQueue();
        else stopTraining();
      },
      dismissNotices() {
        set({ notices: [] });
      },
      editConfig(edit) {
        set((s) => ({ ...editInBudget(s.config, edit(s.config), s.budget), undo: null }));
      },
      setBudget(budget) {
        set((s) => (budget === null ? { budget: null } : { budget, config: applyBudget(s.config, budget) }));
      },
      toggleRunSelected(id) {
        set((s) => ({ runs: { ...s.runs, selected: toggleSelected(s.runs, id) } }));
      },
      selectRuns(ids) {
        set((s) => {
          const known = new Set(s.runs.list.map((r) => r.id));
          return { runs: { ...s.runs, selected: [...new Set(ids)].filter((id) => known.has(id)) } };
        });
      },
      loadRunConfig(id) {
        const record = get().runs.list.find((r) => r.id === id);
        if (record) set({ config: record.config, budget: null });
      },
      deleteRuns(ids) {
        const { runs, run } = get();
        const busy = run.status === 'loading' || run.status === 'training';
        const gone = ids.filter((id) => !(busy && id === runs.liveId));
        if (gone.length === 0) return;
        const goneSet = new Set(gone);
        set({
          runs: {
            ...runs,
            list: runs.list.filter((r) => !goneSet.has(r.id)),
            selected: runs.selected.filter((id) => !goneSet.has(id)),
            liveId: runs.liveId !== null && goneSet.has(runs.liveId) ? null : runs.liveId,
          },
        });
        // Delete first, so the storage measured after forgetting the models no longer counts them.
        repo
          .delete(gone)
          .catch((e: unknown) =>
            set((s) => ({ runs: { ...s.runs, problem: problemText('Could not delete from storage', e) } })),
          );
        inspect.forgetModels(gone);
      },
      deleteUnreadable(keys) {
        set((s) => ({ runs: { ...s.runs, unreadable: s.runs.unreadable.filter((u) => !keys.includes(u.key)) } }));
        repo
          .deleteUnreadable(keys)
          .catch((e: unknown) =>
            set((s) => ({ runs: { ...s.runs, problem: problemText('Could not delete from storage', e) } })),
          );
      },
      quickTrain() {
        get().replaceConfig(
          quickDrawConfig(get().config.seed),
          'The controls now hold the quick-draw network (128 ReLU units, scaled inputs, Adam, 3 epochs).',
        );
        get().train();
      },
      replaceConfig(config, message) {
        set((s) => ({ ...editInBudget(s.config, config, s.budget), undo: { config: s.config, message } }));
      },
      undoReplace() {
        const undo = get().undo;
        if (undo) set((s) => ({ ...editInBudget(s.config, undo.config, s.budget), undo: null }));
      },
      dismissUndo() {
        set({ undo: null });
      },
      applyFix(fix) {
        get().replaceConfig(
          applyFix(get().config, fix),
          `Applied “${fix.label}” to the controls. Press Train to try it.`,
        );
      },
      chooseSetup(setup) {
        const c = get().config;
        if (setup === 'article')
          get().replaceConfig(
            articleSetup(c),
            'The controls now hold the article’s setup: sigmoid units, raw 0..255 inputs, plain SGD at 0.01.',
          );
        else
          get().replaceConfig(
            learnsWellSetup(c),
            'The controls now hold a setup that learns well: ReLU units, inputs scaled to 0..1, Adam at 0.001.',
          );
      },
      newGallery() {
        const request = ++galleryRequest;
        const mine = () => request === galleryRequest; // a newer click wins
        const dataset = get().config.dataset;
        set((s) => ({ gallery: { ...s.gallery, status: 'loading', progress: null, message: null } }));
        getClient()
          .sample(dataset, { split: 'train', count: GALLERY_SIZE, seed: randomSeed() }, (progress) => {
            if (mine()) set((s) => ({ gallery: { ...s.gallery, progress } }));
          })
          .then(
            (sample) => {
              if (mine()) set({ gallery: { status: 'ready', progress: null, sample, dataset, message: null } });
            },
            (e: unknown) => {
              if (mine())
                set((s) => ({
                  gallery: {
                    ...s.gallery,
                    status: 'error',
                    progress: null,
                    message: e instanceof Error ? e.message : String(e),
                  },
                }));
            },
          );
      },
      debugLoseWebGLContext() {
        client?.loseWebGLContext();
      },
      debugInjectBackendTimes(times) {
        getClient().injectBackendTimes(times);
      },
    };
  });

  // A check's queue ended (done, or cancelled): the run it checked comes back into view, so the
  // charts, the tables and the diagnosis show it again, now with the check's result.
  store.subscribe((state, previous) => {
    const q = state.experiments.queue;
    const subject = state.checks.subject;
    if (q === previous.experiments.queue && state.run.status === previous.run.status) return;
    if (q.experiment !== 'check' || !subject || (q.status !== 'done' && q.status !== 'cancelled')) return;
    // A cancel stops the run under way: the view changes once it has stopped.
    if (state.run.status === 'loading' || state.run.status === 'training') return;
    store.setState((s) => ({ run: { ...subject.run, runId: s.run.runId }, checks: { ...s.checks, subject: null } }));
  });

  // The queue follows the store into storage, so a reload can resume a long experiment.
  if (storage) {
    store.subscribe((state, previous) => {
      if (state.checks.list === previous.checks.list) return;
      try {
        storage.setItem(CHECKS_STORAGE_KEY, JSON.stringify(state.checks.list));
      } catch {
        // Full or refused storage: the checks last as long as the tab (their runs are kept anyway).
      }
    });
    store.subscribe((state, previous) => {
      if (state.experiments.queue === previous.experiments.queue) return;
      const q = state.experiments.queue;
      try {
        storage.setItem(
          QUEUE_STORAGE_KEY,
          JSON.stringify({
            experiment: q.experiment,
            items: q.items,
            reused: q.reused,
            index: q.index,
            status: q.status,
            failed: q.failed,
            problem: q.problem,
          }),
        );
      } catch {
        // Full or refused storage: the queue lasts as long as the tab.
      }
    });
  }

  /** A run live in another tab: once that tab lets go of it, take what it stored last. */
  const watchElsewhere = (id: string) => {
    if (!tabs || watched.has(id)) return;
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
  const watched = new Set<string>();

  tabs?.listen((m) => {
    if (m.type !== 'record') return;
    const read = readRunRecord(toStored(m.record));
    if (!read.ok || read.record.id === store.getState().runs.liveId) return;
    store.setState((s) => ({ runs: { ...s.runs, list: upsert(s.runs.list, read.record) } }));
    if (read.record.status === 'running') watchElsewhere(read.record.id);
  });

  // The queue: held by this tab while it runs here; shown as running elsewhere while another tab holds it.
  if (tabs) {
    let releaseQueue: (() => void) | null = null;
    store.subscribe((state) => {
      const running = state.experiments.queue.status === 'running';
      if (running && !releaseQueue) tabs.hold(QUEUE_LOCK, new Promise<void>((resolve) => (releaseQueue = resolve)));
      if (!running && releaseQueue) {
        releaseQueue();
        releaseQueue = null;
      }
    });
    if (storedQueueRunning) {
      void tabs.isHeld(QUEUE_LOCK).then((held) => {
        if (!held) return;
        store.setState((s) => ({ experiments: { ...s.experiments, elsewhere: true } }));
        void tabs.whenFree(QUEUE_LOCK).then(() => {
          const queue = parseStoredQueue(storedQueueText());
          store.setState((s) => ({
            experiments: { ...s.experiments, elsewhere: false, queue: queue ?? s.experiments.queue },
          }));
        });
      });
    }
  }

  repo.list().then(
    async ({ runs: stored, unreadable }) => {
      // Runs still marked running: live in another tab if it holds their lock, else cut short by a reload.
      const live = new Set<string>();
      if (tabs)
        for (const r of stored) if (r.status === 'running' && (await tabs.isHeld(runLock(r.id)))) live.add(r.id);
      const { list, repaired } = mergeStored(store.getState().runs.list, stored, live);
      store.setState((s) => ({ runs: { ...s.runs, list, loaded: true, storedRead: true, unreadable } }));
      for (const r of repaired) repo.put(r).catch(() => undefined);
      for (const id of live) watchElsewhere(id);
      store.getState().loadModelIndex();
    },
    (e: unknown) =>
      store.setState((s) => ({
        runs: { ...s.runs, loaded: true, problem: problemText('Could not read the kept runs', e) },
      })),
  );
  return store;
}
