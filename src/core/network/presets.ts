/** Ready-made configs and setups the page offers with one click. */
import { DEFAULT_CONFIG, DEFAULT_LR, type TrainConfig } from './spec';

/**
 * A small network that reads hand-drawn digits well and trains in about half a minute on a
 * software GPU: 128 ReLU units on scaled inputs with Adam, 3 epochs on all 60,000 images.
 */
export function quickDrawConfig(seed: number): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    layers: [{ units: 128, activation: 'relu' }],
    preprocessing: 'scaled',
    optimizer: 'adam',
    learningRate: 0.001,
    epochs: 3,
    batchSize: 128,
    seed,
  };
}

/** The two setups the switch at the top offers; 'custom' is anything else. */
export type Setup = 'article' | 'learns-well' | 'custom';

/**
 * The article's setup for the same layer widths: sigmoid units, raw 0..255 inputs, plain SGD at
 * 0.01, batch 128, Glorot-uniform kernels. Widths, epochs, dataset, seed and the rest are kept.
 */
export function articleSetup(config: TrainConfig): TrainConfig {
  return {
    ...config,
    layers: config.layers.map((l) => ({ units: l.units, activation: 'sigmoid' })),
    preprocessing: 'raw',
    optimizer: 'sgd',
    learningRate: DEFAULT_LR.sgd,
    batchSize: 128,
    init: 'glorot_uniform',
    l2: 0,
    l1: 0,
    maxNorm: 0,
    inputDropout: 0,
    earlyPatience: null,
    schedule: 'const',
    warmup: 0,
    loss: 'ce',
    augment: 'none',
  };
}

/** A setup that learns well at any depth: ReLU units, inputs scaled to 0..1, Adam at 0.001, batch 128. */
export function learnsWellSetup(config: TrainConfig): TrainConfig {
  return {
    ...config,
    layers: config.layers.map((l) => ({ ...l, activation: 'relu' })),
    preprocessing: 'scaled',
    optimizer: 'adam',
    learningRate: DEFAULT_LR.adam,
    batchSize: 128,
  };
}

const sameSetup = (a: TrainConfig, b: TrainConfig) =>
  a.preprocessing === b.preprocessing &&
  a.optimizer === b.optimizer &&
  a.learningRate === b.learningRate &&
  a.batchSize === b.batchSize &&
  a.init === b.init &&
  a.l2 === b.l2 &&
  a.l1 === b.l1 &&
  a.maxNorm === b.maxNorm &&
  a.inputDropout === b.inputDropout &&
  a.earlyPatience === b.earlyPatience &&
  a.schedule === b.schedule &&
  a.warmup === b.warmup &&
  a.loss === b.loss &&
  a.augment === b.augment &&
  a.layers.every(
    (l, i) =>
      l.activation === b.layers[i]?.activation &&
      (l.dropout ?? 0) === (b.layers[i]?.dropout ?? 0) &&
      (l.batchNorm ?? false) === (b.layers[i]?.batchNorm ?? false),
  );

/** Which of the two setups `config` is in (a network without hidden layers matches on the rest). */
export function whichSetup(config: TrainConfig): Setup {
  if (sameSetup(config, articleSetup(config))) return 'article';
  if (sameSetup(config, learnsWellSetup(config))) return 'learns-well';
  return 'custom';
}
