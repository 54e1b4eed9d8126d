/**
 * What a training run is told and what it tells back: trainRun's options, callbacks and outcome
 * (re-exported by ml/train.ts, the path the worker imports them from).
 */
import type { EpochLog } from '../../core/runs/runs';
import type { KeptModel } from '../../core/runs/model';
import type { HealthSample, LiveTiles, TrainSample } from '../../core/diagnosis/health';
import type { Mlp } from '../mlp';
import type { DeviceData } from '../deviceData';

export interface Progress {
  /** 1-based epoch in progress. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Running means over the batches of this epoch so far. */
  readonly loss: number;
  readonly acc: number;
  /** Training samples per second over the run so far. */
  readonly samplesPerSecond: number;
}

export interface RunOutcome {
  readonly status: 'done' | 'stopped';
  readonly epochs: readonly EpochLog[];
  readonly testLoss: number | null;
  readonly testAcc: number | null;
  /** The trained weights and the test-set predictions, when the run finished and keepModel was set. */
  readonly kept?: KeptModel;
  readonly params: number;
  readonly trainCount: number;
  readonly valCount: number;
}

export interface RunPlan {
  readonly trainCount: number;
  readonly valCount: number;
  readonly batches: number;
}

/** What the loop measured at one read-back, besides the running means of Progress. */
export interface LiveSample {
  /** Loss and accuracy over the batches since the previous read-back. */
  readonly train: TrainSample;
  /** Every layer's health at this step, when it was sampled. */
  readonly health: HealthSample | null;
  /** The first layer's weights, when asked for. */
  readonly tiles: LiveTiles | null;
  /** The probe image's class probabilities with the current weights, when a probe was given. */
  readonly probe: Float32Array | null;
}

/** What to read back at the next read-back besides the metrics; asked before each one. */
export interface ExtrasRequest {
  readonly tiles: boolean;
  /** One image [784] in the run's input range, to classify with the current weights. */
  readonly probe: Float32Array | null;
}

export interface TrainCallbacks {
  onStart?: (plan: RunPlan) => void;
  onProgress?: (p: Progress) => void;
  /** At every read-back, just before onProgress. */
  onSample?: (s: LiveSample) => void;
  onEpoch?: (log: EpochLog) => void;
}

export interface TrainOptions {
  /** Read the metrics back from the device every this many batches (default 10). */
  readonly readEvery?: number;
  /** Multiply only the input columns a batch uses (default true; false for comparisons). */
  readonly compactColumns?: boolean;
  /**
   * Run the step on TensorFlow.js's plain ops (kernels.ts's reference set) instead of the active
   * backend's own kernels (default false; true for comparisons).
   */
  readonly plainOps?: boolean;
  /** Called before every read-back; throws when the device can no longer be trusted. */
  readonly checkDevice?: () => void;
  /** Yields to the event loop between batches so a stop message can arrive. */
  readonly yieldFn?: () => Promise<void>;
  readonly now?: () => number;
  /** Read the trained weights and per-image test predictions back at the end (default false). */
  readonly keepModel?: boolean;
  /**
   * Measure every layer's health (core/diagnosis/health.ts) every `healthEvery` batches (and
   * `healthMinMs`), at the first read-back and at the end of each epoch (default false). Read back
   * with the metrics.
   */
  readonly health?: boolean;
  /** Batches between health samples (default 40; rounded up to a multiple of readEvery). */
  readonly healthEvery?: number;
  /**
   * And at least this many milliseconds (default 0): on a fast network the samples then cost a
   * fixed share of the time, not of the batches.
   */
  readonly healthMinMs?: number;
  /**
   * Asked before every read-back (`last`: the epoch's last batch; `final`: the run's): live tiles
   * and a probe image.
   */
  readonly extras?: (at: { readonly last: boolean; readonly final: boolean }) => ExtrasRequest;
  /**
   * Where the images on the device come from: a cache shared by runs (the worker's), whose tensors
   * the run leaves alone. Default: the run uploads what it needs and frees it at the end.
   */
  readonly deviceData?: DeviceData;
  /**
   * Takes the trained network off the run's hands when it finished (with keepModel): its weights
   * stay on the device, owned by the callee from then on (the worker predicts with them).
   */
  readonly adopt?: (net: Mlp) => void;
}

export class DivergedError extends Error {
  constructor(epoch: number, batch: number, learningRate: number) {
    super(
      `Training diverged in epoch ${epoch} near batch ${batch}: the loss became NaN or infinite. ` +
        `Try a lower learning rate (this run used ${learningRate}) or scaled inputs (pre=scaled).`,
    );
    this.name = 'DivergedError';
  }
}
