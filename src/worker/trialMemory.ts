/**
 * The backend trials remembered in this browser's local storage (per device and size class), for
 * backend=auto: the client sends them with each auto run and keeps each one a run measured.
 */
import { parseTrialTable, rememberTrial, TRIALS_STORAGE_KEY, type TrialTable } from '../core/device/backendTrial';

/** The page's local storage, or null where it is refused (private mode, a sandbox). */
function localStore(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The backend trials remembered in this browser (per device and size class): read at every run,
 * so that trials made in another tab count too; written when a run measured one.
 */
export function trialMemory(storage = localStore()) {
  let inMemory: TrialTable = {};
  // Once a write failed (storage full or refused), this visit's table is the one in memory.
  let stored = storage !== null;
  return {
    read(): TrialTable {
      if (!stored || !storage) return inMemory;
      try {
        return parseTrialTable(storage.getItem(TRIALS_STORAGE_KEY));
      } catch {
        return inMemory;
      }
    },
    remember(trial: Parameters<typeof rememberTrial>[1]): void {
      const next = rememberTrial(this.read(), trial);
      inMemory = next;
      try {
        storage?.setItem(TRIALS_STORAGE_KEY, JSON.stringify(next));
      } catch {
        stored = false;
      }
    },
  };
}
