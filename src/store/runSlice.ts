/** The state of the current training run, updated from the worker's messages. */
import type { EpochLog, Progress, RunOutcome, TensorCheck, RunMessage } from '../worker/protocol';

export type RunStatus = 'idle' | 'loading' | 'training' | 'done' | 'stopped' | 'error';

/** One point of the live training-accuracy curve: x in epochs (2.5 = half way through epoch 3). */
export interface LivePoint {
  readonly x: number;
  readonly acc: number;
  readonly loss: number;
}

export interface RunState {
  readonly runId: number;
  readonly status: RunStatus;
  readonly backend: { readonly name: string; readonly reason: string } | null;
  readonly loading: { readonly loaded: number; readonly total: number; readonly fromCache: boolean } | null;
  readonly plan: { readonly trainCount: number; readonly valCount: number; readonly batches: number } | null;
  readonly progress: Progress | null;
  readonly live: readonly LivePoint[];
  readonly epochs: readonly EpochLog[];
  readonly outcome: RunOutcome | null;
  readonly tensors: TensorCheck | null;
  readonly error: string | null;
  /** Wall-clock start of the run (ms since epoch), for elapsed time. */
  readonly startedAt: number | null;
}

export const IDLE_RUN: RunState = {
  runId: 0,
  status: 'idle',
  backend: null,
  loading: null,
  plan: null,
  progress: null,
  live: [],
  epochs: [],
  outcome: null,
  tensors: null,
  error: null,
  startedAt: null,
};

/** A fresh run state for run `runId`, started at `now`. */
export function startRun(runId: number, now: number): RunState {
  return { ...IDLE_RUN, runId, status: 'loading', startedAt: now };
}

/** Applies one worker message to the run state; messages of other runs are ignored. */
export function reduceRun(s: RunState, m: RunMessage): RunState {
  if (m.runId !== s.runId) return s;
  switch (m.type) {
    case 'backend':
      return { ...s, backend: { name: m.name, reason: m.reason } };
    case 'loading':
      return { ...s, loading: { loaded: m.loaded, total: m.total, fromCache: m.fromCache } };
    case 'started':
      return { ...s, status: 'training', plan: { trainCount: m.trainCount, valCount: m.valCount, batches: m.batches } };
    case 'progress': {
      const p = m.progress;
      const point = { x: p.epoch - 1 + p.batch / p.batches, acc: p.acc, loss: p.loss };
      return { ...s, status: 'training', progress: p, live: [...s.live, point] };
    }
    case 'epoch':
      return { ...s, epochs: [...s.epochs, m.log] };
    case 'done':
    case 'stopped':
      return { ...s, status: m.type, outcome: m.outcome, tensors: m.tensors };
    case 'error':
      return { ...s, status: 'error', error: m.message, tensors: m.tensors };
  }
}
