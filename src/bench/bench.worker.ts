/**
 * Benchmark worker: times this lab's training loop and TensorFlow.js's own model.fit on the same
 * network, batch size, backend and MNIST images, in a worker as the app trains. After a warm-up
 * (shader compilation), the two alternate for a few rounds and the medians are reported, so that a
 * slow moment of the machine does not land on one side only. The timed parts: products.ts (each
 * product of a step alone), runs.ts (the lab's loop, model.fit, a kernel profile).
 */
import { withDropout } from '../core/network/dropout';
import { withBatchNorm } from '../core/network/batchNorm';
import { INPUT_SIZE, type AugmentName, type BackendName, type HiddenLayer } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';
import { loadMnist } from '../data/mnist';
import { askWasmThreads, selectBackend } from '../ml/backend';
import { useFusedMultiplyAdd, useOwnProducts } from '../ml/kernels/gemm/wasmGemm';
import { timeProducts, type ProductTiming } from './products';
import { fitRunner, labRunner, profileKernels, type KernelTiming, type LabRun } from './runs';

export type { KernelTiming, ProductTiming };

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
  /**
   * Weight decay, max-norm, dropout (`dropout`: after every hidden layer), batch normalization and augmentation of the
   * timed runs (absent: none).
   */
  readonly regularization?: {
    readonly l2?: number;
    readonly l1?: number;
    readonly maxNorm?: number;
    readonly dropout?: number;
    /** Batch normalization in every hidden layer. */
    readonly batchNorm?: boolean;
    readonly inputDropout?: number;
    readonly augment?: AugmentName;
  };
  /** Also profile one round of the lab's loop kernel by kernel (tf.profile). */
  readonly profile?: boolean;
  /** WASM threads to ask for (absent: as many as cores, as the app asks). */
  readonly threads?: number;
  /** Products by XNNPACK on WASM, not by ours (ml/kernels/gemm): to time the two. */
  readonly xnnpack?: boolean;
  /** Our products with relaxed SIMD's fused multiply-add (where the browser has it). */
  readonly fma?: boolean;
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};

async function bench(req: BenchRequest): Promise<BenchResult> {
  if (req.threads) askWasmThreads(req.threads);
  useOwnProducts(!req.xnnpack);
  useFusedMultiplyAdd(req.fma ?? false);
  const backend = await selectBackend(req.backend);
  const batch = 128;
  const products = timeProducts(req.widths, batch);
  const n = batch * req.batches;
  const rounds = req.rounds ?? 3;
  const { dropout = 0, batchNorm = false, ...regularization } = req.regularization ?? {};
  const layers: HiddenLayer[] = req.widths.map((units) =>
    withBatchNorm(withDropout({ units, activation: 'sigmoid' }, dropout), batchNorm),
  );
  mnist ??= loadMnist(req.baseUrl, () => undefined);
  const data = await mnist;
  const train = { images: data.train.images.subarray(0, n * INPUT_SIZE), labels: data.train.labels.subarray(0, n) };
  const test = {
    images: data.test.images.subarray(0, batch * INPUT_SIZE),
    labels: data.test.labels.subarray(0, batch),
  };
  const labRun = labRunner({
    data,
    train,
    test,
    layers,
    n,
    liveParts: req.liveParts ?? 'health,probe,tiles',
    regularization,
  });
  // The second of the run's two epochs is timed: the first uploads the data.
  const labRound = async (live = false) =>
    (((await labRun(req.compact ?? true, 'raw', layers, live)).epochs[1]?.seconds ?? NaN) * 1000) / req.batches;
  const timeLive = req.live ?? true;
  const fit = fitRunner(layers, train, batch, req.batches);

  await labRound(); // warm-up: shader compilation
  if (timeLive) await labRound(true);
  await fit.round();
  const lab: number[] = [];
  const live: number[] = [];
  const fitMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    lab.push(await labRound());
    if (timeLive) live.push(await labRound(true));
    fitMs.push(await fit.round());
  }
  fit.dispose();

  // Not on WebGL: its kernels run later on the GPU, and the lab's own programs there are not
  // kernels TensorFlow.js profiles.
  const kernels =
    req.profile && backend.name !== 'webgl' ? await profileKernels(() => labRun(req.compact ?? true), req.batches) : [];
  const lossDiff = await fastPathDiff(labRun, layers);
  return {
    widths: req.widths,
    backend: backend.name,
    backendReason: backend.reason,
    products,
    labMsPerBatch: median(lab),
    liveMsPerBatch: median(live),
    fitMsPerBatch: median(fitMs),
    lossDiff,
    kernels,
  };
}

/**
 * The fast path (compacted columns, WebGL head kernels) must learn what the plain TensorFlow.js
 * ops learn: same seed, compare the epoch losses. Float rounding differs slightly between the two
 * (inside softmax and the sums), and raw 0..255 inputs saturate sigmoids so that such differences
 * grow; compare on scaled inputs. Also with every activation, whose derivatives have their own
 * WebGL kernel.
 */
async function fastPathDiff(labRun: LabRun, layers: HiddenLayer[]): Promise<number> {
  const mixed: HiddenLayer[] = (['relu', 'tanh', 'linear'] as const).map((activation) => ({ units: 16, activation }));
  let lossDiff = 0;
  for (const net of [layers, mixed]) {
    const [a, b] = [await labRun(true, 'scaled', net), await labRun(false, 'scaled', net)];
    lossDiff = Math.max(lossDiff, Math.abs((a.epochs[0]?.loss ?? NaN) - (b.epochs[0]?.loss ?? NaN)));
  }
  return lossDiff;
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
