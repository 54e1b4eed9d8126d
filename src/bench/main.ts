/**
 * The benchmark page (bench.html), driven by scripts/bench.mjs: runs one request per fresh worker
 * and exposes the results on `window.benchRun`.
 */
import type { BenchRequest, BenchResult } from './bench.worker';

function runOne(req: BenchRequest): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e: MessageEvent<{ result?: BenchResult; error?: string }>) => {
      worker.terminate();
      if (e.data.result) resolve(e.data.result);
      else reject(new Error(e.data.error ?? 'benchmark failed'));
    });
    worker.addEventListener('error', (e) => {
      worker.terminate();
      reject(new Error(e.message));
    });
    worker.postMessage(req);
  });
}

declare global {
  interface Window {
    benchRun: (req: BenchRequest) => Promise<BenchResult>;
  }
}

window.benchRun = runOne;
const out = document.getElementById('out');
if (out) out.textContent = 'benchmark page ready: call benchRun({ widths, backend, batches })';
