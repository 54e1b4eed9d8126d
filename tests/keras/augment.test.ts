// The affine augmentation and elastic distortions against real Keras 3 (issue 22): the lab's Keras
// script carries the lab's laws (affine_transforms; elastic_fields and elastic_warp) and a layer
// that distorts each training image with one (augment_layer with affine_batch or elastic_batch).
// From the same uniform numbers, its transforms are the lab's (core/dataset/augment.ts) and
// Keras's own ops.image.affine_transform warps real MNIST images as the lab's warp does; from the
// same noise, its fields and map_coordinates bend them as the lab's do (core/dataset/elastic.ts);
// the layer changes images while training and none at test. (Keras draws its own numbers, so a
// run's draws differ: the law is the same.) Skipped, saying why, where Keras is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { kerasScript } from '../../src/core/interchange/kerasScript';
import { affineDraw, affineTransform, warpImage } from '../../src/core/dataset/augment';
import { displaceImage, displacements } from '../../src/core/dataset/elastic';
import { mulberry32 } from '../../src/core/network/rng';
import { DEFAULT_CONFIG, INPUT_SIZE } from '../../src/core/network/spec';
import { loadMnist } from '../unit/helpers';
import { findKeras, KERAS_ENV } from './python';

const keras = findKeras();
type Out = {
  transforms: number[][];
  warped: number[][];
  test: number[][];
  train: number[][];
  fields: number[][];
  bent: number[][];
  elastic_test: number[][];
  elastic_train: number[][];
};

describe.skipIf(keras.python === null)('the affine augmentation in real Keras', () => {
  const count = 16;
  const rng = mulberry32(31);
  // Uniform draws, and the extremes of the law.
  const u: [number, number, number, number][] = Array.from({ length: count }, (_, i) =>
    i === 0 ? [1, 1, 1, 1] : i === 1 ? [-1, -1, -1, -1] : [0, 1, 2, 3].map(() => 2 * rng() - 1),
  ) as [number, number, number, number][];
  // Elastic noise per image in Keras's layout [28, 28, 2] (dx, dy per pixel); the lab's is [784 dx, 784 dy].
  const noise = Array.from({ length: count }, () => Array.from({ length: 784 * 2 }, () => 2 * rng() - 1));
  const labNoise = (n: number[]) => [...n.filter((_, i) => i % 2 === 0), ...n.filter((_, i) => i % 2 === 1)];
  let images: number[][] = [];
  let out: Out;
  beforeAll(() => {
    const data = loadMnist('train', count);
    images = Array.from({ length: count }, (_, i) =>
      Array.from(data.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE), (b) => b / 255),
    );
    const dir = mkdtempSync(join(tmpdir(), 'keras-augment-'));
    const script = join(dir, 'lab.py');
    writeFileSync(script, kerasScript('augment', [{ config: { ...DEFAULT_CONFIG, augment: 'affine' }, tag: null }]));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ images, u, seed: 3, noise }));
    const r = spawnSync(
      keras.python ?? 'python3',
      [resolve('keras/augment_warp.py'), script, join(dir, 'in.json'), join(dir, 'out.json')],
      { encoding: 'utf8', env: KERAS_ENV, timeout: 300_000 },
    );
    if (r.status !== 0) throw new Error(`augment_warp.py exited ${r.status}: ${r.stderr.slice(-2000)}`);
    out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Out;
  }, 300_000);

  test("from the same uniform numbers the script's transforms are the lab's, and Keras warps each image as the lab does", () => {
    u.forEach((ui, i) => {
      const t = affineTransform(affineDraw(ui));
      t.forEach((v, j) => expect(out.transforms[i]?.[j]).toBeCloseTo(v, 4));
      const lab = warpImage(images[i] ?? [], t);
      const k = out.warped[i] ?? [];
      expect(k).toHaveLength(INPUT_SIZE);
      lab.forEach((v, j) => expect(Math.abs((k[j] ?? NaN) - v), `image ${i}, pixel ${j}`).toBeLessThan(1e-4));
    });
  });

  test("the script's layer warps while training and passes images through at test", () => {
    expect(out.test).toEqual(images.map((im) => im.map((v) => Math.fround(v))));
    const changed = out.train.filter((row, i) => row.some((v, j) => Math.abs(v - (images[i]?.[j] ?? 0)) > 0.05));
    expect(changed.length).toBeGreaterThan(count / 2);
  });

  test("elastic: from the same noise the script's fields are the lab's, and Keras's map_coordinates bends each image as the lab does", () => {
    noise.forEach((n, i) => {
      const { dx, dy } = displacements(labNoise(n));
      const k = out.fields[i] ?? [];
      dx.forEach((v, p) => expect(Math.abs((k[2 * p] ?? NaN) - v), `image ${i}, dx ${p}`).toBeLessThan(1e-4));
      dy.forEach((v, p) => expect(Math.abs((k[2 * p + 1] ?? NaN) - v), `image ${i}, dy ${p}`).toBeLessThan(1e-4));
      const lab = displaceImage(images[i] ?? [], dx, dy);
      const bent = out.bent[i] ?? [];
      lab.forEach((v, p) => expect(Math.abs((bent[p] ?? NaN) - v), `image ${i}, pixel ${p}`).toBeLessThan(1e-4));
    });
    expect(out.elastic_test).toEqual(images.map((im) => im.map((v) => Math.fround(v))));
    const changed = out.elastic_train.filter((row, i) =>
      row.some((v, j) => Math.abs(v - (images[i]?.[j] ?? 0)) > 0.05),
    );
    expect(changed.length).toBeGreaterThan(count / 2);
  });
});
