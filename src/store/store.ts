/**
 * The lab's one store (zustand), made of slices of one shape (slice.ts): the controls' config
 * (configSlice), the run training now (runSlice, runState), the runs history (runsSlice), the
 * experiments queue (experimentSlice), the diagnosis's checks (checkSlice), the kept models
 * (modelsSlice), drawings and mistakes (drawSlice), imports (importSlice), the gallery
 * (gallerySlice) and offline use (offlineSlice). sync.ts connects it to storage and other tabs.
 */
import { createStore } from 'zustand/vanilla';
import { decodeConfig } from '../core/link/urlCodec';
import { randomSeed } from '../core/network/rng';
import { createTrainingClient, type TrainingClient } from '../worker/client';
import { bringBackCheckedRun, createCheckSlice, type CheckActions, type CheckState } from './slices/checkSlice';
import { createConfigSlice, type ConfigActions, type ConfigState } from './slices/configSlice';
import { createDrawSlice, type DrawActions, type DrawState, type MistakesState } from './slices/drawSlice';
import { createExperimentSlice, type ExperimentActions, type ExperimentState } from './slices/experimentSlice';
import { createGallerySlice, type GalleryActions, type GalleryState } from './slices/gallerySlice';
import { guideFromQuery, parseStoredGuide } from '../core/guide/guide';
import { createGuideSlice, GUIDE_STORAGE_KEY, type GuideActions, type GuideState } from './slices/guideSlice';
import { createImportSlice, type ImportActions, type ImportState, type ReadResults } from './slices/importSlice';
import { createModelsSlice, type ModelsActions, type ModelsState } from './slices/modelsSlice';
import { createOfflineSlice, type OfflineActions, type OfflineState } from './slices/offlineSlice';
import { createRunSlice, type RunActions } from './slices/runSlice';
import { createSideSlice, type GroupTrialState, type SideActions, type SideRun } from './slices/sideSlice';
import type { RunState, ShownRun } from './slices/runState';
import { createRunsSlice, type RunsActions, type RunsState } from './slices/runsSlice';
import { createStepSlice, type StepActions, type StepState } from './slices/stepSlice';
import { createFinderSlice, type FinderActions, type FinderState } from './slices/finderSlice';
import { memoryRuns, type RunsRepository } from './runsDb';
import { createRunSaver, readPersisted, startSync, storedText, type KeyValueStorage } from './sync';
import type { TabLink } from './tabs';
import type { TrainConfig } from '../core/network/spec';

export { GALLERY_SIZE, type GalleryState } from './slices/gallerySlice';

export interface LabState
  extends
    ConfigState,
    ConfigActions,
    RunActions,
    SideActions,
    RunsActions,
    ExperimentActions,
    CheckActions,
    ModelsActions,
    DrawActions,
    ImportActions,
    GalleryActions,
    OfflineActions,
    GuideActions,
    StepActions,
    FinderActions {
  readonly run: RunState;
  /** The runs the queue's side worker trains beside the live one (one, or a group; none yet: empty). */
  readonly side: readonly SideRun[];
  /** The group trials remembered (how many runs of a network train in one step), and one under way. */
  readonly groupTrials: GroupTrialState;
  /** A kept run shown in the main view instead of the live run (null: the live run). */
  readonly shown: ShownRun | null;
  readonly runs: RunsState;
  readonly experiments: ExperimentState;
  /** The diagnosis's checks, and the run the diagnosis shows while one trains. */
  readonly checks: CheckState;
  readonly models: ModelsState;
  readonly draw: DrawState;
  readonly mistakes: MistakesState;
  /** The last model or results import: how it is going or how it went. */
  readonly imports: ImportState;
  readonly gallery: GalleryState;
  /** Offline use: the service worker's state, the network's, and a waiting release. */
  readonly offline: OfflineState;
  /** The guided start: the step shown (or none), since when, and whether it was closed. */
  readonly guide: GuideState;
  /** Stepping through one batch at a time: the last step's report and the unit shown. */
  readonly step: StepState;
  /** The learning-rate finder: its points as they come, and its suggestion. */
  readonly finder: FinderState;
}

export type LabStore = ReturnType<typeof createLabStore>;

/**
 * Whether the queue's side worker may train a run of `config` beside the live one: where the
 * machine has a second core and the run trains on the CPU (WASM or plain JS). Two WebGL runs
 * would share one GPU, and auto's choice is not known before its trial.
 */
export function cpuSideLane(cores: number = globalThis.navigator?.hardwareConcurrency ?? 1) {
  return (config: TrainConfig) => cores >= 2 && (config.backend === 'wasm' || config.backend === 'cpu');
}

/**
 * Creates the store from a query string. `makeClient`, `repo`, `storage` and `tabs` are
 * replaceable for tests; `now` gives run start times; `readResults` reads results files (on the
 * page: in a worker; by default: here).
 */
export function createLabStore(
  search: string,
  makeClient: (onMessage: Parameters<typeof createTrainingClient>[0]) => TrainingClient = createTrainingClient,
  repo: RunsRepository = memoryRuns(),
  now: () => number = Date.now,
  storage: KeyValueStorage | null = null,
  tabs: TabLink | null = null,
  readResults?: ReadResults,
  sideLane: (config: TrainConfig) => boolean = cpuSideLane(),
) {
  const decoded = decodeConfig(search, randomSeed);
  const persisted = readPersisted(storage);
  let started: TrainingClient | null = null;
  let sideStarted: TrainingClient | null = null;

  const store = createStore<LabState>()((set, get) => {
    const client = () => (started ??= makeClient((m) => get().receiveRunMessage(m)));
    const sideClient = () => (sideStarted ??= makeClient((m) => get().receiveSideMessage(m)));
    // A run that could not be written stays in the table and is offered for download (runs.unsaved).
    const saver = createRunSaver(repo, tabs, {
      problem: (problem, id) =>
        set((s) => ({
          runs: { ...s.runs, problem, unsaved: s.runs.unsaved.includes(id) ? s.runs.unsaved : [...s.runs.unsaved, id] },
        })),
      saved: (id) => {
        if (get().runs.unsaved.includes(id))
          set((s) => ({ runs: { ...s.runs, unsaved: s.runs.unsaved.filter((u) => u !== id) } }));
      },
    });
    return {
      ...createConfigSlice(set, get, { decoded }),
      ...createRunSlice(set, get, { client, startedClient: () => started, saver, now }),
      ...createRunsSlice(set, get, { repo, saveMany: (r, progress) => saver.saveMany(r, progress) }),
      ...createSideSlice(set, get, { client: sideClient, saver, now, trials: persisted.groupTrials }),
      ...createExperimentSlice(set, get, { now, selected: decoded.experiment, queue: persisted.queue, sideLane }),
      ...createCheckSlice(set, get, { now, stored: persisted.checks }),
      ...createModelsSlice(set, get, { repo, storageManager: globalThis.navigator?.storage }),
      ...createDrawSlice(set, get, { client }),
      ...createImportSlice(set, get, {
        testModel: (model, onProgress) => client().testModel(model, onProgress),
        now,
        ...(readResults ? { readResults } : {}),
      }),
      ...createGallerySlice(set, get, { client, dataset: decoded.config.dataset }),
      ...createStepSlice(set, get, { client }),
      ...createFinderSlice(set, get, { client }),
      ...createOfflineSlice(set),
      ...createGuideSlice(set, get, {
        now,
        stored: parseStoredGuide(storedText(storage, GUIDE_STORAGE_KEY)),
        asked: guideFromQuery(search),
      }),
    };
  });
  bringBackCheckedRun(store);
  startSync(store, { repo, tabs, storage, queueWasRunning: persisted.queueRunning });
  return store;
}
