import { ACTIVATION_INFO } from '../../core/network/activations';
import type { Activation } from '../../core/network/spec';
import { ColourKey, sampleScale, type Swatch } from '../common/ColourKey';
import { CLIPPED_RGB, DEAD_RGB, NONE_RGB, SATURATED_RGB, sequential, share } from './colors';

/** The decades the log maps span: 10^lo (darkest) to 10^hi (brightest). */
export const LOG_RANGES = {
  grad: [-5, -1],
  update: [-6, -2],
} as const satisfies Record<string, readonly [number, number]>;

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10 to a whole power, as text: `decade(-5)` is "10⁻⁵". */
export const decade = (k: number) => `10${[...String(k)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;

const SEQUENTIAL = sampleScale(sequential);
const css = ([r, g, b]: readonly [number, number, number]) => `rgb(${r} ${g} ${b})`;

/** The key of a log map (gradient size, step ÷ weights): its colours and the decades at its ends and middle. */
export function LogKey({ metric, title }: { metric: keyof typeof LOG_RANGES; title: string }) {
  const [lo, hi] = LOG_RANGES[metric];
  return (
    <ColourKey
      label={`Colour key of ${title}, on a log scale:`}
      bars={[SEQUENTIAL]}
      low={decade(lo)}
      mid={decade((lo + hi) / 2)}
      high={decade(hi)}
      testId={`health-key-${metric}`}
    />
  );
}

/**
 * The key of the saturated · dead map: white (none) to a strong colour (all), one colour per kind
 * of share the network's layers show (saturated sigmoid or tanh units, dead ReLU units, the output
 * row's confidently wrong share of the batch), grey where a linear layer has nothing to count.
 */
export function ShareKey({ activations }: { activations: readonly Activation[] }) {
  const limits = new Set(activations.map((a) => ACTIVATION_INFO[a].limit));
  const kinds = [
    ...(limits.has('saturates') ? [{ rgb: SATURATED_RGB, name: 'saturated' }] : []),
    ...(limits.has('dies') ? [{ rgb: DEAD_RGB, name: 'dead' }] : []),
    { rgb: CLIPPED_RGB, name: 'confidently wrong (output)' },
  ];
  const swatches: Swatch[] = kinds.map((k) => ({ colour: css(k.rgb), name: k.name }));
  if (limits.has(null)) swatches.push({ colour: css(NONE_RGB), name: 'not counted (linear)' });
  return (
    <ColourKey
      label="Colour key of the saturated or dead share:"
      bars={kinds.map((k) => sampleScale((t) => share(t, k.rgb), 3))}
      low="0 %"
      high="100 %"
      swatches={swatches}
      testId="health-key-share"
    />
  );
}
