import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AffineStream, warpImage } from '../../../src/core/dataset/augment';
import { displaceImage, displacements, NoiseStream } from '../../../src/core/dataset/elastic';
import { deriveSeed } from '../../../src/core/network/rng';
import { DEFAULT_CONFIG, INPUT_SIZE } from '../../../src/core/network/spec';
import { Augmenter } from '../../../src/ml/augment';
import { loadMnist } from '../helpers';

setWasmPaths(
  join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/',
);

// The device's warp of a batch is core's warpImage of each image with the run's draws, on the CPU
// backend (whose own batched kernel blanks every image but the first) and on WASM.
describe.each(['cpu', 'wasm'])('augmentation on %s', (backend) => {
  test("each image of two batches is warped by the run's next draws, as warpImage warps it; the padding stays zero", async () => {
    await tf.setBackend(backend);
    const { images } = loadMnist('train', 12);
    const config = { ...DEFAULT_CONFIG, augment: 'affine' as const, seed: 5 };
    const aug = Augmenter.of(config);
    if (!aug) throw new Error('no augmenter');
    const draws = new AffineStream(deriveSeed(5, 3));
    const before = tf.memory().numTensors;
    for (const size of [5, 7]) {
      const rows = Float32Array.from(images.subarray(0, size * INPUT_SIZE), (b) => b / 255);
      const out = tf.tidy(() => {
        const x = tf.pad(tf.tensor2d(rows, [size, INPUT_SIZE]), [
          [0, 0],
          [0, 2],
        ]);
        return aug.apply(x).arraySync() as number[][];
      });
      const t = draws.fill(size);
      out.forEach((row, i) => {
        expect(row).toHaveLength(INPUT_SIZE + 2);
        expect(row.slice(INPUT_SIZE)).toEqual([0, 0]);
        const want = warpImage(rows.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), t.subarray(i * 8, i * 8 + 8));
        // Ink moved: the warp did something (a draw of all zeros is not 1 in 10⁹).
        expect(row.slice(0, INPUT_SIZE).some((v, j) => Math.abs(v - (rows[i * INPUT_SIZE + j] as number)) > 0.1)).toBe(
          true,
        );
        row.slice(0, INPUT_SIZE).forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Augmenter.of(DEFAULT_CONFIG)).toBeNull();
  });

  test("elastic distortions: each image of a batch is displaced by the run's next noise, smoothed, as displaceImage does", async () => {
    await tf.setBackend(backend);
    const { images } = loadMnist('train', 6);
    const aug = Augmenter.of({ ...DEFAULT_CONFIG, augment: 'elastic', seed: 9 });
    if (!aug) throw new Error('no augmenter');
    const noise = new NoiseStream(deriveSeed(9, 3));
    const before = tf.memory().numTensors;
    const rows = Float32Array.from(images.subarray(0, 6 * INPUT_SIZE));
    const out = tf.tidy(() => aug.apply(tf.tensor2d(rows, [6, INPUT_SIZE])).arraySync() as number[][]);
    const n = noise.fill(6);
    let moved = 0;
    out.forEach((row, i) => {
      const { dx, dy } = displacements(n.subarray(i * 2 * INPUT_SIZE, (i + 1) * 2 * INPUT_SIZE));
      moved += dx.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const want = displaceImage(rows.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), dx, dy);
      // Raw pixels 0..255: within a thousandth of a grey level.
      row.forEach((v, j) => expect(Math.abs(v - (want[j] as number)), `image ${i}, pixel ${j}`).toBeLessThan(1e-3));
    });
    // The fields move pixels by more than one place somewhere (σ 4, α 34).
    expect(moved / 6).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
