/**
 * The plan of a training run: everything it will do that is known before the first batch (how the
 * data splits into training, validation and batches, how often it reads back and samples layer
 * health, which kernels run the step), worked out once from the config and the options.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainData } from '../../core/dataset/dataset';
import { NUM_CLASSES, type Activation, type LossName, type TrainConfig } from '../../core/network/spec';
import { totalParams } from '../../core/network/params';
import { kerasSplit, type SplitPlan } from '../../core/dataset/split';
import { LIVE_TILE_UNITS } from '../../core/diagnosis/health';
import { kernelsFor } from '../kernels/kernels';
import type { Kernels } from '../kernels/types';
import type { TrainOptions } from './types';
import type { Regularization } from '../regularize';
import { isScheduled, rateAt } from '../../core/network/schedule';

/** When layer health is sampled (see HealthClock in readBack.ts). */
export interface HealthPlan {
  readonly on: boolean;
  /** Batches between samples: a multiple of the read-back interval. */
  readonly every: number;
  /** And at least this many milliseconds between them. */
  readonly minMs: number;
  /** A batch at least this big counts as full: shares measured on a few images mislead. */
  readonly fullEnough: number;
  /** The last full batch of an epoch (0-based), where the epoch's own sample comes from. */
  readonly lastFullBatch: number;
}

export interface TrainPlan {
  /** Rows [0, trainCount) train, [trainCount, total) validate, in batchesPerEpoch batches. */
  readonly split: SplitPlan;
  /** The training rows used: the first `total` of the training set (a subset, or all). */
  readonly total: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly scaled: boolean;
  readonly params: number;
  /** Read the metrics back every this many batches (and at each epoch's last). */
  readonly readEvery: number;
  /** Multiply only the input columns a batch uses. */
  readonly compact: boolean;
  /** The loss the step minimises and the run reports (core/network/loss.ts). */
  readonly loss: LossName;
  /** Weight decay and max-norm on the kernels (ml/regularize.ts). */
  readonly regularization: Regularization;
  /** The step's kernels: the active backend's own (kernels.ts), fixed for the run. */
  readonly kernels: Kernels;
  readonly units: readonly number[];
  readonly activations: readonly Activation[];
  /**
   * The learning rate of the run's optimizer step `step` (0-based over the whole run: the schedule,
   * core/network/schedule.ts), or null when it is the config's rate throughout.
   */
  readonly rate: ((step: number) => number) | null;
  /** Units of the first layer shown as live tiles. */
  readonly tileUnits: number;
  readonly health: HealthPlan;
}

/**
 * On WASM a first layer narrower than this multiplies every column: finding a batch's columns and
 * gathering them costs more than the product saves there. Either way a run gives the same numbers
 * to the last bit (a column left out is zero in every row; tests/unit/ml/train/plan.test.ts).
 * Measured in Node, one thread, an epoch of all 60,000 images with its validation, seconds,
 * compacted / every column: no hidden layer 0.41 / 0.23, [32] 0.53 / 0.37, [32 × 4] 0.63 / 0.47,
 * [64] 0.85 / 0.75, [96] 0.91 / 0.81, [128] 1.01 / 1.05, [512] 3.20 / 3.88, [2048] 11.45 / 15.53.
 */
export const WASM_COMPACT_FROM_UNITS = 128;

export function planRun(data: TrainData, config: TrainConfig, options: TrainOptions): TrainPlan {
  const readEvery = Math.max(1, options.readEvery ?? 10);
  const kernels = kernelsFor(tf.getBackend(), options.plainOps ?? false);
  const total = Math.min(config.subset ?? data.train.labels.length, data.train.labels.length);
  const split = kerasSplit(total, config.validationSplit, config.batchSize);
  const units = config.layers.map((l) => l.units);
  // A batch at least half the batch size counts as full for health; the last such in an epoch.
  const fullEnough = Math.min(Math.ceil(config.batchSize / 2), split.trainCount);
  const lastBatchSize = split.trainCount - (split.batchesPerEpoch - 1) * config.batchSize;
  return {
    split,
    total,
    batchSize: config.batchSize,
    epochs: config.epochs,
    scaled: config.preprocessing === 'scaled',
    params: totalParams(config.layers),
    readEvery,
    // Weight decay's gradient reaches every row of the first kernel, not only a batch's columns:
    // only plain SGD, which applies it to the kernels directly (ml/regularize.ts), stays compact.
    // An augmented batch's ink moves into columns its images leave blank: never compact.
    compact:
      (options.compactColumns ?? true) &&
      config.augment === 'none' &&
      (config.optimizer === 'sgd' || (config.l1 === 0 && config.l2 === 0)) &&
      (kernels.name !== 'wasm' || (units[0] ?? NUM_CLASSES) >= WASM_COMPACT_FROM_UNITS),
    loss: config.loss,
    regularization: { l2: config.l2, l1: config.l1, maxNorm: config.maxNorm },
    kernels,
    units,
    activations: config.layers.map((l) => l.activation),
    rate: isScheduled(config) ? (step) => rateAt(config, step, split.batchesPerEpoch) : null,
    tileUnits: Math.min(LIVE_TILE_UNITS, units[0] ?? 10),
    health: {
      on: options.health ?? false,
      every: Math.ceil(Math.max(1, options.healthEvery ?? 40) / readEvery) * readEvery,
      minMs: options.healthMinMs ?? 0,
      fullEnough,
      lastFullBatch: lastBatchSize >= fullEnough ? split.batchesPerEpoch - 1 : split.batchesPerEpoch - 2,
    },
  };
}
