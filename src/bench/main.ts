/**
 * The benchmark page (bench.html), driven by scripts/bench.mjs: runs one request per fresh worker
 * and exposes the results on `window.benchRun`.
 */
import type { BenchRequest, BenchResult } from './bench.worker';
import type { SweepMessage, SweepReply } from './sweep.worker';

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

/**
 * What one sweep measurement gives: K networks of one width trained at once, each in its own worker,
 * or (`group` > 1) in K / group workers, each training `group` networks in one step.
 */
export interface SweepResult {
  readonly width: number;
  readonly k: number;
  readonly group: number;
  readonly threads: number;
  /** From the moment all K were told to train until the last one finished. */
  readonly wallSeconds: number;
  /** Each network's own time. */
  readonly seconds: readonly number[];
  readonly testAcc: readonly (number | null)[];
  readonly backend: string;
}

/** One reply of a sweep worker, as a promise. */
function ask(w: Worker, m: SweepMessage): Promise<SweepReply> {
  return new Promise((resolve, reject) => {
    w.onmessage = (e: MessageEvent<SweepReply>) =>
      e.data.type === 'error' ? reject(new Error(e.data.message)) : resolve(e.data);
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage(m);
  });
}

/**
 * K networks of `width` at once, in K / group fresh workers (each `group` networks in one step) on
 * `threads` WASM threads each (data loaded first, untimed), `epochs` epochs each with seeds 1..K.
 */
async function sweep(req: {
  width: number;
  k: number;
  group?: number;
  threads: number;
  epochs: number;
  baseUrl: string;
}): Promise<SweepResult> {
  const group = req.group ?? 1;
  const workers = Array.from(
    { length: Math.ceil(req.k / group) },
    () => new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    const loaded = await Promise.all(
      workers.map((w) => ask(w, { type: 'load', baseUrl: req.baseUrl, threads: req.threads })),
    );
    const t0 = performance.now();
    const done = await Promise.all(
      workers.map((w, i) =>
        ask(w, {
          type: 'train',
          width: req.width,
          epochs: req.epochs,
          seed: i * group + 1,
          group: Math.min(group, req.k - i * group),
        }),
      ),
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    const trained = done.filter((d): d is Extract<SweepReply, { type: 'trained' }> => d.type === 'trained');
    const backend = loaded[0]?.type === 'loaded' ? loaded[0].backend : '';
    return {
      width: req.width,
      k: req.k,
      group,
      threads: req.threads,
      wallSeconds,
      seconds: trained.map((d) => d.seconds),
      testAcc: trained.flatMap((d) => d.testAcc),
      backend,
    };
  } finally {
    workers.forEach((w) => w.terminate());
  }
}

declare global {
  interface Window {
    benchRun: (req: BenchRequest) => Promise<BenchResult>;
    benchSweep: typeof sweep;
  }
}

window.benchRun = runOne;
window.benchSweep = sweep;
const out = document.getElementById('out');
if (out) out.textContent = 'benchmark page ready: call benchRun({ widths, backend, batches })';
