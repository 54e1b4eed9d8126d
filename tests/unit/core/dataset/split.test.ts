import { describe, expect, test } from 'vitest';
import { mulberry32, shuffledIndices } from '../../../../src/core/network/rng';
import { batchBounds, kerasSplit } from '../../../../src/core/dataset/split';

describe("Keras's validation split and batching", () => {
  test('60,000 images, split 0.1, batch 128: the last 6,000 are held out, 422 batches, the last of 112', () => {
    const plan = kerasSplit(60000, 0.1, 128);
    expect(plan).toEqual({ trainCount: 54000, valCount: 6000, batchesPerEpoch: 422, lastBatchSize: 112 });
    expect(batchBounds(plan, 128, 0)).toEqual([0, 128]);
    expect(batchBounds(plan, 128, 421)).toEqual([53888, 54000]);
  });

  test('the split applies within a subset, and floor() matches int() in Keras', () => {
    expect(kerasSplit(3000, 0.1, 128)).toMatchObject({ trainCount: 2700, valCount: 300, batchesPerEpoch: 22 });
    expect(kerasSplit(1001, 0.1, 100)).toMatchObject({ trainCount: 900, valCount: 101 });
    expect(kerasSplit(256, 0, 128)).toEqual({ trainCount: 256, valCount: 0, batchesPerEpoch: 2, lastBatchSize: 128 });
  });

  test('impossible plans are refused with a reason', () => {
    expect(() => kerasSplit(0, 0.1, 128)).toThrow(/sample count/);
    expect(() => kerasSplit(100, 1, 128)).toThrow(/validation split/);
    expect(() => kerasSplit(100, -0.1, 128)).toThrow(/validation split/);
    expect(() => kerasSplit(1, 0.5, 128)).toThrow(/no training samples left out of 1/);
    expect(() => kerasSplit(100, 0.1, 0)).toThrow(/batch size/);
  });

  test('shuffling is a permutation, repeatable from the seed, and differs between epochs', () => {
    const rng = mulberry32(7);
    const a = Array.from(shuffledIndices(1000, rng));
    const b = Array.from(shuffledIndices(1000, rng));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).not.toEqual(b);
    expect(Array.from(shuffledIndices(1000, mulberry32(7)))).toEqual(a);
  });
});
