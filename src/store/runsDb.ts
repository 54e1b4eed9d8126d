/**
 * Where the runs history lives between visits: one IndexedDB object store keyed by run id.
 * Records are written with their schema version and migrated and checked on the way back in
 * (core/runs/runSchema.ts); a record that cannot be read is kept in storage and reported with the
 * reason, so the page can show it and offer to delete it, never allowed to break the page.
 */
import type { RunRecord } from '../core/runs/runs';
import { readRunRecord, toStored } from '../core/runs/runSchema';
import { unreadableRun, type UnreadableRun } from '../core/runs/unreadable';
import { checkModel, type KeptModel } from '../core/runs/model';

export interface RunsRepository {
  /** False when the browser gives no IndexedDB (runs then last only as long as the tab). */
  readonly persistent: boolean;
  /** Every readable stored run (migrated to today's schema), and the records that could not be read. */
  list(): Promise<{ runs: RunRecord[]; unreadable: UnreadableRun[] }>;
  put(run: RunRecord): Promise<void>;
  /** Writes many runs in one transaction: all of them or none. */
  putMany(runs: readonly RunRecord[]): Promise<void>;
  /** Deletes runs and their models. */
  delete(ids: readonly string[]): Promise<void>;
  /** Deletes records that could not be read, by the keys list() gave them. */
  deleteUnreadable(keys: readonly string[]): Promise<void>;
  /** Ids of the runs whose trained model is kept. */
  modelIds(): Promise<string[]>;
  putModel(id: string, kept: KeptModel): Promise<void>;
  /** Deletes kept models only (their runs stay). */
  deleteModels(ids: readonly string[]): Promise<void>;
  /** The kept model of run `id`; null if there is none or it cannot be read. */
  getModel(id: string): Promise<KeptModel | null>;
}

/** A stored model checked before use: sizes that match its layers, typed arrays where expected. */
function parseKept(x: unknown): KeptModel | null {
  try {
    const k = x as KeptModel;
    if (
      !(k.test.labels instanceof Uint8Array) ||
      !(k.test.preds instanceof Uint8Array) ||
      !(k.test.probs instanceof Float32Array)
    )
      return null;
    if (
      !k.model.kernels.every((a) => a instanceof Float32Array) ||
      !k.model.biases.every((a) => a instanceof Float32Array)
    )
      return null;
    checkModel(k.model);
    return k;
  } catch {
    return null;
  }
}

/** Splits raw stored values into readable runs and unreadable records (with their keys). */
function sortOut(entries: readonly (readonly [string, unknown])[]): { runs: RunRecord[]; unreadable: UnreadableRun[] } {
  const runs: RunRecord[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const [key, raw] of entries) {
    const r = readRunRecord(raw);
    if (r.ok) runs.push(r.record);
    else unreadable.push(unreadableRun(key, raw, r.reason));
  }
  return { runs, unreadable };
}

const DB_NAME = 'mlp-lab';
/** Records put per task by putMany, and read per task by list. */
const PUT_GROUP = 250;
const LIST_PAGE = 1000;
const STORE = 'runs';
const MODELS = 'models';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * Every record of `store`, LIST_PAGE at a time in its one transaction (a long history is read in
 * short tasks); `keyOf` learns the real key of each by its text form.
 */
async function listPaged(store: IDBObjectStore, keyOf: Map<string, IDBValidKey>) {
  const runs: RunRecord[] = [];
  const unreadable: UnreadableRun[] = [];
  let range: IDBKeyRange | undefined;
  for (;;) {
    const [keys, raw] = await Promise.all([
      request(store.getAllKeys(range, LIST_PAGE)),
      request(store.getAll(range, LIST_PAGE)),
    ]);
    for (const k of keys) keyOf.set(String(k), k);
    const read = sortOut(raw.map((r, i) => [String(keys[i]), r] as const));
    runs.push(...read.runs);
    unreadable.push(...read.unreadable);
    const last = keys.at(-1);
    if (keys.length < LIST_PAGE || last === undefined) return { runs, unreadable };
    range = IDBKeyRange.lowerBound(last, true);
  }
}

/**
 * Puts `runs` in transaction `tx`, PUT_GROUP at a time, each group from the success of the last
 * put before it: the copying of the records is spread over short tasks, all in one transaction.
 * A record that cannot be written aborts the transaction, so none of them is kept.
 */
async function putInGroups(tx: IDBTransaction, runs: readonly RunRecord[]) {
  const store = tx.objectStore(STORE);
  let failure: unknown = null;
  const putFrom = (at: number) => {
    try {
      const end = Math.min(runs.length, at + PUT_GROUP);
      let last: IDBRequest | null = null;
      for (let i = at; i < end; i++) last = store.put(toStored(runs[i] as RunRecord));
      if (last && end < runs.length) last.onsuccess = () => putFrom(end);
    } catch (e) {
      failure = e;
      try {
        tx.abort();
      } catch {
        // Already ended: done() says how.
      }
    }
  };
  putFrom(0);
  await done(tx).catch((e: unknown) => {
    throw failure ?? e;
  });
}

/**
 * The connection to the database, opened on first use and opened again when the browser closed it
 * under the page (the site's data cleared while it is open; a newer release asking with
 * versionchange): later saves go to a new connection instead of failing for the rest of the visit.
 */
function connector(factory: IDBFactory) {
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    if (db) return db;
    const opening: Promise<IDBDatabase> = new Promise<IDBDatabase>((resolve, reject) => {
      const r = factory.open(DB_NAME, 2);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'id' });
        // Version 2: trained models, keyed by run id (out of line: the value is the model).
        if (!r.result.objectStoreNames.contains(MODELS)) r.result.createObjectStore(MODELS);
      };
      r.onsuccess = () => {
        const d = r.result;
        const drop = () => {
          if (db === opening) db = null;
        };
        d.onclose = drop;
        d.onversionchange = () => {
          d.close();
          drop();
        };
        resolve(d);
      };
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
      r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of the lab'));
    }).catch((e: unknown) => {
      if (db === opening) db = null; // let a later call try again
      throw e;
    });
    db = opening;
    return opening;
  };
  /** A transaction on `stores`; on a connection closed under the page, once more on a new one. */
  return async (stores: string | string[], mode: IDBTransactionMode): Promise<IDBTransaction> => {
    const d = await open();
    try {
      return d.transaction(stores, mode);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'InvalidStateError')) throw e;
      if (db && (await db) === d) db = null;
      return (await open()).transaction(stores, mode);
    }
  };
}

/** The runs in this browser's IndexedDB (database "mlp-lab"), or in memory where there is none. */
export function indexedDbRuns(factory: IDBFactory | undefined = globalThis.indexedDB): RunsRepository {
  if (!factory) return memoryRuns();
  const transaction = connector(factory);
  // The real key of each record by its text form (what the page holds of an unreadable one).
  const keyOf = new Map<string, IDBValidKey>();
  return {
    persistent: true,
    async list() {
      keyOf.clear();
      return listPaged((await transaction(STORE, 'readonly')).objectStore(STORE), keyOf);
    },
    async put(run) {
      const tx = await transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(toStored(run));
      await done(tx);
    },
    async putMany(runs) {
      await putInGroups(await transaction(STORE, 'readwrite'), runs);
    },
    async deleteUnreadable(keys) {
      const tx = await transaction(STORE, 'readwrite');
      for (const k of keys) tx.objectStore(STORE).delete(keyOf.get(k) ?? k);
      await done(tx);
    },
    async delete(ids) {
      const tx = await transaction([STORE, MODELS], 'readwrite');
      for (const id of ids) {
        tx.objectStore(STORE).delete(id);
        tx.objectStore(MODELS).delete(id);
      }
      await done(tx);
    },
    async modelIds() {
      const keys = await request((await transaction(MODELS, 'readonly')).objectStore(MODELS).getAllKeys());
      return keys.filter((k): k is string => typeof k === 'string');
    },
    async putModel(id, kept) {
      const tx = await transaction(MODELS, 'readwrite');
      tx.objectStore(MODELS).put(kept, id);
      await done(tx);
    },
    async deleteModels(ids) {
      const tx = await transaction(MODELS, 'readwrite');
      for (const id of ids) tx.objectStore(MODELS).delete(id);
      await done(tx);
    },
    async getModel(id) {
      return parseKept(await request((await transaction(MODELS, 'readonly')).objectStore(MODELS).get(id)));
    },
  };
}

/** Runs kept in memory only: for tests, and browsers without IndexedDB. */
export function memoryRuns(initial: readonly unknown[] = [], persistent = false): RunsRepository {
  const rows = new Map<string, unknown>();
  const models = new Map<string, KeptModel>();
  for (const r of initial) {
    const id = (r as { id?: unknown } | null)?.id;
    rows.set(typeof id === 'string' ? id : `bad-${rows.size}`, r);
  }
  return {
    persistent,
    list() {
      return Promise.resolve(sortOut([...rows.entries()]));
    },
    put(run) {
      rows.set(run.id, structuredClone(toStored(run)));
      return Promise.resolve();
    },
    putMany(runs) {
      for (const run of runs) rows.set(run.id, structuredClone(toStored(run)));
      return Promise.resolve();
    },
    deleteUnreadable(keys) {
      for (const k of keys) rows.delete(k);
      return Promise.resolve();
    },
    delete(ids) {
      for (const id of ids) {
        rows.delete(id);
        models.delete(id);
      }
      return Promise.resolve();
    },
    modelIds() {
      return Promise.resolve([...models.keys()]);
    },
    putModel(id, kept) {
      models.set(id, kept);
      return Promise.resolve();
    },
    deleteModels(ids) {
      for (const id of ids) models.delete(id);
      return Promise.resolve();
    },
    getModel(id) {
      return Promise.resolve(parseKept(models.get(id) ?? null));
    },
  };
}
