/**
 * Where the runs history lives between visits: one IndexedDB object store keyed by run id.
 * Records are checked on the way back in (core/runs.ts parseRunRecord); anything unreadable is
 * skipped and counted, never allowed to break the page.
 */
import { parseRunRecord, type RunRecord } from '../core/runs';

export interface RunsRepository {
  /** False when the browser gives no IndexedDB (runs then last only as long as the tab). */
  readonly persistent: boolean;
  /** Every readable stored run, and how many stored records could not be read. */
  list(): Promise<{ runs: RunRecord[]; skipped: number }>;
  put(run: RunRecord): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
}

const DB_NAME = 'mlp-lab';
const STORE = 'runs';

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

/** The runs in this browser's IndexedDB (database "mlp-lab"), or in memory where there is none. */
export function indexedDbRuns(factory: IDBFactory | undefined = globalThis.indexedDB): RunsRepository {
  if (!factory) return memoryRuns();
  let db: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = factory.open(DB_NAME, 1);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE, { keyPath: 'id' });
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB could not be opened'));
      r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of the lab'));
    }).catch((e: unknown) => {
      db = null; // let a later call try again
      throw e;
    });
    return db;
  };
  return {
    persistent: true,
    async list() {
      const d = await open();
      const raw = await request(d.transaction(STORE, 'readonly').objectStore(STORE).getAll());
      const runs = raw.map(parseRunRecord).filter((r): r is RunRecord => r !== null);
      return { runs, skipped: raw.length - runs.length };
    },
    async put(run) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(run);
      await done(tx);
    },
    async delete(ids) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      const s = tx.objectStore(STORE);
      for (const id of ids) s.delete(id);
      await done(tx);
    },
  };
}

/** Runs kept in memory only: for tests, and browsers without IndexedDB. */
export function memoryRuns(initial: readonly unknown[] = [], persistent = false): RunsRepository {
  const rows = new Map<string, unknown>();
  for (const r of initial) {
    const id = (r as { id?: unknown } | null)?.id;
    rows.set(typeof id === 'string' ? id : `bad-${rows.size}`, r);
  }
  return {
    persistent,
    list() {
      const raw = [...rows.values()];
      const runs = raw.map(parseRunRecord).filter((r): r is RunRecord => r !== null);
      return Promise.resolve({ runs, skipped: raw.length - runs.length });
    },
    put(run) {
      rows.set(run.id, structuredClone(run));
      return Promise.resolve();
    },
    delete(ids) {
      for (const id of ids) rows.delete(id);
      return Promise.resolve();
    },
  };
}
