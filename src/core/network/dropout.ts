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
  const rest: HiddenLayer = { ...l };
  delete (rest as { dropout?: number }).dropout;
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
 * The random numbers of a run's masks: mulberry32's generator (core/network/rng.ts) inlined, each
 * 32-bit draw giving two 16-bit uniform numbers (its low half first). Inlined and branch-free it
 * fills a [128 × 2048] mask in about half a millisecond, where a call of the generator per value
 * took over five: the step of a network of 2048 units takes about 30.
 */
export class MaskStream {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * Fills out[0, count) with an inverted-dropout mask: 0 where the value's 16-bit number is below
   * round(rate × 65536) (dropped with probability `rate`, to within 2⁻¹⁷), else 1 / (1 − rate).
   */
  fill(rate: number, out: Float32Array, count = out.length): Float32Array {
    const keep = 1 / (1 - rate);
    const threshold = Math.round(rate * 65536);
    let a = this.state;
    for (let i = 0; i < count; i += 2) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      t = (t ^ (t >>> 14)) >>> 0;
      out[i] = +((t & 0xffff) >= threshold) * keep;
      if (i + 1 < count) out[i + 1] = +(t >>> 16 >= threshold) * keep;
    }
    this.state = a >>> 0;
    return out;
  }
}
