/** Colour scales of the layer-health heat maps. */

/** A sequential scale from dark blue (0) through teal to yellow (1), viridis-like. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function sequential(t: number): [number, number, number] {
  const v = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(v));
  const f = v - i;
  const a = STOPS[i] as readonly [number, number, number];
  const b = STOPS[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) + ((b[k] as number) - (a[k] as number)) * f)) as [
    number,
    number,
    number,
  ];
}

/** Position 0..1 of a positive value on a log scale from 10^lo to 10^hi (0 and below: 0). */
export function logPosition(v: number, lo: number, hi: number): number {
  if (!(v > 0)) return 0;
  return Math.max(0, Math.min(1, (Math.log10(v) - lo) / (hi - lo)));
}

/** White (0) to a strong colour (1), for shares. */
export function share(t: number, [r, g, b]: readonly [number, number, number]): [number, number, number] {
  const v = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  return [Math.round(255 + (r - 255) * v), Math.round(255 + (g - 255) * v), Math.round(255 + (b - 255) * v)];
}

export const SATURATED_RGB = [185, 28, 28] as const;
export const DEAD_RGB = [88, 28, 135] as const;
export const CLIPPED_RGB = [194, 65, 12] as const;
export const NONE_RGB = [226, 232, 240] as const;
export const BLANK_RGB = [248, 250, 252] as const;
