/**
 * The lab's vocabulary: a network spec and a training config, their defaults (the article's
 * setup) and their limits. Pure data; every other layer takes these shapes.
 */
import type { InitName } from './init';
export { INITS, INIT_RULES, type InitName } from './init';

export const ACTIVATIONS = ['sigmoid', 'relu', 'tanh', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const PREPROCESSING = ['raw', 'scaled'] as const;
export type Preprocessing = (typeof PREPROCESSING)[number];

/** What early stopping can watch (Keras's names): the validation loss or accuracy. */
export const MONITORS = ['val_loss', 'val_accuracy'] as const;
export type Monitor = (typeof MONITORS)[number];
/** The patience a person who turns early stopping on starts with (and a link's `early` that is not a number). */
export const DEFAULT_PATIENCE = 3;

/**
 * How the learning rate moves during a run (core/network/schedule.ts): constant, step decay, exponential,
 * cosine or one-cycle.
 */
export const SCHEDULES = ['const', 'step', 'exp', 'cos', 'onecycle'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/**
 * What training minimises (core/network/loss.ts): categorical cross-entropy (Keras's, clipped) or
 * the mean squared error between the softmax and the one-hot label (as LeCun et al. 1998 trained).
 */
export const LOSSES = ['ce', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];

/**
 * Data augmentation of the training images: none, random shifts, rotations and scaling
 * (core/dataset/augment.ts), or elastic distortions (core/dataset/elastic.ts), both Simard et al. 2003's.
 */
export const AUGMENTS = ['none', 'affine', 'elastic'] as const;
export type AugmentName = (typeof AUGMENTS)[number];

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** What a person asks for: `auto` is the fastest that works (WebGL, then WASM, then CPU). */
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const DATASETS = ['mnist', 'fashion'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** How a dataset is named on the page. */
export const DATASET_LABELS: Readonly<Record<DatasetName, string>> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

/** The ten class names of each dataset, by label. */
export const CLASS_NAMES: Readonly<Record<DatasetName, readonly string[]>> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  fashion: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

/** Input and output sizes of every network in the lab: 28x28 images, 10 classes. */
export const INPUT_SIZE = 784;
export const NUM_CLASSES = 10;
/** Test images of each dataset (MNIST's t10k; the lab's Fashion-MNIST split holds out as many). */
export const TEST_SIZE = 10_000;

export interface HiddenLayer {
  /** Number of units, 1..MAX_WIDTH. */
  readonly units: number;
  readonly activation: Activation;
  /**
   * Dropout after the layer (Keras `Dropout(rate)`, inverted: while training each output is zeroed
   * with probability `rate` and the rest scaled by 1 / (1 − rate); nothing at test). Absent or 0: none.
   */
  readonly dropout?: number;
  /**
   * Batch normalization between the layer's product and its activation (Keras: `Dense(units,
   * use_bias=False)`, `BatchNormalization()`, `Activation(act)`: core/network/batchNorm.ts).
   * Absent or false: none.
   */
  readonly batchNorm?: boolean;
}

/** Everything that decides a training run; the URL holds exactly this. */
export interface TrainConfig {
  readonly layers: readonly HiddenLayer[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  /** Fraction of the (subset of the) training set held out from its end, as Keras does. */
  readonly validationSplit: number;
  readonly preprocessing: Preprocessing;
  /** Unsigned 32-bit seed for weight init and shuffling; a run is repeatable given it. */
  readonly seed: number;
  readonly dataset: DatasetName;
  /** Preferred backend; the worker falls back webgl -> wasm -> cpu where one is unavailable. */
  readonly backend: BackendChoice;
  /** Train on only the first `subset` training images (null: all 60,000). */
  readonly subset: number | null;
  /** How the kernels start (core/init.ts); biases start at zero. */
  readonly init: InitName;
  /**
   * L2 weight decay λ on every Dense kernel (Keras `kernel_regularizer=L2(λ)`): λ·Σw² is added to
   * the loss, as Keras adds and reports it; 0 is none.
   */
  readonly l2: number;
  /** L1 weight decay λ on every Dense kernel (Keras `L1(λ)`): λ·Σ|w| added to the loss; 0 is none. */
  readonly l1: number;
  /**
   * Max-norm constraint c on every Dense kernel (Keras `kernel_constraint=MaxNorm(c)`): after each
   * update, a unit's incoming weights longer than c are scaled back to length c; 0 is none.
   */
  readonly maxNorm: number;
  /** Dropout on the input pixels (Keras `Dropout(rate)` before the first Dense layer); 0 is none. */
  readonly inputDropout: number;
  /**
   * Early stopping's patience in epochs (Keras `EarlyStopping(patience, restore_best_weights=True)`:
   * core/runs/earlyStopping.ts); null is none.
   */
  readonly earlyPatience: number | null;
  /** What early stopping watches: the validation loss or accuracy. */
  readonly earlyMonitor: Monitor;
  /** How the learning rate moves from batch to batch (core/network/schedule.ts); `const` keeps it. */
  readonly schedule: ScheduleName;
  /**
   * Epochs of linear warm-up from 0 to the learning rate before the schedule (constant and cosine
   * only, as Keras's CosineDecay has it); 0 is none.
   */
  readonly warmup: number;
  /** The loss training minimises and the page reports (core/network/loss.ts). */
  readonly loss: LossName;
  /** How the training images are distorted at random while training (core/dataset/augment.ts). */
  readonly augment: AugmentName;
}

export const LIMITS = {
  maxLayers: 10,
  minWidth: 1,
  maxWidth: 4096,
  minEpochs: 1,
  maxEpochs: 500,
  minBatch: 1,
  maxBatch: 8192,
  minLr: 1e-6,
  maxLr: 10,
  minVal: 0,
  maxVal: 0.5,
  minSubset: 100,
  maxSubset: 60000,
  maxSeed: 0xffffffff,
  minL2: 0,
  maxL2: 1,
  maxMaxNorm: 100,
  /** The largest dropout rate a layer (or the input) may have. */
  maxDropout: 0.8,
  /** Beyond this many weights a run would need more memory than a browser tab can count on. */
  maxParams: 20_000_000,
} as const;

/** Keras's default learning rate for each optimizer (used when the URL gives none). */
export const DEFAULT_LR: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  rmsprop: 0.001,
};

/** The article's setup: one hidden layer of 32 sigmoid units, SGD 0.01, 5 epochs, batch 128. */
export const DEFAULT_CONFIG: TrainConfig = {
  layers: [{ units: 32, activation: 'sigmoid' }],
  epochs: 5,
  batchSize: 128,
  learningRate: DEFAULT_LR.sgd,
  optimizer: 'sgd',
  validationSplit: 0.1,
  preprocessing: 'raw',
  seed: 1,
  dataset: 'mnist',
  backend: 'auto',
  subset: null,
  init: 'glorot_uniform',
  l2: 0,
  l1: 0,
  maxNorm: 0,
  inputDropout: 0,
  earlyPatience: null,
  earlyMonitor: 'val_loss',
  schedule: 'const',
  warmup: 0,
  loss: 'ce',
  augment: 'none',
};
