/**
 * The page's side of reading results files: a results worker for each import, its runs gathered
 * chunk by chunk, and a clear message where it cannot start or stops.
 */
import type { CollectedRuns, TextFile } from '../core/runs/runsImport';
import type { RunRecord } from '../core/runs/runs';
import type { ResultsMessage, ResultsRequest } from './resultsReader';
import { workerStartFailure } from './workerStart';

/** How long the worker may take to say anything before the import is given up. */
export const RESULTS_START_MS = 30_000;

/** Reads results files in a worker; resolves with what they add, or why they cannot be read. */
export function readResultsInWorker(
  files: readonly TextFile[],
  have: readonly string[],
  unreadable: readonly string[],
  stage: (text: string) => void,
): Promise<CollectedRuns | string> {
  return new Promise((resolve) => {
    const added: RunRecord[] = [];
    let worker: Worker | null = null;
    let heard = false;
    const end = (result: CollectedRuns | string) => {
      clearTimeout(timer);
      worker?.terminate();
      resolve(result);
    };
    // A worker that never answers (a policy that blocks it without an error) must not hang the import.
    const timer = setTimeout(
      () => end(`the results reader did not start within ${RESULTS_START_MS / 1000} s.`),
      RESULTS_START_MS,
    );
    try {
      worker = new Worker(new URL('./results.worker.ts', import.meta.url), { type: 'module', name: 'results' });
    } catch (e) {
      return end(`the results reader could not start (${e instanceof Error ? e.message : String(e)}).`);
    }
    worker.addEventListener('message', (e: MessageEvent<ResultsMessage>) => {
      heard = true;
      clearTimeout(timer);
      const m = e.data;
      if (m.type === 'stage') stage(m.text);
      else if (m.type === 'runs') for (const r of m.runs) added.push(r);
      else if (m.type === 'done') end({ added, known: m.known, skipped: m.skipped });
      else end(m.message);
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      if (heard) end(`the results reader stopped (${e.message || 'unknown error'}).`);
      else void workerStartFailure('the results reader', e.message).then(end);
    });
    const request: ResultsRequest = { files: [...files], have, unreadable };
    worker.postMessage(request);
  });
}
