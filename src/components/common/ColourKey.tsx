import type { ReactNode } from 'react';
import './ColourKey.css';

type Rgb = readonly [number, number, number];

/** `n` colours of a scale `colour(t)`, t from 0 to 1, as CSS colours for a key's bar. */
export function sampleScale(colour: (t: number) => Rgb, n = 9): string[] {
  return Array.from({ length: n }, (_, i) => {
    const [r, g, b] = colour(i / (n - 1));
    return `rgb(${r} ${g} ${b})`;
  });
}

/** A colour with a name, shown as a small square before it (what a colour of a map means). */
export interface Swatch {
  readonly colour: string;
  readonly name: string;
}

/**
 * A small colour key under a map: a bar (or a few thin bars stacked, one per colour scale, left
 * to right from `low` to `high`), the values at its ends and, if given, in its middle, and the
 * colours' names. The bar is decoration; the words say what the colours mean to a screen reader.
 */
export function ColourKey({
  label,
  bars,
  low,
  mid,
  high,
  swatches = [],
  note,
  className,
  testId,
}: {
  /** What the key is of, for a screen reader ("Colour key of the gradient size: from"). */
  label: string;
  /** Each bar's colours from left to right (CSS colours). */
  bars: readonly (readonly string[])[];
  low: ReactNode;
  mid?: ReactNode;
  high: ReactNode;
  swatches?: readonly Swatch[];
  /** A line under the key (what the colours mean in words). */
  note?: ReactNode;
  /** Another class beside `colour-key`, for the key's size where it is used. */
  className?: string;
  testId?: string;
}) {
  return (
    <div className={className ? `colour-key ${className}` : 'colour-key'} data-testid={testId}>
      <span className="visually-hidden">{label}</span>
      <div className="colour-key-bars" aria-hidden="true">
        {bars.map((colours, i) => (
          <span
            key={i}
            className="colour-key-bar"
            style={{ background: `linear-gradient(to right, ${colours.join(', ')})` }}
          />
        ))}
      </div>
      <div className="colour-key-ends">
        <span>{low}</span>
        {mid !== undefined ? <span>{mid}</span> : null}
        <span>{high}</span>
      </div>
      {swatches.length > 0 ? (
        <ul className="colour-key-swatches">
          {swatches.map((s) => (
            <li key={s.name}>
              <span className="colour-key-swatch" style={{ background: s.colour }} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      {note !== undefined ? <p className="colour-key-note">{note}</p> : null}
    </div>
  );
}
