/**
 * Reading results files off the main thread (issue 26): a file of tens of thousands of runs takes
 * a second or more to parse and check, which on the page would be one frozen task. The worker
 * (results.worker.ts) runs `readResults` and posts the new runs in chunks, so taking them in costs
 * the page a short task per chunk; the page stores them (store/sync.ts) and says how it went.
 */
import { collectRuns, type TextFile } from '../core/runs/runsImport';
import type { RunRecord } from '../core/runs/runs';

/** Runs per message: taking one chunk in is a short task for the page. */
export const RUNS_PER_MESSAGE = 500;

export interface ResultsRequest {
  readonly files: readonly TextFile[];
  /** Ids of the runs this browser has, and of the stored records it could not read. */
  readonly have: readonly string[];
  readonly unreadable: readonly string[];
}

export type ResultsMessage =
  | { readonly type: 'stage'; readonly text: string }
  | { readonly type: 'runs'; readonly runs: readonly RunRecord[] }
  | { readonly type: 'done'; readonly known: number; readonly skipped: readonly string[] }
  | { readonly type: 'failed'; readonly message: string };

/** What the worker does with a request: stages as it goes, the new runs in chunks, then done (or failed). */
export async function readResults(request: ResultsRequest, post: (m: ResultsMessage) => void): Promise<void> {
  try {
    const read = await collectRuns(request.files, request.have, request.unreadable, (text) =>
      post({ type: 'stage', text }),
    );
    if (typeof read === 'string') return post({ type: 'failed', message: read });
    for (let at = 0; at < read.added.length; at += RUNS_PER_MESSAGE)
      post({ type: 'runs', runs: read.added.slice(at, at + RUNS_PER_MESSAGE) });
    post({ type: 'done', known: read.known, skipped: read.skipped });
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
}
