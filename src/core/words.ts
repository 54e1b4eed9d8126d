/** Small pieces of wording the lab's sentences share: lists and signed numbers. Pure. */

/** "a", "a and b", "a, b and c". */
export function listText(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1) as string}`;
}

/** "a", "a or b", "a, b or c". */
export function orListText(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1) as string}`;
}

/** "+0.0100", "−0.3950" (a true minus sign), to `digits` decimals. */
export function signedFixed(x: number, digits = 4): string {
  // The sign of the number as written: −0.00004 to four decimals is +0.0000, not −0.0000.
  return `${Number(x.toFixed(digits)) < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;
}

/**
 * A message that quotes what a file or a link held, made safe to show: any run of more than 80
 * characters without a space is cut to 80, and the whole to `total` (a 3 MB layer name must not
 * fill the status line).
 */
export function capQuotes(text: string, total = 600): string {
  const s = text.replace(/\S{81,}/g, (w) => `${w.slice(0, 79)}…`);
  return s.length > total ? `${s.slice(0, total - 1)}…` : s;
}

/**
 * A value read from a file or from storage, as a message quotes it: strings in quotes, anything
 * else as JSON, at most `max` characters. Never throws: a value nested too deep for JSON, a
 * BigInt or a cycle (storage can hold those) is named by its kind.
 */
export function quoteValue(x: unknown, max = 40): string {
  let s: string;
  try {
    s = typeof x === 'string' ? `"${x.slice(0, max + 2)}"` : (JSON.stringify(x) ?? String(x));
  } catch {
    s = Array.isArray(x) ? '[a list too deep to show]' : `[${typeof x}]`;
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
