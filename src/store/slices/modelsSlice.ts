/**
 * The trained models: which runs keep one (in IndexedDB, or in memory for this visit), which one
 * reads drawings, and the storage they take, kept within a budget by dropping the oldest.
 */
import type { KeptModel } from '../../core/runs/model';
import { droppedText, keptModelBytes, MODEL_BUDGET, modelsToDrop } from '../../core/device/modelBudget';
import { architectureLabel, type RunRecord } from '../../core/runs/runs';
import type { RunsRepository } from '../runsDb';
import { errorMessage, type GetState, type SetState } from './slice';

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

export const EMPTY_MODELS: ModelsState = {
  available: [],
  chosen: null,
  active: null,
  problem: null,
  dropped: '',
  storage: null,
};
export interface ModelsActions {
  /** Picks the run whose model predicts (null: the newest finished one). */
  chooseModel(id: string | null): void;
  /** Keeps a finished run's model (called by the store when a run is done). */
  keepModel(id: string, params: number, kept: KeptModel): void;
  /** Forgets the models of deleted runs. */
  forgetModels(ids: readonly string[]): void;
  /** Reads which runs have stored models (at start). */
  loadModelIndex(): void;
  /** The kept model of run `id` (this visit's, or the stored one), for export; null if none. */
  keptModel(id: string): Promise<KeptModel | null>;
}

/** The run whose model predicts: the chosen one if it has a model, else the newest done run with one. */
export function activeModelId(runs: readonly RunRecord[], models: ModelsState): string | null {
  if (models.chosen !== null && models.available.includes(models.chosen)) return models.chosen;
  return runs.find((r) => r.status === 'done' && models.available.includes(r.id))?.id ?? null;
}

interface Host {
  readonly models: ModelsState;
  readonly runs: { readonly list: readonly RunRecord[]; readonly storedRead: boolean };
  /** The model in use changed: predict the drawing again and show its mistakes (drawSlice.ts). */
  predictAgain(): void;
  showMistakes(cell: null): void;
}

export interface ModelsDeps {
  readonly repo: RunsRepository;
  readonly storageManager?: StorageManagerLike | undefined;
}

const when = (t: number) =>
  new Date(t).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });

/** Reads how much the stored models (`stored`: their ids, if just read) and the site take; never fails. */
async function measureStorage(
  get: GetState<Host>,
  deps: ModelsDeps,
  stored?: readonly string[],
): Promise<StorageUse | null> {
  try {
    const ids = new Set(stored ?? (await deps.repo.modelIds()));
    const runs = get().runs.list.filter((r) => ids.has(r.id));
    const modelBytes = runs.reduce((sum, r) => sum + keptModelBytes(r.params), 0);
    const estimate = await deps.storageManager?.estimate?.().catch(() => undefined);
    const persisted = (await deps.storageManager?.persisted?.().catch(() => undefined)) ?? null;
    return { models: ids.size, modelBytes, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
  } catch {
    // Storage that cannot be read is reported by the calls that need it.
    return null;
  }
}

/** The stored models to drop to stay within the budget (and any whose run is gone), and the names to say. */
function overBudget(ids: readonly string[], list: readonly RunRecord[]) {
  const runs = new Map(list.map((r) => [r.id, r]));
  const orphans = ids.filter((id) => !runs.has(id));
  const infos = ids.flatMap((id) => {
    const r = runs.get(id);
    return r ? [{ id, startedAt: r.startedAt, bytes: keptModelBytes(r.params) }] : [];
  });
  const over = modelsToDrop(infos);
  const names = over
    .map((d) => runs.get(d))
    .flatMap((r) => (r ? [`${architectureLabel(r.config.layers)} (${when(r.startedAt)})`] : []));
  return { drop: [...over, ...orphans], names };
}

export function createModelsSlice(
  set: SetState<Pick<Host, 'models'>>,
  get: GetState<Host & ModelsActions>,
  deps: ModelsDeps,
): Pick<Host, 'models'> & ModelsActions {
  const { repo } = deps;
  // Models of this visit, newest last, so a model too big to store still predicts until reload.
  const memory = new Map<string, KeptModel>();
  let activateSeq = 0;
  const setModels = (f: (m: ModelsState) => ModelsState) => set((s) => ({ models: f(s.models) }));
  const measure = async (stored?: readonly string[]) => {
    const storage = await measureStorage(get, deps, stored);
    if (storage) setModels((m) => ({ ...m, storage }));
  };

  const ctx: Ctx = { get, deps, setModels, memory, activate: () => activate(), measure };

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
      get().predictAgain();
      get().showMistakes(null);
    };
    if (id === null) return use(null);
    void keptModel(id).then(use);
  };

  return {
    models: EMPTY_MODELS,
    chooseModel(id) {
      setModels((m) => ({ ...m, chosen: id }));
      activate();
    },
    keepModel(id, params, kept) {
      memory.set(id, kept);
      while (memory.size > 3) memory.delete(memory.keys().next().value as string);
      setModels((m) => ({ ...m, available: m.available.includes(id) ? m.available : [...m.available, id] }));
      activate();
      if (keptModelBytes(params) <= MODEL_BUDGET.maxBytes) storeModel(ctx, id, kept);
    },
    forgetModels(ids) {
      for (const id of ids) memory.delete(id);
      setModels((m) => ({
        ...m,
        available: m.available.filter((a) => !ids.includes(a)),
        chosen: m.chosen !== null && ids.includes(m.chosen) ? null : m.chosen,
      }));
      activate();
      void measure();
    },
    keptModel,
    loadModelIndex() {
      repo.modelIds().then(
        (ids) => {
          setModels((m) => ({ ...m, available: [...new Set([...ids, ...m.available])] }));
          activate();
          void keepWithinBudget(ctx, ids);
        },
        (e: unknown) => setModels((m) => ({ ...m, problem: `Could not read the kept models: ${errorMessage(e)}` })),
      );
    },
  };
}

/** What the storage helpers below share with the slice. */
interface Ctx {
  readonly get: GetState<Host>;
  readonly deps: ModelsDeps;
  readonly setModels: (f: (m: ModelsState) => ModelsState) => void;
  /** Models of this visit, newest last. */
  readonly memory: Map<string, KeptModel>;
  readonly activate: () => void;
  readonly measure: (stored?: readonly string[]) => Promise<void>;
}

/** Drops the oldest stored models beyond the budget, says which, then measures the storage again. */
async function keepWithinBudget(ctx: Ctx, stored?: readonly string[]) {
  const { get, deps, setModels, memory } = ctx;
  const ids = stored ?? (await deps.repo.modelIds());
  // Without the stored runs (not read yet, or unreadable storage) every model would look orphaned.
  if (!get().runs.storedRead) return ctx.measure(ids);
  const { drop, names } = overBudget(ids, get().runs.list);
  if (drop.length > 0) {
    await deps.repo.deleteModels(drop);
    for (const d of drop) memory.delete(d);
    setModels((m) => ({
      ...m,
      available: m.available.filter((a) => !drop.includes(a)),
      chosen: m.chosen !== null && drop.includes(m.chosen) ? null : m.chosen,
      dropped: names.length > 0 ? droppedText(names) : m.dropped,
    }));
    ctx.activate();
  }
  await ctx.measure(ids.filter((id) => !drop.includes(id)));
}

// The stores (by their deps) that have asked the browser to keep the site's storage: once each.
const asked = new WeakSet<ModelsDeps>();

/** Stores a kept model (asking the browser, once, to keep the site's storage), then keeps within budget. */
function storeModel(ctx: Ctx, id: string, kept: KeptModel) {
  const { deps } = ctx;
  if (!asked.has(deps)) {
    asked.add(deps);
    // Kept models are worth keeping: ask the browser not to clear them under pressure.
    deps.storageManager?.persist?.().catch(() => undefined);
  }
  deps.repo
    .putModel(id, kept)
    .then(() => keepWithinBudget(ctx))
    .catch((e: unknown) =>
      ctx.setModels((m) => ({
        ...m,
        problem: `The model could not be stored (${errorMessage(e)}); it predicts until the tab closes.`,
      })),
    );
}
