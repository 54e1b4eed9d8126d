/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for weight init and shuffling.
 * Same seed, same sequence, on every backend and browser.
 */
export type Rng = () => number;

/** Returns a generator of floats in [0, 1) from an unsigned 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream for one purpose (init, shuffling) from a run's seed. */
export function deriveSeed(seed: number, stream: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
}

/** A random unsigned 32-bit seed for a new run. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

/** Fisher-Yates shuffle of `0..n-1` in place into `out` (length n). */
export function shuffledIndices(n: number, rng: Rng, out: Int32Array = new Int32Array(n)): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}

/** `count` distinct indices of `0..n-1` in random order (Floyd's algorithm: O(count), not O(n)). */
export function sampleIndices(n: number, count: number, rng: Rng): number[] {
  const k = Math.max(0, Math.min(count, n));
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rng() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  // Floyd's set is uniform but its insertion order is not; shuffle for display.
  const out = [...chosen];
  for (let i = out.length - 1; i > 0; i--) {
    const r = Math.floor(rng() * (i + 1));
    [out[i], out[r]] = [out[r] as number, out[i] as number];
  }
  return out;
}
