/**
 * The trained models and what the page shows of them: which model draws predictions, the drawn
 * digit and its prediction, and the misclassified test images. Actions call core functions, the
 * worker client and the runs repository, and set the result.
 */
import { preprocessDigit, type DigitImage } from '../core/dataset/digit';
import { mistakes, type Mistake } from '../core/runs/metrics';
import type { KeptModel } from '../core/runs/model';
import { droppedText, keptModelBytes, MODEL_BUDGET, modelsToDrop } from '../core/device/modelBudget';
import { architectureLabel, type RunRecord } from '../core/runs/runs';
import type { PredictResult, Sample, TrainingClient } from '../worker/client';
import type { RunsRepository } from './runsDb';
import type { DatasetName } from '../core/network/spec';

/** How many misclassified test images the gallery shows at a time. */
export const MISTAKES_SHOWN = 40;

export interface ModelsState {
  /** Ids of runs whose trained model is kept (stored, or in memory for this visit). */
  readonly available: readonly string[];
  /** The run the person picked for predictions; null: the newest finished run with a model. */
  readonly chosen: string | null;
  /** The model in use, in memory. */
  readonly active: { readonly id: string; readonly kept: KeptModel } | null;
  readonly problem: string | null;
  /** Which stored models were dropped to stay within the storage budget ('' : none). */
  readonly dropped: string;
  /** What the stored models take, and the site's storage (null until measured). */
  readonly storage: StorageUse | null;
}

export interface StorageUse {
  /** Models stored in IndexedDB, and their bytes (from their parameter counts). */
  readonly models: number;
  readonly modelBytes: number;
  /** The browser's estimate for the whole site (null where it gives none). */
  readonly usage: number | null;
  readonly quota: number | null;
  /** Whether the browser has made the site's storage persistent (null: cannot tell). */
  readonly persisted: boolean | null;
}

/** The browser's storage manager where there is one (absent in Node and some private modes). */
export interface StorageManagerLike {
  estimate?(): Promise<{ usage?: number; quota?: number }>;
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
}

export interface DrawState {
  readonly digit: DigitImage | null;
  /** The probe id the current drawing was sent to the training run with (0: none sent). */
  readonly probeId: number;
  /** A test image picked instead of a drawing (the keyboard's way in): its index, label and bytes. */
  readonly testImage: { readonly index: number; readonly label: number; readonly bytes: Uint8Array } | null;
  readonly prediction: (PredictResult & { readonly modelId: string }) | null;
  readonly problem: string | null;
}

export interface MistakesState {
  readonly cell: { readonly label: number; readonly pred: number } | null;
  /** All mistakes in the cell (or all of them), most confident first. */
  readonly total: number;
  readonly shown: readonly Mistake[];
  readonly images: Sample | null;
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly problem: string | null;
}

export const EMPTY_MODELS: ModelsState = {
  available: [],
  chosen: null,
  active: null,
  problem: null,
  dropped: '',
  storage: null,
};
export const EMPTY_DRAW: DrawState = { digit: null, probeId: 0, testImage: null, prediction: null, problem: null };
export const EMPTY_MISTAKES: MistakesState = {
  cell: null,
  total: 0,
  shown: [],
  images: null,
  status: 'idle',
  problem: null,
};

export interface InspectState {
  readonly models: ModelsState;
  readonly draw: DrawState;
  readonly mistakes: MistakesState;
}

export interface InspectActions {
  /** Picks the run whose model predicts (null: the newest finished one). */
  chooseModel(id: string | null): void;
  /** A new drawing: [width * height] ink 0..1 (all zero: cleared). */
  setDrawing(ink: Float32Array, width: number, height: number): void;
  /** Sends the drawing to the training run, in its input range, to be classified as it learns. */
  sendProbe(): void;
  /** Uses a random test image instead of a drawing (a way in without a pointer). */
  predictTestImage(random?: () => number): void;
  /** Shows the mistakes of one confusion-matrix cell, or all with null. */
  showMistakes(cell: { label: number; pred: number } | null): void;
  /** Keeps a finished run's model (called by the store when a run is done). */
  keepModel(id: string, params: number, kept: KeptModel): void;
  /** Forgets the models of deleted runs. */
  forgetModels(ids: readonly string[]): void;
  /** Reads which runs have stored models (at start). */
  loadModelIndex(): void;
  /** The kept model of run `id` (this visit's, or the stored one), for export; null if none. */
  keptModel(id: string): Promise<KeptModel | null>;
  /**
   * Diagnostics for the benchmark and tests: preprocesses `ink` and predicts with the model in use
   * `n` times in a row; wall ms of each (preprocessing plus the worker's forward pass and the
   * round trip), the worker's tensor count before the first and after the last, and the last
   * prediction's class probabilities.
   */
  timePredictions(
    ink: Float32Array,
    width: number,
    height: number,
    n: number,
  ): Promise<{ ms: number[]; tensors: { before: number; after: number }; probs: number[] }>;
}

/** The run whose model predicts: the chosen one if it has a model, else the newest done run with one. */
export function activeModelId(runs: readonly RunRecord[], models: ModelsState): string | null {
  if (models.chosen !== null && models.available.includes(models.chosen)) return models.chosen;
  return runs.find((r) => r.status === 'done' && models.available.includes(r.id))?.id ?? null;
}

interface Host extends InspectState {
  readonly runs: { readonly list: readonly RunRecord[]; readonly storedRead: boolean };
  readonly run: { readonly status: string; readonly config: { readonly preprocessing: 'raw' | 'scaled' } | null };
  readonly config: { readonly preprocessing: 'raw' | 'scaled'; readonly dataset: DatasetName };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

type SetInspect = (partial: Partial<InspectState> | ((s: Host) => Partial<InspectState>)) => void;

export function createInspectActions(
  set: SetInspect,
  get: () => Host,
  client: () => TrainingClient,
  repo: RunsRepository,
  storageManager: StorageManagerLike | undefined = globalThis.navigator?.storage,
): InspectActions {
  // Models of this visit, newest last, so a model too big to store still predicts until reload.
  const memory = new Map<string, KeptModel>();
  let lastInk: { ink: Float32Array; width: number; height: number } | null = null;
  let predictSeq = 0;
  let mistakesSeq = 0;
  let activateSeq = 0;
  let probeSeq = 0;

  const sendProbe = () => {
    const { run } = get();
    const busy = run.status === 'loading' || run.status === 'training';
    if (!busy || !run.config) return;
    const digit = lastInk
      ? preprocessDigit(lastInk.ink, lastInk.width, lastInk.height, run.config.preprocessing)
      : null;
    const probeId = ++probeSeq;
    client().setProbe(probeId, digit?.input ?? null);
    set((s) => ({ draw: { ...s.draw, probeId } }));
  };

  const setModels = (f: (m: ModelsState) => ModelsState) => set((s) => ({ models: f(s.models) }));
  let askedPersist = false;

  /** Reads how much the stored models (`stored`: their ids, if just read) and the site take; never fails. */
  const measureStorage = async (stored?: readonly string[]) => {
    try {
      const ids = new Set(stored ?? (await repo.modelIds()));
      const runs = get().runs.list.filter((r) => ids.has(r.id));
      const modelBytes = runs.reduce((sum, r) => sum + keptModelBytes(r.params), 0);
      const estimate = await storageManager?.estimate?.().catch(() => undefined);
      const persisted = (await storageManager?.persisted?.().catch(() => undefined)) ?? null;
      const storage: StorageUse = {
        models: ids.size,
        modelBytes,
        usage: estimate?.usage ?? null,
        quota: estimate?.quota ?? null,
        persisted,
      };
      setModels((m) => ({ ...m, storage }));
    } catch {
      // Storage that cannot be read is reported by the calls that need it.
    }
  };

  /**
   * Drops the oldest stored models beyond the budget (and any whose run is gone), says which,
   * then measures the storage again.
   */
  const keepWithinBudget = async (stored?: readonly string[]) => {
    const ids = stored ?? (await repo.modelIds());
    // Without the stored runs (not read yet, or unreadable storage) every model would look orphaned.
    if (!get().runs.storedRead) return measureStorage(ids);
    const runs = new Map(get().runs.list.map((r) => [r.id, r]));
    const orphans = ids.filter((id) => !runs.has(id));
    const infos = ids.flatMap((id) => {
      const r = runs.get(id);
      return r ? [{ id, startedAt: r.startedAt, bytes: keptModelBytes(r.params) }] : [];
    });
    const over = modelsToDrop(infos);
    const drop = [...over, ...orphans];
    if (drop.length > 0) {
      await repo.deleteModels(drop);
      for (const d of drop) memory.delete(d);
      const when = (t: number) =>
        new Date(t).toLocaleString(undefined, {
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        });
      const names = over
        .map((d) => runs.get(d))
        .flatMap((r) => (r ? [`${architectureLabel(r.config.layers)} (${when(r.startedAt)})`] : []));
      setModels((m) => ({
        ...m,
        available: m.available.filter((a) => !drop.includes(a)),
        chosen: m.chosen !== null && drop.includes(m.chosen) ? null : m.chosen,
        dropped: names.length > 0 ? droppedText(names) : m.dropped,
      }));
      activate();
    }
    await measureStorage(ids.filter((id) => !drop.includes(id)));
  };

  const predict = () => {
    const { models } = get();
    const seq = ++predictSeq;
    const active = models.active;
    // In the model's input range; with no model yet, the controls' (for the preview only).
    const range = active?.kept.model.preprocessing ?? get().config.preprocessing;
    const digit = lastInk ? preprocessDigit(lastInk.ink, lastInk.width, lastInk.height, range) : null;
    set((s) => ({ draw: { ...s.draw, digit, prediction: digit && active ? s.draw.prediction : null, problem: null } }));
    if (!digit || !active) return;
    client()
      .predict(active.id, active.kept.model, digit.input)
      .then(
        (r) => {
          if (seq === predictSeq)
            set((s) => ({ draw: { ...s.draw, prediction: { ...r, modelId: active.id }, problem: null } }));
        },
        (e: unknown) => {
          if (seq === predictSeq)
            set((s) => ({ draw: { ...s.draw, prediction: null, problem: `Could not predict: ${message(e)}` } }));
        },
      );
  };

  const showMistakes = (cell: { label: number; pred: number } | null) => {
    const active = get().models.active;
    const seq = ++mistakesSeq;
    if (!active) {
      set({ mistakes: EMPTY_MISTAKES });
      return;
    }
    const all = mistakes(active.kept.test, cell ?? undefined);
    const shown = all.slice(0, MISTAKES_SHOWN);
    set({
      mistakes: {
        cell,
        total: all.length,
        shown,
        images: null,
        status: shown.length > 0 ? 'loading' : 'ready',
        problem: null,
      },
    });
    if (shown.length === 0) return;
    client()
      .sample(
        active.kept.model.dataset ?? 'mnist',
        { split: 'test', indices: shown.map((m) => m.index) },
        () => undefined,
      )
      .then(
        (images) => {
          if (seq === mistakesSeq) set((s) => ({ mistakes: { ...s.mistakes, images, status: 'ready' } }));
        },
        (e: unknown) => {
          if (seq === mistakesSeq) set((s) => ({ mistakes: { ...s.mistakes, status: 'error', problem: message(e) } }));
        },
      );
  };

  /** This visit's copy of run `id`'s model, else the stored one; null if none can be read. */
  const keptModel = (id: string): Promise<KeptModel | null> => {
    const inMemory = memory.get(id);
    return inMemory ? Promise.resolve(inMemory) : repo.getModel(id).catch(() => null);
  };

  /** Brings the model that should predict into memory, then re-predicts and refreshes the mistakes. */
  const activate = () => {
    const s = get();
    const id = activeModelId(s.runs.list, s.models);
    if (id === (s.models.active?.id ?? null)) return;
    const seq = ++activateSeq;
    const use = (kept: KeptModel | null) => {
      if (seq !== activateSeq) return;
      setModels((m) => ({
        ...m,
        active: id !== null && kept ? { id, kept } : null,
        problem: id !== null && !kept ? 'The kept model of that run could not be read.' : null,
      }));
      predict();
      showMistakes(null);
    };
    if (id === null) return use(null);
    void keptModel(id).then(use);
  };

  return {
    chooseModel(id) {
      setModels((m) => ({ ...m, chosen: id }));
      activate();
    },
    setDrawing(ink, width, height) {
      lastInk = { ink, width, height };
      set((s) => ({ draw: { ...s.draw, testImage: null } }));
      predict();
      sendProbe();
    },
    predictTestImage(random = Math.random) {
      const dataset = get().models.active?.kept.model.dataset ?? get().config.dataset;
      const index = Math.floor(random() * 10000);
      client()
        .sample(dataset, { split: 'test', indices: [index] }, () => undefined)
        .then(
          (sample) => {
            const bytes = sample.images.slice(0, 784);
            lastInk = { ink: Float32Array.from(bytes, (b) => b / 255), width: 28, height: 28 };
            set((s) => ({ draw: { ...s.draw, testImage: { index, label: sample.labels[0] ?? 0, bytes } } }));
            predict();
            sendProbe();
          },
          (e: unknown) => set((s) => ({ draw: { ...s.draw, problem: `Could not read a test image: ${message(e)}` } })),
        );
    },
    sendProbe,
    showMistakes,
    keepModel(id, params, kept) {
      memory.set(id, kept);
      while (memory.size > 3) memory.delete(memory.keys().next().value as string);
      setModels((m) => ({ ...m, available: m.available.includes(id) ? m.available : [...m.available, id] }));
      activate();
      if (keptModelBytes(params) > MODEL_BUDGET.maxBytes) return;
      if (!askedPersist) {
        askedPersist = true;
        // Kept models are worth keeping: ask the browser not to clear them under pressure.
        storageManager?.persist?.().catch(() => undefined);
      }
      repo
        .putModel(id, kept)
        .then(() => keepWithinBudget())
        .catch((e: unknown) =>
          setModels((m) => ({
            ...m,
            problem: `The model could not be stored (${message(e)}); it predicts until the tab closes.`,
          })),
        );
    },
    forgetModels(ids) {
      for (const id of ids) memory.delete(id);
      setModels((m) => ({
        ...m,
        available: m.available.filter((a) => !ids.includes(a)),
        chosen: m.chosen !== null && ids.includes(m.chosen) ? null : m.chosen,
      }));
      activate();
      void measureStorage();
    },
    async timePredictions(ink, width, height, n) {
      const active = get().models.active;
      if (!active) throw new Error('no trained model in use');
      const ms: number[] = [];
      let before = -1;
      let after = -1;
      let probs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const digit = preprocessDigit(ink, width, height, active.kept.model.preprocessing);
        if (!digit) throw new Error('nothing drawn');
        const r = await client().predict(active.id, active.kept.model, digit.input);
        ms.push(performance.now() - t0);
        if (i === 0) before = r.tensors.before;
        after = r.tensors.after;
        probs = Array.from(r.probs);
      }
      return { ms, tensors: { before, after }, probs };
    },
    keptModel,
    loadModelIndex() {
      repo.modelIds().then(
        (ids) => {
          setModels((m) => ({ ...m, available: [...new Set([...ids, ...m.available])] }));
          activate();
          void keepWithinBudget(ids);
        },
        (e: unknown) => setModels((m) => ({ ...m, problem: `Could not read the kept models: ${message(e)}` })),
      );
    },
  };
}
