/**
 * Benchmark worker: times this lab's training loop and TensorFlow.js's own model.fit on the same
 * network, batch size, backend and MNIST images, in a worker as the app trains. After a warm-up
 * (shader compilation), the two alternate for a few rounds and the medians are reported, so that a
 * slow moment of the machine does not land on one side only.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, INPUT_SIZE, NUM_CLASSES, type BackendName, type HiddenLayer } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';
import { loadMnist } from '../data/mnist';
import { selectBackend } from '../ml/backend';
import { createKerasModel } from '../ml/kerasModel';
import { trainRun } from '../ml/train';

export interface BenchRequest {
  readonly widths: readonly number[];
  readonly backend: BackendName;
  readonly batches: number;
  /** Where the prepared MNIST files are served (the page's base URL). */
  readonly baseUrl: string;
  /** Whether the lab's loop takes its fast path (its default): compacted columns, head kernels. */
  readonly compact?: boolean;
  /** Timed rounds; the medians are reported (default 3). */
  readonly rounds?: number;
  /**
   * Also time the lab's loop as the app runs it while it shows a run live: layer health every
   * 40 batches and 500 ms (and at the first read-back and each epoch end), the first layer's weights every
   * 2 s and at the end, and a drawn digit classified at most every 250 ms (default true).
   */
  readonly live?: boolean;
  /** Which live measurements to time, comma-separated: health, probe, tiles (default all). */
  readonly liveParts?: string;
  /** Also profile one round of the lab's loop kernel by kernel (tf.profile). */
  readonly profile?: boolean;
}

/** Time in one kernel (by TensorFlow.js name) per training batch, from tf.profile. */
export interface KernelTiming {
  readonly kernel: string;
  readonly msPerBatch: number;
  readonly callsPerBatch: number;
}

/** One product of a training step, timed alone: ms per product and GFLOP/s. */
export interface ProductTiming {
  /** e.g. "x·W 128×784 · 784×512". */
  readonly name: string;
  readonly ms: number;
  readonly gflops: number;
}

export interface BenchResult {
  readonly widths: readonly number[];
  readonly backend: string;
  /** The backend's own description (WASM: how many threads, and why). */
  readonly backendReason: string;
  /** The step's products, each timed alone, as the loop's forward and backward pass run them. */
  readonly products: readonly ProductTiming[];
  readonly labMsPerBatch: number;
  readonly fitMsPerBatch: number;
  /** The lab's loop with the live measurements on (NaN when not timed). */
  readonly liveMsPerBatch: number;
  /** Largest difference in epoch loss between the fast path and plain TensorFlow.js ops, same seed. */
  readonly lossDiff: number;
  /**
   * Where a step's time goes, kernel by kernel, over one round (2 epochs, with the data upload and
   * the test evaluation); empty unless asked, and on WebGL.
   */
  readonly kernels: readonly KernelTiming[];
}

let mnist: Promise<TrainData> | null = null;

/**
 * Times every product of one training step of [784, ...widths, 10] at `batch` rows, each alone:
 * the forward x·W, the kernel gradient xᵀ·dz and the input gradient dz·Wᵀ (not for the first
 * layer), the transposed operand as the flag of matMul and as an explicit transpose. W is updated
 * before every product, as in training (a backend may cache what it derived from W).
 */
function timeProducts(widths: readonly number[], batch: number): ProductTiming[] {
  const dims = [INPUT_SIZE, ...widths, NUM_CLASSES];
  const reps = 10;
  const out: ProductTiming[] = [];
  const time = (name: string, flops: number, make: () => tf.Tensor, w: tf.Variable) => {
    const once = () => {
      tf.tidy(() => w.assign(tf.add(w, 1e-6)));
      const r = make();
      r.dataSync();
      r.dispose();
    };
    once();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) once();
    // The update of W is timed too; it is small next to the product for the widths here.
    const ms = (performance.now() - t0) / reps;
    out.push({ name, ms, gflops: flops / ms / 1e6 });
  };
  for (let i = 0; i + 1 < dims.length; i++) {
    const n = dims[i] as number;
    const m = dims[i + 1] as number;
    const flops = 2 * batch * n * m;
    const [x, dz] = [tf.randomUniform([batch, n]), tf.randomUniform([batch, m])];
    const w = tf.variable(tf.randomUniform([n, m]));
    const shape = `${n}×${m}`;
    time(`layer ${i + 1} ${shape}: x·W`, flops, () => tf.matMul(x, w), w);
    time(`layer ${i + 1} ${shape}: xᵀ·dz (flag)`, flops, () => tf.matMul(x, dz, true, false), w);
    time(
      `layer ${i + 1} ${shape}: xᵀ·dz (explicit transpose)`,
      flops,
      () => tf.tidy(() => tf.matMul(tf.transpose(x), dz)),
      w,
    );
    if (i > 0) {
      time(`layer ${i + 1} ${shape}: dz·Wᵀ (flag)`, flops, () => tf.matMul(dz, w, false, true), w);
      time(
        `layer ${i + 1} ${shape}: dz·Wᵀ (explicit transpose)`,
        flops,
        () => tf.tidy(() => tf.matMul(dz, tf.transpose(w))),
        w,
      );
    }
    tf.dispose([x, dz, w]);
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};

async function bench(req: BenchRequest): Promise<BenchResult> {
  const backend = await selectBackend(req.backend);
  const batch = 128;
  const products = timeProducts(req.widths, batch);
  const n = batch * req.batches;
  const rounds = req.rounds ?? 3;
  const layers: HiddenLayer[] = req.widths.map((units) => ({ units, activation: 'sigmoid' }));
  mnist ??= loadMnist(req.baseUrl, () => undefined);
  const data = await mnist;
  const train = { images: data.train.images.subarray(0, n * INPUT_SIZE), labels: data.train.labels.subarray(0, n) };
  const test = {
    images: data.test.images.subarray(0, batch * INPUT_SIZE),
    labels: data.test.labels.subarray(0, batch),
  };
  const config = { ...DEFAULT_CONFIG, layers, epochs: 2, validationSplit: 0, subset: n, seed: 1 };

  // The lab's loop: two epochs per round, the second timed (the first uploads the data).
  const labRun = (
    fast: boolean,
    preprocessing: 'raw' | 'scaled' = 'raw',
    net: HiddenLayer[] = layers,
    live = false,
  ) => {
    // As the app's worker asks: tiles every 2 s and at the end, a drawn digit at most every 250 ms.
    let lastTiles = -Infinity;
    let lastProbe = -Infinity;
    const probe = Float32Array.from(data.test.images.subarray(0, INPUT_SIZE));
    const parts = req.liveParts ?? 'health,probe,tiles';
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
  const labRound = async (live = false) =>
    (((await labRun(req.compact ?? true, 'raw', layers, live)).epochs[1]?.seconds ?? NaN) * 1000) / req.batches;
  const timeLive = req.live ?? true;

  // model.fit on the same network and data: one epoch per round, timed by its callbacks.
  const model = createKerasModel(layers, 0.01, 1);
  const x = tf.tensor2d(Float32Array.from(train.images), [n, INPUT_SIZE]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(train.labels), 'int32'), NUM_CLASSES));
  const fitRound = async () => {
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
    return (end - start) / req.batches;
  };

  await labRound(); // warm-up: shader compilation
  if (timeLive) await labRound(true);
  await fitRound();
  const lab: number[] = [];
  const live: number[] = [];
  const fit: number[] = [];
  for (let r = 0; r < rounds; r++) {
    lab.push(await labRound());
    if (timeLive) live.push(await labRound(true));
    fit.push(await fitRound());
  }
  model.dispose();
  tf.dispose([x, y]);

  const kernels: KernelTiming[] = [];
  // Not on WebGL: its kernels run later on the GPU, and the lab's own programs there are not
  // kernels TensorFlow.js profiles.
  if (req.profile && backend.name !== 'webgl') {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
    const info = await tf.profile(async () => void (await labRun(req.compact ?? true)));
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls += 1;
      byName.set(k.name, e);
    }
    const steps = 2 * req.batches;
    for (const [kernel, e] of byName)
      kernels.push({ kernel, msPerBatch: e.ms / steps, callsPerBatch: e.calls / steps });
    kernels.sort((a, b) => b.msPerBatch - a.msPerBatch);
  }

  // The fast path (compacted columns, WebGL head kernels) must learn what the plain TensorFlow.js
  // ops learn: same seed, compare the epoch losses.
  // Float rounding differs slightly between the two (inside softmax and the sums), and raw 0..255
  // inputs saturate sigmoids so that such differences grow; compare on scaled inputs.
  // Also with every activation, whose derivatives have their own WebGL kernel.
  const mixed: HiddenLayer[] = (['relu', 'tanh', 'linear'] as const).map((activation) => ({ units: 16, activation }));
  let lossDiff = 0;
  for (const net of [layers, mixed]) {
    const [a, b] = [await labRun(true, 'scaled', net), await labRun(false, 'scaled', net)];
    lossDiff = Math.max(lossDiff, Math.abs((a.epochs[0]?.loss ?? NaN) - (b.epochs[0]?.loss ?? NaN)));
  }
  return {
    widths: req.widths,
    backend: backend.name,
    backendReason: backend.reason,
    products,
    labMsPerBatch: median(lab),
    liveMsPerBatch: median(live),
    fitMsPerBatch: median(fit),
    lossDiff,
    kernels,
  };
}

interface WorkerScope {
  postMessage(message: { result?: BenchResult; error?: string }): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<BenchRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;
scope.addEventListener('message', (e) => {
  bench(e.data).then(
    (result) => scope.postMessage({ result }),
    (err: unknown) => scope.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
});
