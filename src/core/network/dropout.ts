/**
 * Dropout as Keras applies it (`keras.layers.Dropout(rate)`, inverted dropout): while training,
 * each value is zeroed with probability `rate` and the others are scaled by 1 / (1 − rate), so
 * that the expected value is kept; at test, and for a drawn digit, nothing happens. The lab draws
 * its masks from the run's seed (a stream of its own), so a run is repeatable and the same on
 * every backend; Keras draws its own, so masks differ from Keras's but follow the same law.
 */
import { LIMITS, type HiddenLayer, type TrainConfig } from './spec';

/** A layer's dropout rate (0: none). */
export const layerDropout = (l: HiddenLayer): number => l.dropout ?? 0;

/** Whether a run drops anything: the input or any hidden layer's outputs. */
export const hasDropout = (c: Pick<TrainConfig, 'layers' | 'inputDropout'>): boolean =>
  c.inputDropout > 0 || c.layers.some((l) => layerDropout(l) > 0);

/** A rate clamped to [0, LIMITS.maxDropout]; not a number gives `fallback`. */
export function clampDropout(rate: number, fallback = 0): number {
  if (!Number.isFinite(rate)) return fallback;
  return Math.min(LIMITS.maxDropout, Math.max(0, rate));
}

/** The layer with dropout `rate` (the field left out when 0, as a layer without dropout has it). */
export function withDropout(l: HiddenLayer, rate: number): HiddenLayer {
  const r = clampDropout(rate, layerDropout(l));
  const rest: HiddenLayer = { units: l.units, activation: l.activation };
  return r > 0 ? { ...rest, dropout: r } : rest;
}

/** The config with dropout `rate` after every hidden layer (index null) or after layer `index`. */
export function setDropout(config: TrainConfig, rate: number, index: number | null = null): TrainConfig {
  return {
    ...config,
    layers: config.layers.map((l, i) => (index === null || i === index ? withDropout(l, rate) : l)),
  };
}

/** One rate when every layer has it, else one per layer; null when none has dropout (the URL's `dropout`). */
export function encodeDropouts(layers: readonly HiddenLayer[]): string | null {
  const rates = layers.map(layerDropout);
  if (rates.every((r) => r === 0)) return null;
  return rates.every((r) => r === rates[0]) ? String(rates[0]) : rates.join(',');
}

/** How each hidden layer's dropout reads, e.g. "dropout 0.5" or "dropout 0.5, 0, 0.2"; '' when none. */
export function describeDropout(c: Pick<TrainConfig, 'layers' | 'inputDropout'>): string {
  const hidden = encodeDropouts(c.layers);
  return [
    c.inputDropout > 0 ? `input dropout ${c.inputDropout}` : '',
    hidden === null ? '' : `dropout ${hidden.replace(/,/g, ', ')}`,
  ]
    .filter((s) => s !== '')
    .join(' · ');
}

/**
 * Fills out[0, count) with an inverted-dropout mask: 0 with probability `rate` (rng() < rate),
 * else 1 / (1 − rate). `rng` gives uniform numbers in [0, 1).
 */
export function fillDropoutMask(rate: number, rng: () => number, out: Float32Array, count = out.length): Float32Array {
  const keep = 1 / (1 - rate);
  for (let i = 0; i < count; i++) out[i] = rng() < rate ? 0 : keep;
  return out;
}
