// The Keras reference the experiment tables show (src/core/experiments/kerasReference.json, written by
// keras/reference.py): real Keras on the lab's own MNIST files, 5 seeds for every config of the
// article's experiments.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EXPERIMENTS } from '../../../../src/core/experiments/experiments';
import {
  KERAS_DATA,
  KERAS_MEASURED_WITH,
  kerasBand,
  outsideBand,
} from '../../../../src/core/experiments/kerasReference';

describe('the Keras reference', () => {
  test('was trained on the lab\u2019s own MNIST files (the SHA-256 the data manifest lists)', () => {
    const manifest = JSON.parse(readFileSync('public/data/mnist/manifest.json', 'utf8')) as {
      files: { name: string; sha256: string }[];
    };
    expect(Object.fromEntries(manifest.files.map((f) => [f.name, f.sha256]))).toEqual(KERAS_DATA);
  });

  test('holds 5 seeds for every config of the article\u2019s experiments, with their summary', () => {
    expect(KERAS_MEASURED_WITH).toMatch(/^Keras 3\.\d+\.\d+ on jax \d/);
    for (const e of EXPERIMENTS) {
      for (const c of e.configs) {
        const band = kerasBand(e.id, c.key);
        expect(band?.seeds, `${e.id} ${c.key}`).toEqual([1, 2, 3, 4, 5]);
        const values = band?.values ?? [];
        expect(values.every((v) => v > 0 && v < 1 && Math.abs(v * 10000 - Math.round(v * 10000)) < 1e-6)).toBe(true);
        expect(band?.min).toBe(Math.min(...values));
        expect(band?.max).toBe(Math.max(...values));
        expect(band?.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
      }
    }
  });

  test('a config two experiments share has one set of numbers (trained once per seed)', () => {
    expect(kerasBand('first', 'w32d1')).toEqual(kerasBand('depth', 'w32d1'));
    expect(kerasBand('width', 'w32d1')?.values).toEqual(kerasBand('depth', 'w32d1')?.values);
  });

  test('the article\u2019s shape holds in Keras: depth hurts at 5 epochs, 4×32 is chance on every seed, width helps', () => {
    const depth = [1, 2, 3, 4].map((d) => kerasBand('depth', `w32d${d}`)?.mean ?? NaN);
    expect(depth).toEqual([...depth].sort((a, b) => b - a));
    expect(kerasBand('depth', 'w32d4')?.values).toEqual([0.1135, 0.1135, 0.1135, 0.1135, 0.1135]);
    expect(kerasBand('depth40', 'w32d3')?.mean).toBeGreaterThan(0.85);
    expect(kerasBand('width', 'w2048d1')?.mean).toBeGreaterThan(kerasBand('width', 'w32d1')?.mean ?? 1);
  });

  test('outsideBand: only an interval of two seeds or more wholly outside the range', () => {
    const band = { seeds: [1, 2, 3, 4, 5], values: [], mean: 0.887, sd: 0.004, min: 0.88, max: 0.89 };
    expect(outsideBand({ n: 3, low: 0.85, high: 0.879 }, band)).toBe(true);
    expect(outsideBand({ n: 3, low: 0.891, high: 0.9 }, band)).toBe(true);
    expect(outsideBand({ n: 3, low: 0.87, high: 0.881 }, band)).toBe(false);
    expect(outsideBand({ n: 1, low: NaN, high: NaN }, band)).toBe(false);
    expect(outsideBand({ n: 3, low: 0.1, high: 0.2 }, null)).toBe(false);
  });
});
