/**
 * The experiments queue kept in local storage between visits, so a reload does not lose a long
 * experiment: read back paused, and anything unreadable left out.
 */
import { EXPERIMENT_IDS, type QueueKind } from '../../core/experiments/experiments';
import { parseConfig, parseTag } from '../../core/runs/runSchema';
import type { QueueItem, QueueState, QueueStatus } from './experimentSlice';

/** Where the queue is kept between visits, so a reload does not lose a long experiment. */
export const QUEUE_STORAGE_KEY = 'mlp-lab-queue';

/**
 * A queue read back from storage. One that was running or paused comes back paused (its current
 * run was cut short by the reload; Resume runs it again); anything unreadable gives null.
 */
export function parseStoredQueue(text: string | null): QueueState | null {
  if (!text) return null;
  try {
    const x = JSON.parse(text) as Partial<QueueState> & { items?: unknown };
    if (!Array.isArray(x.items) || typeof x.index !== 'number' || typeof x.status !== 'string') return null;
    const items: QueueItem[] = [];
    for (const raw of x.items as unknown[]) {
      const it = raw as { config?: unknown; tag?: unknown };
      const config = parseConfig(it.config);
      const tag = parseTag(it.tag);
      if (!config || !tag) return null;
      items.push({ config, tag });
    }
    const kinds = [...EXPERIMENT_IDS, 'check'] as readonly string[];
    const experiment =
      items[0]?.tag.experiment ??
      (typeof x.experiment === 'string' && kinds.includes(x.experiment) ? (x.experiment as QueueKind) : null);
    if (experiment === null || x.index < 0 || x.index > items.length) return null;
    const status: QueueStatus =
      x.status === 'running' || x.status === 'paused'
        ? 'paused'
        : x.status === 'done' || x.status === 'cancelled'
          ? x.status
          : 'idle';
    return {
      experiment,
      items,
      reused: typeof x.reused === 'number' && x.reused >= 0 ? Math.floor(x.reused) : 0,
      index: Math.floor(x.index),
      done: Array.isArray(x.done)
        ? [...new Set(x.done.filter((d): d is number => Number.isInteger(d) && d > x.index! && d < items.length))].sort(
            (a, b) => a - b,
          )
        : [],
      status,
      liveRecordId: null,
      liveItem: null,
      sideRecordIds: [],
      sideItems: [],
      startedAt: null,
      failed: typeof x.failed === 'number' ? x.failed : 0,
      problem: typeof x.problem === 'string' ? x.problem.slice(0, 500) : null,
      // The run whose failure paused the queue (with two lanes, not the index's as a rule).
      failedItem:
        Number.isInteger(x.failedItem) &&
        (x.failedItem as number) >= x.index! &&
        (x.failedItem as number) < items.length
          ? (x.failedItem as number)
          : null,
    };
  } catch {
    return null;
  }
}
