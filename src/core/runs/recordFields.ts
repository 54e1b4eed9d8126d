/** Reading a stored record field by field: results, and the checks every field uses. */
import { quoteValue } from '../words';

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const ok = <T>(value: T): Read<T> => ({ ok: true, value });
export const fail = <T>(reason: string): Read<T> => ({ ok: false, reason });

/** A plain JSON object (not an array, not null). */ export const isObject = (
  x: unknown,
): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isNumOrNull = (x: unknown): x is number | null => x === null || isNum(x);
/** A loss may be NaN or Infinity in a run that diverged: still a number. */
export const isLoss = (x: unknown): x is number => typeof x === 'number';
/** 2100-01-01 in ms: no run starts later (a Date would go up to year 275760). */
export const LATEST = Date.UTC(2100, 0, 1);
/** An accuracy: a share of images, 0..1. */
export const isShare = (x: number) => x >= 0 && x <= 1;

export const show = (x: unknown): string => quoteValue(x);

export function inRange(x: unknown, label: string, min: number, max: number, integer: boolean): string | null {
  if (!isNum(x)) return `${label} is ${show(x)}, not a number`;
  if (integer && !Number.isInteger(x)) return `${label} ${x} is not a whole number`;
  if (x < min || x > max) return `${label} ${x} is outside ${min}..${max}`;
  return null;
}

export function oneOf<T extends string>(x: unknown, label: string, allowed: readonly T[]): string | null {
  return typeof x === 'string' && (allowed as readonly string[]).includes(x)
    ? null
    : `${label} ${show(x)} is not one of ${allowed.join(', ')}`;
}
