/**
 * Edits of a training config, as pure functions: every result is a valid config (widths, layer
 * count and settings clamped to LIMITS), so the controls can never produce a config the URL codec
 * would reject.
 */
import { totalParams } from './params';
import { takesWarmup } from './schedule';
import {
  DEFAULT_LR,
  DEFAULT_PATIENCE,
  LIMITS,
  type Activation,
  type HiddenLayer,
  type OptimizerName,
  type ScheduleName,
  type TrainConfig,
} from './spec';

/** Slider stops for a layer width: powers of two with finer steps between, 1..4096. */
export const WIDTH_STOPS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024,
  1280, 1536, 2048, 2560, 3072, 4096,
];

/** Index of the slider stop nearest to `units`. */
export function widthToStop(units: number): number {
  let best = 0;
  WIDTH_STOPS.forEach((w, i) => {
    if (Math.abs(Math.log(w) - Math.log(units)) < Math.abs(Math.log(WIDTH_STOPS[best] as number) - Math.log(units)))
      best = i;
  });
  return best;
}

export function stopToWidth(stop: number): number {
  return WIDTH_STOPS[Math.min(WIDTH_STOPS.length - 1, Math.max(0, Math.round(stop)))] as number;
}

function clampWidth(units: number): number {
  if (!Number.isFinite(units)) return LIMITS.minWidth;
  return Math.min(LIMITS.maxWidth, Math.max(LIMITS.minWidth, Math.round(units)));
}

/** The config with new layers, unless they would exceed the parameter cap (then unchanged). */
function withLayers(config: TrainConfig, layers: HiddenLayer[]): TrainConfig {
  if (layers.length > LIMITS.maxLayers || totalParams(layers) > LIMITS.maxParams) return config;
  return { ...config, layers };
}

/** Appends a hidden layer like the last one (or 32 sigmoid units). */
export function addLayer(config: TrainConfig): TrainConfig {
  const last = config.layers.at(-1) ?? { units: 32, activation: 'sigmoid' as Activation };
  return withLayers(config, [...config.layers, { ...last }]);
}

export function removeLayer(config: TrainConfig, index: number): TrainConfig {
  return withLayers(
    config,
    config.layers.filter((_, i) => i !== index),
  );
}

/** Moves layer `index` one place towards the input (-1) or the output (+1). */
export function moveLayer(config: TrainConfig, index: number, direction: -1 | 1): TrainConfig {
  const to = index + direction;
  if (to < 0 || to >= config.layers.length) return config;
  const layers = [...config.layers];
  [layers[index], layers[to]] = [layers[to] as HiddenLayer, layers[index] as HiddenLayer];
  return withLayers(config, layers);
}

/** Sets a layer's width, clamped to 1..4096; a width that would pass the parameter cap is refused. */
export function setWidth(config: TrainConfig, index: number, units: number): TrainConfig {
  return withLayers(
    config,
    config.layers.map((l, i) => (i === index ? { ...l, units: clampWidth(units) } : l)),
  );
}

export function setActivation(config: TrainConfig, index: number, activation: Activation): TrainConfig {
  return { ...config, layers: config.layers.map((l, i) => (i === index ? { ...l, activation } : l)) };
}

/** Changes the learning-rate schedule; one that takes no warm-up drops it. */
export function setSchedule(config: TrainConfig, schedule: ScheduleName): TrainConfig {
  return { ...config, schedule, warmup: takesWarmup(schedule) ? config.warmup : 0 };
}

/** Changes the optimizer; a learning rate still at the old optimizer's default follows to the new one's. */
export function setOptimizer(config: TrainConfig, optimizer: OptimizerName): TrainConfig {
  const learningRate =
    config.learningRate === DEFAULT_LR[config.optimizer] ? DEFAULT_LR[optimizer] : config.learningRate;
  return { ...config, optimizer, learningRate };
}

const clamp = (v: number, lo: number, hi: number, fallback: number) =>
  Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;

/** Numeric settings, each clamped to its limits (integers rounded). */
export function setNumber(
  config: TrainConfig,
  key:
    | 'epochs'
    | 'batchSize'
    | 'learningRate'
    | 'validationSplit'
    | 'seed'
    | 'subset'
    | 'l2'
    | 'l1'
    | 'maxNorm'
    | 'inputDropout'
    | 'earlyPatience'
    | 'warmup',
  value: number,
): TrainConfig {
  switch (key) {
    case 'epochs': {
      const epochs = Math.round(clamp(value, LIMITS.minEpochs, LIMITS.maxEpochs, config.epochs));
      // A warm-up ends before the run's last epoch (the link would say so on every reload).
      return { ...config, epochs, warmup: Math.min(config.warmup, epochs - 1) };
    }
    case 'warmup':
      return {
        ...config,
        warmup: takesWarmup(config.schedule) ? Math.round(clamp(value, 0, config.epochs - 1, config.warmup)) : 0,
      };
    case 'batchSize':
      return { ...config, batchSize: Math.round(clamp(value, LIMITS.minBatch, LIMITS.maxBatch, config.batchSize)) };
    case 'learningRate':
      return { ...config, learningRate: clamp(value, LIMITS.minLr, LIMITS.maxLr, config.learningRate) };
    case 'validationSplit':
      return { ...config, validationSplit: clamp(value, LIMITS.minVal, LIMITS.maxVal, config.validationSplit) };
    case 'l2':
      return { ...config, l2: clamp(value, LIMITS.minL2, LIMITS.maxL2, config.l2) };
    case 'l1':
      return { ...config, l1: clamp(value, LIMITS.minL2, LIMITS.maxL2, config.l1) };
    case 'maxNorm':
      return { ...config, maxNorm: clamp(value, 0, LIMITS.maxMaxNorm, config.maxNorm) };
    case 'inputDropout':
      return { ...config, inputDropout: clamp(value, 0, LIMITS.maxDropout, config.inputDropout) };
    case 'earlyPatience':
      return {
        ...config,
        earlyPatience: Math.round(clamp(value, 0, LIMITS.maxEpochs, config.earlyPatience ?? DEFAULT_PATIENCE)),
      };
    case 'seed':
      return { ...config, seed: Math.round(clamp(value, 0, LIMITS.maxSeed, config.seed)) >>> 0 };
    case 'subset':
      return {
        ...config,
        subset:
          value >= LIMITS.maxSubset || !Number.isFinite(value)
            ? null
            : Math.round(clamp(value, LIMITS.minSubset, LIMITS.maxSubset, LIMITS.maxSubset)),
      };
  }
}
