import { describe, expect, test } from 'vitest';
import { argMax, confusionMatrix, mistakes, type TestPredictions } from '../../../../src/core/runs/metrics';

describe('confusion matrix', () => {
  const labels = [0, 1, 2, 2, 1, 0, 9, 9, 9, 3];
  const preds = [0, 7, 2, 2, 1, 6, 9, 4, 9, 3];

  test('counts[true][predicted] over 10 classes', () => {
    const m = confusionMatrix(labels, preds);
    expect(m).toHaveLength(10);
    for (const row of m) expect(row).toHaveLength(10);
    expect(m[0]).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(m[1]).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(m[2]?.[2]).toBe(2);
    expect(m[9]).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(m[3]?.[3]).toBe(1);
    expect(m[5]).toEqual(new Array(10).fill(0));
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(labels.length);
  });

  test('row sums are the label counts, and the diagonal the correct predictions', () => {
    // A bigger pseudo-random case with typed arrays, as the worker hands them over.
    const n = 5000;
    const l = new Uint8Array(n);
    const p = new Uint8Array(n);
    let s = 12345;
    const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < n; i++) {
      l[i] = Math.floor(next() * 10);
      p[i] = next() < 0.7 ? (l[i] as number) : Math.floor(next() * 10);
    }
    const m = confusionMatrix(l, p);
    for (let c = 0; c < 10; c++) {
      const rowSum = (m[c] as number[]).reduce((a, b) => a + b, 0);
      expect(rowSum).toBe(l.filter((v) => v === c).length);
      const colSum = m.reduce((a, row) => a + (row[c] as number), 0);
      expect(colSum).toBe(p.filter((v) => v === c).length);
      expect(m[c]?.[c]).toBe(l.filter((v, i) => v === c && p[i] === c).length);
    }
    const correct = m.reduce((a, row, i) => a + (row[i] as number), 0);
    expect(correct).toBe(l.filter((v, i) => v === p[i]).length);
    expect(correct).toBeGreaterThan(n * 0.6);
  });

  test('another number of classes, and an empty set', () => {
    expect(confusionMatrix([0, 1, 1], [1, 1, 0], 2)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const empty = confusionMatrix([], []);
    expect(empty).toHaveLength(10);
    expect(empty.flat().every((v) => v === 0)).toBe(true);
  });

  test('labels and predictions of different lengths throw', () => {
    expect(() => confusionMatrix([1, 2, 3], [1, 2])).toThrow(/3 labels, 2 predictions/);
    expect(() => confusionMatrix([], [0])).toThrow();
  });
});

describe('mistakes', () => {
  const t: TestPredictions = {
    labels: Uint8Array.from([3, 5, 5, 7, 1, 5, 3, 8]),
    preds: Uint8Array.from([3, 3, 3, 1, 1, 6, 8, 8]),
    probs: Float32Array.from([0.99, 0.6, 0.9, 0.6, 0.8, 0.6, 0.95, 0.7]),
  };

  test('only the wrong ones, most confident first, ties by index', () => {
    const all = mistakes(t);
    expect(all.map((m) => m.index)).toEqual([6, 2, 1, 3, 5]);
    expect(all[0]).toEqual({ index: 6, label: 3, pred: 8, prob: Math.fround(0.95) });
    expect(all[1]).toEqual({ index: 2, label: 5, pred: 3, prob: Math.fround(0.9) });
    expect(all.every((m) => m.label !== m.pred)).toBe(true);
    for (let i = 1; i < all.length; i++)
      expect((all[i - 1] as { prob: number }).prob).toBeGreaterThanOrEqual((all[i] as { prob: number }).prob);
  });

  test('a cell keeps only one true label and one predicted class', () => {
    expect(mistakes(t, { label: 5, pred: 3 }).map((m) => m.index)).toEqual([2, 1]);
    expect(mistakes(t, { label: 7, pred: 1 })).toEqual([{ index: 3, label: 7, pred: 1, prob: Math.fround(0.6) }]);
    expect(mistakes(t, { label: 5, pred: 8 })).toEqual([]);
    // The diagonal holds no mistakes even though it holds images.
    expect(mistakes(t, { label: 3, pred: 3 })).toEqual([]);
  });

  test('none when every prediction is right', () => {
    expect(
      mistakes({
        labels: Uint8Array.from([1, 2]),
        preds: Uint8Array.from([1, 2]),
        probs: Float32Array.from([0.5, 0.5]),
      }),
    ).toEqual([]);
  });
});

describe('argMax', () => {
  test('the index of the largest value', () => {
    expect(argMax([0.1, 0.7, 0.2])).toBe(1);
    expect(argMax(Float32Array.from([-3, -1, -2]))).toBe(1);
    expect(argMax([5])).toBe(0);
    expect(argMax([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
  });

  test('the first on ties, -1 when empty', () => {
    expect(argMax([0.2, 0.4, 0.4, 0.1])).toBe(1);
    expect(argMax([0, 0, 0])).toBe(0);
    expect(argMax([])).toBe(-1);
    expect(argMax(new Float32Array(0))).toBe(-1);
  });
});
