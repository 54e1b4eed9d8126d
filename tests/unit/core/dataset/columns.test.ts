import { describe, expect, test } from 'vitest';
import { batchColumns, type BatchColumns, type ColumnOptions } from '../../../../src/core/dataset/columns';
import { loadMnist } from '../../helpers';

const SMALL: ColumnOptions = { width: 16, paddedWidth: 18, padIndex: 16, bucket: 4 };

/** Row-major images of SMALL.width pixels, each given by the indices of its non-zero pixels. */
function images(...nonZero: number[][]): Uint8Array {
  const out = new Uint8Array(nonZero.length * SMALL.width);
  nonZero.forEach((pixels, row) => pixels.forEach((k, i) => (out[row * SMALL.width + k] = 1 + ((i * 37) % 255))));
  return out;
}

/** The expected `inv` for used columns `used` (ascending) and `cols.length` = size. */
function expectedInv(used: number[], size: number, paddedWidth: number): number[] {
  const inv = Array.from({ length: paddedWidth }, () => size);
  used.forEach((k, j) => (inv[k] = j));
  return inv;
}

function columns(imgs: Uint8Array, rows: ArrayLike<number>, opts: ColumnOptions = SMALL): BatchColumns {
  const result = batchColumns(imgs, rows, opts);
  expect(result).not.toBeNull();
  return result as BatchColumns;
}

describe('batchColumns', () => {
  test('the used columns are the non-zero pixels of the listed rows, ascending, padded to the bucket', () => {
    const imgs = images([3, 0, 9], [9, 12], [5]);
    const { cols, inv } = columns(imgs, [0, 1, 2]);
    // Used: 0, 3, 5, 9, 12 (five) -> padded to eight with the pad column 16.
    expect(Array.from(cols)).toEqual([0, 3, 5, 9, 12, 16, 16, 16]);
    expect(cols).toBeInstanceOf(Int32Array);
    expect(inv).toBeInstanceOf(Int32Array);
    expect(Array.from(inv)).toEqual(expectedInv([0, 3, 5, 9, 12], 8, 18));
  });

  test('inv maps each used pixel to its position in cols, everything else to cols.length', () => {
    const { cols, inv } = columns(images([1, 2, 15], [7]), [0, 1]);
    expect(inv.length).toBe(SMALL.paddedWidth);
    for (let k = 0; k < SMALL.width; k++) {
      const j = inv[k] as number;
      if (j < cols.length) expect(cols[j]).toBe(k);
      else expect(j).toBe(cols.length);
    }
    expect(inv[16]).toBe(cols.length);
    expect(inv[17]).toBe(cols.length);
    expect([1, 2, 7, 15].map((k) => inv[k])).toEqual([0, 1, 2, 3]);
    // Exactly a bucket used: no padding.
    expect(Array.from(cols)).toEqual([1, 2, 7, 15]);
  });

  test('rows not listed do not contribute, and rows may come in any order', () => {
    const imgs = images([0, 1], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], [14]);
    const { cols, inv } = columns(imgs, [2, 0]);
    expect(Array.from(cols)).toEqual([0, 1, 14, 16]);
    expect(Array.from(inv)).toEqual(expectedInv([0, 1, 14], 4, 18));
    expect(Array.from(columns(imgs, Int32Array.from([0, 2])).cols)).toEqual([0, 1, 14, 16]);
    expect(Array.from(columns(imgs, [1]).cols)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  test('a pixel used by several rows is listed once', () => {
    const { cols } = columns(images([4, 6], [4, 6], [6]), [0, 1, 2]);
    expect(Array.from(cols)).toEqual([4, 6, 16, 16]);
  });

  test('all-black rows give one bucket of padding, every pixel mapped to unused', () => {
    const { cols, inv } = columns(images([], []), [0, 1]);
    expect(Array.from(cols)).toEqual([16, 16, 16, 16]);
    expect(Array.from(inv)).toEqual(Array.from({ length: 18 }, () => 4));
  });

  test('returns null when the padded count would reach the width', () => {
    const twelve = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    // 12 used -> 12 columns < 16: still worth compacting.
    expect(columns(images(twelve), [0]).cols.length).toBe(12);
    // 13 used -> padded to 16 = width: not worth it.
    expect(batchColumns(images([...twelve, 12]), [0], SMALL)).toBeNull();
    expect(batchColumns(images(twelve, [15]), [0, 1], SMALL)).toBeNull();
    // A bucket as wide as the image never pays.
    expect(batchColumns(images([0]), [0], { ...SMALL, bucket: 16 })).toBeNull();
  });

  test('a dirty scratch buffer does not leak into the result', () => {
    const scratch = new Uint8Array(SMALL.width).fill(1);
    const result = batchColumns(images([2, 5]), [0], SMALL, scratch);
    expect(result).not.toBeNull();
    expect(Array.from((result as BatchColumns).cols)).toEqual([2, 5, 16, 16]);
  });

  test('the first 128 MNIST training images use 400 to 700 of the 784 pixels', () => {
    const { images: mnist } = loadMnist('train', 128);
    const opts: ColumnOptions = { width: 784, paddedWidth: 786, padIndex: 784, bucket: 32 };
    const rows = Array.from({ length: 128 }, (_, i) => i);
    const { cols, inv } = columns(mnist, rows, opts);

    const used: number[] = [];
    for (let k = 0; k < 784; k++) if (rows.some((r) => mnist[r * 784 + k] !== 0)) used.push(k);
    expect(used.length).toBeGreaterThanOrEqual(400);
    expect(used.length).toBeLessThanOrEqual(700);

    const size = Math.ceil(used.length / 32) * 32;
    expect(cols.length).toBe(size);
    expect(Array.from(cols)).toEqual([...used, ...Array.from({ length: size - used.length }, () => 784)]);
    expect(Array.from(inv)).toEqual(expectedInv(used, size, 786));
    // Pixel 0 (a corner) is black in every MNIST image.
    expect(inv[0]).toBe(size);
  });
});
