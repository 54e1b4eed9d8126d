/**
 * Tabs of the lab open at once: which tab owns a live run or a running experiment queue (a Web
 * Lock held for as long as it runs), and the run records one tab sends the others as they change
 * (a BroadcastChannel), so a second tab shows a run of the first as running there, never as
 * stopped, and never offers to resume a queue that is running elsewhere.
 * Where a browser has neither API, each tab is on its own, as before.
 */
import type { RunRecord } from '../core/runs/runs';

/** The lock a tab holds while one of its runs is live. */
export const runLock = (recordId: string) => `mlp-lab-run:${recordId}`;
/** The lock a tab holds while its experiment queue is running. */
export const QUEUE_LOCK = 'mlp-lab-queue';

export type TabMessage =
  | { readonly type: 'record'; readonly record: RunRecord }
  /** Runs were imported and stored in one go: the other tabs read them from storage. */
  | { readonly type: 'imported'; readonly count: number };

export interface TabLink {
  /** Holds lock `name` until `until` settles (nothing where there are no Web Locks). */
  hold(name: string, until: Promise<unknown>): void;
  /** Whether another tab (or this one) holds lock `name` now; false where it cannot tell. */
  isHeld(name: string): Promise<boolean>;
  /** Settles once lock `name` is free (at once where it cannot tell). */
  whenFree(name: string): Promise<void>;
  /** Sends a message to the lab's other tabs. */
  post(message: TabMessage): void;
  /** Calls `onMessage` with every message another tab sends. */
  listen(onMessage: (message: TabMessage) => void): void;
}

interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  request(
    name: string,
    options: { ifAvailable?: boolean; mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<unknown> | unknown,
  ): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** The browser's Web Locks and BroadcastChannel, where it has them. */
export function browserTabs(): TabLink {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('mlp-lab') : null;
  return {
    hold(name, until) {
      locks?.request(name, () => until.catch(() => undefined)).catch(() => undefined);
    },
    async isHeld(name) {
      if (!locks) return false;
      try {
        const state = await locks.query();
        return (state.held ?? []).some((l) => l.name === name);
      } catch {
        return false;
      }
    },
    async whenFree(name) {
      if (!locks) return;
      // Granted once the holder lets go; given straight back.
      await locks.request(name, () => Promise.resolve()).catch(() => undefined);
    },
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A record that cannot be cloned is not worth breaking the run for: the others read it on reload.
      }
    },
    listen(onMessage) {
      channel?.addEventListener('message', (e: MessageEvent<TabMessage>) => onMessage(e.data));
    },
  };
}

/**
 * Tabs in one process, for tests: every link made from one hub shares its locks and messages.
 * `hub.link()` is one tab.
 */
export function tabHub() {
  const held = new Map<string, { readonly done: Promise<void>; readonly free: () => void }>();
  const listeners = new Set<(m: TabMessage) => void>();
  const posted: TabMessage[] = [];
  return {
    /** Every message any tab sent, in order. */
    posted,
    /** Whether lock `name` is held. */
    isHeld: (name: string) => held.has(name),
    /** Lets go of lock `name` as a closed tab would, without its holder's say. */
    drop(name: string) {
      held.get(name)?.free();
    },
    link(): TabLink {
      let mine: ((m: TabMessage) => void) | null = null;
      return {
        hold(name, until) {
          let free = () => {};
          const done = new Promise<void>((resolve) => (free = resolve));
          const entry = { done, free };
          void until.catch(() => undefined).then(free);
          void done.then(() => {
            if (held.get(name) === entry) held.delete(name);
          });
          held.set(name, entry);
        },
        isHeld: (name) => Promise.resolve(held.has(name)),
        async whenFree(name) {
          for (let e = held.get(name); e; e = held.get(name)) await e.done;
        },
        post(message) {
          posted.push(message);
          const copy = structuredClone(message);
          for (const l of listeners) if (l !== mine) l(copy);
        },
        listen(onMessage) {
          mine = onMessage;
          listeners.add(onMessage);
        },
      };
    },
  };
}
