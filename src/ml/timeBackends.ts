/**
 * backend=auto by measurement: times a few batches of the run's own network (its layers, batch
 * size, optimizer and input range, on the first images of the run's data) on each backend that
 * starts here, and switches to the faster. Times are taken from an earlier trial on this device
 * for a network of the same size class when the page remembers one, or injected by a test.
 */
import type { TrainData } from '../core/dataset/dataset';
import {
  fastestFirst,
  labelled,
  recallTrial,
  sizeClass,
  trialDone,
  trialMsPerBatch,
  type BackendTime,
  type BackendTrial,
  type InjectedTimes,
  type TrialMark,
  TRIAL_TIMING,
  type TrialTiming,
  type TrialTable,
} from '../core/device/backendTrial';
import type { BackendName, TrainConfig } from '../core/network/spec';
import { describeBackend, deviceKey, selectBackend, startBackend, type BackendChoice } from './backend';
import { trainRun, type TrainOptions } from './train';

/** Batches between the trial's read-backs; the first read-back ends the first warm-up (WebGL's compilation). */
export const TRIAL_WARMUP = 3;

/**
 * Milliseconds per batch of `config`'s network on the active backend: the lab's own training loop
 * on the first images of `data`, read back every TRIAL_WARMUP batches (the real loop reads back
 * every 10), timed as core/device/backendTrial.ts's TRIAL_TIMING says (a warm-up, then the fastest of two
 * intervals; fewer batches where a large network takes longer than its budget). At most about
 * 16,000 images, and never past the last batch of that epoch (nor to the test images). Nothing of
 * it is kept.
 */
export async function timeBatches(
  data: TrainData,
  config: TrainConfig,
  signal: AbortSignal,
  options: Pick<TrainOptions, 'yieldFn' | 'checkDevice'> = {},
): Promise<number> {
  return timeTraining(data, config, signal, TRIAL_TIMING, (trial, onProgress, stop) =>
    trainRun(data, trial, { onProgress }, stop, { ...options, readEvery: TRIAL_WARMUP }),
  );
}

/** What timeTraining times: `trial` trained until `stop` aborts, calling `onProgress` at each read-back. */
export type TimedTraining = (
  trial: TrainConfig,
  onProgress: (p: { readonly batch: number; readonly batches: number }) => void,
  stop: AbortSignal,
) => Promise<unknown>;

/**
 * ms per batch of `train` on a trial config of `config` (one epoch of at most `rows` images, about
 * 16,000 by default, no validation), timed by its read-backs as `timing` says; stopped once timed
 * or when `signal` aborts.
 */
export async function timeTraining(
  data: TrainData,
  config: TrainConfig,
  signal: AbortSignal,
  timing: TrialTiming,
  train: TimedTraining,
  most = 16_384,
): Promise<number> {
  const rows = Math.min(data.train.labels.length, Math.max(most, 4 * TRIAL_WARMUP * config.batchSize));
  const trial: TrainConfig = { ...config, epochs: 1, validationSplit: 0, subset: rows };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (signal.aborted) stop.abort();
  signal.addEventListener('abort', onAbort);
  const marks: TrialMark[] = [];
  try {
    await train(
      trial,
      (p) => {
        marks.push({ batch: p.batch, t: performance.now() });
        if (trialDone(marks, timing) || p.batch >= p.batches) stop.abort();
      },
      stop.signal,
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return trialMsPerBatch(marks, timing);
}

export interface AutoChoice {
  readonly choice: BackendChoice;
  /** Null where only one backend starts here (nothing to choose between). */
  readonly trial: BackendTrial | null;
}

export interface AutoOptions {
  /** Trials remembered by the page (per device and size class). */
  readonly remembered?: TrialTable;
  /** Times injected by a test instead of measuring. */
  readonly injected?: InjectedTimes | null;
  /** The backends auto chooses among (the plain JavaScript one is always slower than WASM). */
  readonly candidates?: readonly BackendName[];
  readonly now?: () => number;
  /** Times one backend (tests replace it); default timeBatches. */
  readonly time?: (data: TrainData, config: TrainConfig, signal: AbortSignal) => Promise<number>;
}

/**
 * Chooses the backend for `config` (backend=auto) and leaves it active: the faster of those that
 * start here by the remembered, injected or measured times per batch.
 */
export async function chooseByTrial(
  data: TrainData,
  config: TrainConfig,
  signal: AbortSignal,
  options: AutoOptions = {},
): Promise<AutoChoice> {
  const candidates: BackendName[] = [];
  for (const name of options.candidates ?? (['webgl', 'wasm'] as const))
    if (await startBackend(name)) candidates.push(name);
  if (candidates.length < 2) return { choice: await selectBackend('auto'), trial: null };
  const device = deviceKey();
  const cls = sizeClass(config.layers, config.batchSize);
  const now = options.now ?? Date.now;
  const injected = options.injected;
  const recalled = recallTrial(options.remembered ?? {}, device, cls);
  let times: BackendTime[];
  let source: BackendTrial['source'];
  let at = now();
  if (injected && candidates.every((n) => typeof injected[n] === 'number')) {
    times = candidates.map((n) => labelled(n, describeBackend(n), injected[n] as number));
    source = 'injected';
  } else if (recalled && candidates.every((n) => recalled.times.some((t) => t.name === n))) {
    times = recalled.times.filter((t) => candidates.includes(t.name));
    source = 'remembered';
    at = recalled.at;
  } else {
    times = [];
    for (const name of candidates) {
      if (signal.aborted) break;
      let ms = NaN;
      try {
        if (await startBackend(name)) ms = await (options.time ?? timeBatches)(data, config, signal);
      } catch {
        // A backend that starts but fails to train (a lost context, out of memory) is not chosen.
      }
      times.push(labelled(name, describeBackend(name), ms));
    }
    source = 'measured';
  }
  const ranked = fastestFirst(times);
  // Stopped half way, or nothing could be timed: no trial to show or remember.
  if (signal.aborted || ranked.length === 0) return { choice: await selectBackend('auto'), trial: null };
  const choice = await selectBackend(ranked[0]?.name ?? 'webgl');
  return { choice, trial: { device, sizeClass: cls, times: ranked, chosen: choice.name, source, at } };
}
