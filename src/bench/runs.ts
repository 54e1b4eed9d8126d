/**
 * The runs the benchmark times: the lab's own loop (plain, or with the live measurements the app
 * asks for while it shows a run), TensorFlow.js's model.fit on the same network and data, and a
 * kernel-by-kernel profile of the lab's loop.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, INPUT_SIZE, NUM_CLASSES, type HiddenLayer, type TrainConfig } from '../core/network/spec';
import type { LabelledImages, TrainData } from '../core/dataset/dataset';
import { createKerasModel } from '../ml/kerasModel';
import { trainRun, type RunOutcome } from '../ml/train';

/** Time in one kernel (by TensorFlow.js name) per training batch, from tf.profile. */
export interface KernelTiming {
  readonly kernel: string;
  readonly msPerBatch: number;
  readonly callsPerBatch: number;
}

/** What the lab's loop is timed on: the first `n` training images and one batch of test images. */
export interface LabSetup {
  readonly data: TrainData;
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  readonly layers: HiddenLayer[];
  readonly n: number;
  /** Which live measurements to time, comma-separated: health, probe, tiles. */
  readonly liveParts: string;
  /**
   * Weight decay, max-norm, input dropout and augmentation of the timed runs (absent: none); the
   * layers carry their dropout.
   */
  readonly regularization?: Partial<Pick<TrainConfig, 'l2' | 'l1' | 'maxNorm' | 'inputDropout' | 'augment'>>;
}

export type LabRun = (
  fast: boolean,
  preprocessing?: 'raw' | 'scaled',
  net?: HiddenLayer[],
  live?: boolean,
) => Promise<RunOutcome>;

/** The lab's loop: two epochs per run (the bench times the second; the first uploads the data). */
export function labRunner(setup: LabSetup): LabRun {
  const { data, train, test, layers, n, liveParts: parts } = setup;
  const config = {
    ...DEFAULT_CONFIG,
    layers,
    epochs: 2,
    validationSplit: 0,
    subset: n,
    seed: 1,
    ...setup.regularization,
  };
  return (fast, preprocessing = 'raw', net = layers, live = false) => {
    // As the app's worker asks: tiles every 2 s and at the end, a drawn digit at most every 250 ms.
    let lastTiles = -Infinity;
    let lastProbe = -Infinity;
    const probe = Float32Array.from(data.test.images.subarray(0, INPUT_SIZE));
    const liveOptions = live
      ? {
          health: parts.includes('health'),
          healthMinMs: 500,
          extras: ({ final }: { final: boolean }) => {
            const t = performance.now();
            const tiles = parts.includes('tiles') && (final || t - lastTiles >= 2000);
            if (tiles) lastTiles = t;
            const withProbe = parts.includes('probe') && (final || t - lastProbe >= 250);
            if (withProbe) lastProbe = t;
            return { tiles, probe: withProbe ? probe : null };
          },
        }
      : {};
    return trainRun({ train, test }, { ...config, layers: net, preprocessing }, {}, new AbortController().signal, {
      compactColumns: fast,
      plainOps: !fast,
      ...liveOptions,
    });
  };
}

/** model.fit on the same network and data: one epoch per round, timed by its callbacks (ms per batch). */
export function fitRunner(
  layers: HiddenLayer[],
  train: LabelledImages,
  batch: number,
  batches: number,
): { round: () => Promise<number>; dispose: () => void } {
  const n = batch * batches;
  const model = createKerasModel(layers, 0.01, 1);
  const x = tf.tensor2d(Float32Array.from(train.images), [n, INPUT_SIZE]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(train.labels), 'int32'), NUM_CLASSES));
  const round = async () => {
    let start = 0;
    let end = 0;
    await model.fit(x, y, {
      epochs: 1,
      batchSize: batch,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => void (start = performance.now()),
        onEpochEnd: async () => void (end = performance.now()),
      },
    });
    return (end - start) / batches;
  };
  return {
    round,
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

/** Where one run of the lab's loop (`batches` per epoch, 2 epochs) spends its time, kernel by kernel. */
export async function profileKernels(run: () => Promise<unknown>, batches: number): Promise<KernelTiming[]> {
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const info = await tf.profile(async () => void (await run()));
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    byName.set(k.name, e);
  }
  const steps = 2 * batches;
  const kernels: KernelTiming[] = [];
  for (const [kernel, e] of byName) kernels.push({ kernel, msPerBatch: e.ms / steps, callsPerBatch: e.calls / steps });
  return kernels.sort((a, b) => b.msPerBatch - a.msPerBatch);
}
