/**
 * How much device memory (WebGL textures, or the WASM heap) a run needs, estimated before it
 * starts, so a run that cannot fit is refused with the numbers and a way out instead of losing the
 * GPU context half way. Float32 throughout, as the worker trains:
 * - per weight: the weight, its gradient, the optimizer's slots and the temporaries of one update
 *   step (PER_WEIGHT floats);
 * - the images on the device: the training and validation rows of the split, and the test set
 *   (786 float32 columns per image: 784 pixels and 2 columns of padding, and the label);
 * - per row of a batch: 2.5 copies of its inputs (the gathered batch, its compacted columns) and 4
 *   floats per unit (pre-activation, activation and their gradients); or, if larger, per row of an
 *   evaluation chunk (up to 2,000 images): two copies of its inputs and one float per unit.
 * The constants were fitted to tf.profile's peak bytes over real runs (tests/unit/ml/deviceMemory.test.ts
 * checks that every run measured there stays within its estimate, by at most 60 % more).
 */
import { totalParams } from '../network/params';
import { INPUT_SIZE, NUM_CLASSES, type OptimizerName, type TrainConfig } from '../network/spec';

/** A run may take this much device memory: a budget most machines' browsers give a tab's GPU. */
export const DEVICE_BUDGET_BYTES = 1_000_000_000;

const FLOAT = 4;
/** Columns of an image on the device (784 pixels and padding to an even width). */
const DEVICE_COLUMNS = INPUT_SIZE + 2;
const TRAIN_IMAGES = 60_000;
const TEST_IMAGES = 10_000;
const EVAL_CHUNK = 2_000;

/** Floats held per weight at the peak of a training step (measured: 4.8, 8.8, 13.8, 17.9). */
const PER_WEIGHT: Readonly<Record<OptimizerName, number>> = { sgd: 5, momentum: 9, rmsprop: 14, adam: 19 };
/** Index tensors, the shuffle order, metrics: a small fixed part. */
const OVERHEAD = 1_000_000;
/** Floats per input column held per batch row. */
const INPUT_COPIES = 2.5;

export interface MemoryEstimate {
  /** Weights and their gradients. */
  readonly weights: number;
  /** The optimizer's slot variables and the temporaries of an update step. */
  readonly optimizer: number;
  /** Activations and their gradients at the batch size (or an evaluation chunk, if larger). */
  readonly activations: number;
  /** Training, validation and test images and labels on the device. */
  readonly data: number;
  /** The parts and a fixed megabyte of small tensors. */
  readonly total: number;
}

type Sized = Pick<TrainConfig, 'layers' | 'batchSize' | 'optimizer' | 'subset' | 'validationSplit'>;

/** Bytes of device memory a run of `config` needs, by part (`testImages`: the test set's size). */
export function estimateDeviceMemory(config: Sized, testImages = TEST_IMAGES): MemoryEstimate {
  const params = totalParams(config.layers);
  const weights = params * FLOAT * 2;
  const optimizer = params * FLOAT * (PER_WEIGHT[config.optimizer] - 2);
  const units = [...config.layers.map((l) => l.units), NUM_CLASSES].reduce((a, b) => a + b, 0);
  const trainImages = config.subset ?? TRAIN_IMAGES;
  const evalRows = Math.min(EVAL_CHUNK, Math.max(Math.floor(trainImages * config.validationSplit), testImages));
  const training = config.batchSize * (INPUT_COPIES * DEVICE_COLUMNS + 4 * units) * FLOAT;
  const evaluation = evalRows * (2 * DEVICE_COLUMNS + units) * FLOAT;
  const activations = Math.max(training, evaluation);
  const data = (trainImages + testImages) * (DEVICE_COLUMNS + 1) * FLOAT;
  return { weights, optimizer, activations, data, total: weights + optimizer + activations + data + OVERHEAD };
}

/** "1.2 GB", "230 MB": device memory for people. */
export function formatMemory(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return bytes <= 0 ? '0 kB' : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/** The largest batch size (a power of two, below `config`'s) with which the run fits the budget; null if none does. */
export function batchThatFits(config: Sized, budget = DEVICE_BUDGET_BYTES): number | null {
  for (let b = 2 ** Math.floor(Math.log2(Math.max(1, config.batchSize - 1))); b >= 1; b /= 2) {
    if (estimateDeviceMemory({ ...config, batchSize: b }).total <= budget) return b;
  }
  return null;
}

/**
 * Why a run of `config` is refused before it starts, with the estimate and what to change; null
 * when it fits the budget.
 */
export function memoryProblem(config: Sized, budget = DEVICE_BUDGET_BYTES): string | null {
  const e = estimateDeviceMemory(config);
  if (e.total <= budget) return null;
  const parts = [
    `weights and gradients ${formatMemory(e.weights)}`,
    `${config.optimizer} state and update ${formatMemory(e.optimizer)}`,
    `activations at batch ${config.batchSize} ${formatMemory(e.activations)}`,
    `images ${formatMemory(e.data)}`,
  ];
  const batch = batchThatFits(config, budget);
  const fix =
    batch !== null
      ? `Lower the batch size to ${batch} (about ${formatMemory(estimateDeviceMemory({ ...config, batchSize: batch }).total)}), or use narrower or fewer layers.`
      : 'Use narrower or fewer layers: even batch size 1 does not fit.';
  return `This run needs about ${formatMemory(e.total)} of device memory (${parts.join(', ')}), more than the ${formatMemory(budget)} the lab lets a run take, so it would likely lose the GPU half way. ${fix}`;
}
