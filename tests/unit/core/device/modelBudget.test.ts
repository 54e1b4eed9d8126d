import { describe, expect, test } from 'vitest';
import {
  droppedText,
  formatBytes,
  keptModelBytes,
  MODEL_BUDGET,
  modelsToDrop,
  storageText,
} from '../../../../src/core/device/modelBudget';

const model = (id: string, startedAt: number, bytes = 1000) => ({ id, startedAt, bytes });

describe('item 12: kept models have a storage budget', () => {
  test('a kept model takes its float32 weights plus 42 bytes per test image', () => {
    expect(keptModelBytes(25_450)).toBe(25_450 * 4 + 10_000 * 42);
    expect(keptModelBytes(0, 0)).toBe(0);
  });

  test('within the count, nothing is dropped', () => {
    const models = Array.from({ length: 20 }, (_, i) => model(`m${i}`, i));
    expect(modelsToDrop(models, { maxModels: 20, maxBytes: 1e9 })).toEqual([]);
  });

  test('beyond the count, the oldest are dropped, whatever order they come in', () => {
    const models = [model('b', 2), model('d', 4), model('a', 1), model('c', 3)];
    expect(modelsToDrop(models, { maxModels: 2, maxBytes: 1e9 })).toEqual(['b', 'a']);
  });

  test('beyond the bytes, the oldest are dropped even when the count fits', () => {
    const models = [model('old', 1, 60), model('mid', 2, 50), model('new', 3, 40)];
    expect(modelsToDrop(models, { maxModels: 10, maxBytes: 100 })).toEqual(['old']);
  });

  test('a model that alone exceeds the bytes is dropped, and smaller older ones still fit', () => {
    const models = [model('huge', 3, 500), model('small', 2, 10)];
    expect(modelsToDrop(models, { maxModels: 10, maxBytes: 100 })).toEqual(['huge']);
  });

  test("the lab's budget holds its largest model (20 M parameters) and the newest 20", () => {
    expect(keptModelBytes(20_000_000)).toBeLessThanOrEqual(MODEL_BUDGET.maxBytes);
    expect(MODEL_BUDGET.maxModels).toBe(20);
  });

  test('the page names what was dropped, and says nothing when nothing was', () => {
    expect(droppedText([])).toBe('');
    expect(droppedText(['32 sigmoid (5 Jan, 09:30)'], { maxModels: 20, maxBytes: 250e6 })).toBe(
      'Kept models are limited to the newest 20 and 250 MB: the trained model of 32 sigmoid (5 Jan, 09:30) was dropped. Their results stay in the runs table; train again to draw with them.',
    );
    expect(droppedText(['a', 'b', 'c', 'd', 'e'])).toContain('of a, b, c and 2 more were dropped');
  });

  test.each<[number, string]>([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 kB'],
    [12_400_000, '12 MB'],
    [3_200_000, '3.2 MB'],
    [Number.NaN, '–'],
  ])('formatBytes(%s) is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  test('the storage line says what models take, what the site uses, and whether it is persistent', () => {
    expect(storageText(3, 3_200_000, 60e6, 12e9, true)).toBe(
      'Models kept: 3 (3.2 MB; the newest 20 within 250 MB are kept) · this site uses 60 MB of 12 GB here (data files included) · storage is persistent',
    );
    expect(storageText(0, 0, null, null, false)).toContain('the browser may clear this storage when space runs low');
    expect(storageText(0, 0, null, null, null)).toBe('Models kept: 0 (0 B; the newest 20 within 250 MB are kept)');
  });
});
