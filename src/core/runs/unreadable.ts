/**
 * Stored records that could not be read (runSchema.ts says why): kept in storage, shown with the
 * reason and a delete.
 */
import { isObject } from './runSchema';

/** A stored record that could not be read: kept in storage, shown with the reason and a delete. */
export interface UnreadableRun {
  /** Its storage key, as text. */
  readonly key: string;
  readonly reason: string;
  /** When it started, if that much can be read. */
  readonly startedAt: number | null;
}

/** What the page shows for a record that could not be read. */
export function unreadableRun(key: string, raw: unknown, reason: string): UnreadableRun {
  const t = isObject(raw) ? raw.startedAt : undefined;
  return { key, reason, startedAt: typeof t === 'number' && t >= 0 && t <= 8.64e15 ? t : null };
}

/** The runs panel's line about records that could not be read ('' when there are none). */
export function unreadableText(count: number): string {
  if (count === 0) return '';
  const one = count === 1;
  return `${count} stored run${one ? '' : 's'} could not be read. ${one ? 'It is' : 'They are'} kept as stored and listed below, with the reason; delete ${one ? 'it' : 'them'} if you do not need ${one ? 'it' : 'them'}.`;
}
