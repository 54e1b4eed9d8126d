/**
 * The images on the device, uploaded once and shared by every run of a worker: a run's training
 * and validation rows are views (index ranges) into one upload of its split, so neither a new
 * validation split nor a new run uploads again, and the tensors keep one shape (the WebGL backend
 * pools freed textures by shape only, so uploads of ever other sizes piled up there).
 */
import * as tf from '@tensorflow/tfjs';
import type { LabelledImages } from '../core/dataset/dataset';
import { INPUT_SIZE } from '../core/network/spec';
import { GPU_INPUT_WIDTH } from './mlp';

/** Rows [0, rows) of a split on the device: images [rows, GPU_INPUT_WIDTH] float32, labels int32. */
export interface DeviceImages {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly rows: number;
}

export interface DeviceData {
  /**
   * Rows [0, rows) of `src` in the input range (`scaled`: divided by 255), on the active backend.
   * The tensors belong to the cache: callers never dispose them.
   */
  images(src: LabelledImages, rows: number, scaled: boolean): DeviceImages;
  /**
   * Frees every upload but those of `srcs` in the input range `scaled`: what a run about to start
   * needs, so that the device holds no more images than its memory estimate counts.
   */
  keepOnly(srcs: readonly LabelledImages[], scaled: boolean): void;
  /** Tensors and bytes the cache holds now. */
  readonly heldTensors: number;
  readonly heldBytes: number;
  /** How many uploads the cache has made (a diagnostic for the tests and the page). */
  readonly uploads: number;
  dispose(): void;
}

/**
 * Uploads images [from, to) as float32 [n, GPU_INPUT_WIDTH]: the 784 pixels, raw 0..255 or
 * divided by 255, then zero padding columns.
 */
export function imagesTensor(src: LabelledImages, from: number, to: number, scaled: boolean): tf.Tensor {
  const n = to - from;
  const values = new Float32Array(n * GPU_INPUT_WIDTH);
  for (let r = 0; r < n; r++) {
    const bytes = src.images.subarray((from + r) * INPUT_SIZE, (from + r + 1) * INPUT_SIZE);
    const row = r * GPU_INPUT_WIDTH;
    if (scaled) for (let k = 0; k < INPUT_SIZE; k++) values[row + k] = (bytes[k] as number) / 255;
    else values.set(bytes, row);
  }
  return tf.tensor2d(values, [n, GPU_INPUT_WIDTH]);
}

export function labelsTensor(src: LabelledImages, from: number, to: number): tf.Tensor {
  return tf.tensor1d(Int32Array.from(src.labels.subarray(from, to)), 'int32');
}

interface Entry extends DeviceImages {
  readonly src: LabelledImages;
  readonly scaled: boolean;
  readonly backend: string;
}

/**
 * A cache of `capacity` splits (default 2: a dataset's training and test set), the least recently
 * used dropped first. An entry is uploaded again only when another number of rows (a new subset
 * size), the other input range or another backend is asked for; the old one is freed first.
 */
export function createDeviceData(capacity = 2): DeviceData {
  // Most recently used last.
  let entries: Entry[] = [];
  let uploads = 0;
  const free = (e: Entry) => tf.dispose([e.x, e.y]);
  return {
    images(src, rows, scaled) {
      const all = src.labels.length;
      if (!Number.isInteger(rows) || rows <= 0 || rows > all)
        throw new Error(`deviceData: ${rows} rows asked of ${all}`);
      const backend = tf.getBackend();
      const found = entries.find((e) => e.src === src);
      if (found && found.scaled === scaled && found.backend === backend && found.rows === rows) {
        entries = [...entries.filter((e) => e !== found), found];
        return found;
      }
      if (found) free(found);
      entries = entries.filter((e) => e !== found);
      while (entries.length >= capacity) {
        const oldest = entries.shift();
        if (oldest) free(oldest);
      }
      const x = imagesTensor(src, 0, rows, scaled);
      let y: tf.Tensor;
      try {
        y = labelsTensor(src, 0, rows);
      } catch (e) {
        x.dispose();
        throw e;
      }
      uploads++;
      const entry: Entry = { src, scaled, backend, x, y, rows };
      entries.push(entry);
      return entry;
    },
    keepOnly(srcs, scaled) {
      const [kept, gone] = [
        entries.filter((e) => srcs.includes(e.src) && e.scaled === scaled),
        entries.filter((e) => !srcs.includes(e.src) || e.scaled !== scaled),
      ];
      gone.forEach(free);
      entries = kept;
    },
    get heldTensors() {
      return entries.length * 2;
    },
    get heldBytes() {
      return entries.reduce((sum, e) => sum + e.x.size * 4 + e.y.size * 4, 0);
    },
    get uploads() {
      return uploads;
    },
    dispose() {
      entries.forEach(free);
      entries = [];
    },
  };
}
