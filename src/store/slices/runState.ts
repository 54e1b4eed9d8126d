/** The state of the current training run, as the worker's messages update it (a pure reducer). */
import { appendBounded } from '../../core/diagnosis/health';
import type { BackendTrial } from '../../core/device/backendTrial';
import type { TrainConfig } from '../../core/network/spec';
import type { RunRecord } from '../../core/runs/runs';
import type {
  EpochLog,
  HealthSample,
  LiveTiles,
  Progress,
  RunOutcome,
  TensorCheck,
  RunMessage,
  TrainSample,
} from '../../worker/protocol';

export type RunStatus = 'idle' | 'loading' | 'training' | 'done' | 'stopped' | 'error';

/** At most this many loss/accuracy samples and health samples are kept per run (older ones thinned). */
export const MAX_TRAIN_SAMPLES = 2000;
export const MAX_HEALTH_SAMPLES = 1000;

export interface RunState {
  readonly runId: number;
  readonly status: RunStatus;
  /** The config this run trains (not the controls', which may change meanwhile); null when idle. */
  readonly config: TrainConfig | null;
  /** The backend the run trains on, why, and (backend=auto) the times it was chosen by. */
  readonly backend: { readonly name: string; readonly reason: string; readonly trial: BackendTrial | null } | null;
  readonly loading: { readonly loaded: number; readonly total: number; readonly fromCache: boolean } | null;
  /** backend=auto is timing a few batches on each backend to choose one. */
  readonly choosing: boolean;
  readonly plan: {
    readonly trainCount: number;
    readonly valCount: number;
    readonly batches: number;
    /** Networks trained together in its steps, when more than one (see RunRecord.group). */
    readonly group?: number;
  } | null;
  readonly progress: Progress | null;
  /** Training loss and accuracy over each few batches, x in epochs (2.5: half way through epoch 3). */
  readonly samples: readonly TrainSample[];
  /** Every layer's health, every few batches. */
  readonly health: readonly HealthSample[];
  /** The newest read of the first layer's weights. */
  readonly tiles: LiveTiles | null;
  /** The drawn digit's probabilities with the weights as they were at x (epochs). */
  readonly probe: { readonly probeId: number; readonly probs: Float32Array; readonly x: number } | null;
  readonly epochs: readonly EpochLog[];
  readonly outcome: RunOutcome | null;
  readonly tensors: TensorCheck | null;
  readonly error: string | null;
  /** The error is one only a reload of the page mends. */
  readonly errorNeedsReload: boolean;
  /** Wall-clock start of the run (ms since epoch), for elapsed time. */
  readonly startedAt: number | null;
}

export const IDLE_RUN: RunState = {
  runId: 0,
  status: 'idle',
  config: null,
  backend: null,
  loading: null,
  choosing: false,
  plan: null,
  progress: null,
  samples: [],
  health: [],
  tiles: null,
  probe: null,
  epochs: [],
  outcome: null,
  tensors: null,
  error: null,
  errorNeedsReload: false,
  startedAt: null,
};

/** A run of the history shown in the main view instead of the live run. */
export interface ShownRun {
  readonly id: string;
  readonly run: RunState;
}

/**
 * The run state a kept record stands for: its epochs, result and (where the record has a trace)
 * its curve and layer health, for the main view to show it as it ended.
 */
export function runStateFromRecord(r: RunRecord): RunState {
  return {
    ...IDLE_RUN,
    status: r.status === 'running' ? 'stopped' : r.status,
    config: r.config,
    backend: r.backend === null ? null : { name: r.backend, reason: '', trial: null },
    plan:
      r.trainCount === null
        ? null
        : { trainCount: r.trainCount, valCount: r.valCount ?? 0, batches: 0, ...(r.group ? { group: r.group } : {}) },
    samples: r.trace?.samples ?? [],
    health: r.trace?.health ?? [],
    epochs: r.epochs,
    outcome:
      r.testAcc === null
        ? null
        : {
            status: r.status === 'done' ? 'done' : 'stopped',
            epochs: r.epochs,
            testAcc: r.testAcc,
            testLoss: r.testLoss,
            params: r.params,
            trainCount: r.trainCount ?? 0,
            valCount: r.valCount ?? 0,
          },
    error: r.error,
    startedAt: r.startedAt,
  };
}

/** A fresh run state for run `runId` of `config`, started at `now`. */
export function startRun(runId: number, now: number, config: TrainConfig): RunState {
  return { ...IDLE_RUN, runId, status: 'loading', startedAt: now, config };
}

/** Applies one worker message to the run state; messages of other runs are ignored. */
export function reduceRun(s: RunState, m: RunMessage): RunState {
  if (m.runId !== s.runId) return s;
  // A run that ended stays ended: a worker crash reported later must not turn done into error.
  if (s.status === 'done' || s.status === 'stopped' || s.status === 'error') return s;
  switch (m.type) {
    case 'backend':
      return { ...s, choosing: false, backend: { name: m.name, reason: m.reason, trial: m.trial ?? null } };
    case 'choosing':
      return { ...s, choosing: true };
    case 'loading':
      return { ...s, loading: { loaded: m.loaded, total: m.total, fromCache: m.fromCache } };
    case 'started':
      return {
        ...s,
        status: 'training',
        plan: {
          trainCount: m.trainCount,
          valCount: m.valCount,
          batches: m.batches,
          ...(m.group !== undefined && m.group > 1 ? { group: m.group } : {}),
        },
      };
    case 'progress':
      return {
        ...s,
        status: 'training',
        progress: m.progress,
        samples: m.samples.length > 0 ? appendBounded(s.samples, m.samples, MAX_TRAIN_SAMPLES) : s.samples,
        health: m.health.length > 0 ? appendBounded(s.health, m.health, MAX_HEALTH_SAMPLES) : s.health,
        tiles: m.tiles ?? s.tiles,
        probe: m.probe ?? s.probe,
      };
    case 'epoch':
      return { ...s, epochs: [...s.epochs, m.log] };
    case 'done':
    case 'stopped':
      return { ...s, status: m.type, outcome: m.outcome, tensors: m.tensors };
    case 'error':
      return { ...s, status: 'error', error: m.message, errorNeedsReload: m.reload ?? false, tensors: m.tensors };
  }
}
