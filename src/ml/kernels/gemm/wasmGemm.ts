/**
 * The training step's products on the WASM backend by a module of ours (module.ts, driver.ts),
 * working in TensorFlow.js's own heap: a kernel `MlpLabGemm` beside TensorFlow.js's.
 *
 * Why: its 4×8 tiles run at 34-39 GFLOP/s on one thread in Node (46-52 with relaxed SIMD's fused
 * multiply-add, which is off: useFusedMultiplyAdd) where XNNPACK's products, through TensorFlow.js,
 * ran at 25-30; it reads A transposed in place, where TensorFlow.js's matMul needs an explicit
 * transpose first (opsKernels.ts); and its sums are XNNPACK's to the last bit. It runs on one
 * thread, so with more, large products stay XNNPACK's (ownProductFor). If TensorFlow.js's heap
 * cannot be reached, `ownProducts()` is false and the step keeps XNNPACK's.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { gemm, type GemmHost } from './driver';
import { gemmModuleBytes, type GemmExports } from './module';

const GEMM = 'MlpLabGemm';

interface EmscriptenHeap {
  readonly wasmMemory?: WebAssembly.Memory;
  readonly asm?: { readonly memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(at: number): void;
}

/** The host for one WASM backend: its memory, our module on it, and a scratch block we grow. */
function makeHost(backend: BackendWasm, fused: boolean): GemmHost | null {
  const heap = backend.wasm as unknown as EmscriptenHeap;
  // The threaded build exports its (shared) memory as wasmMemory, the single-threaded one in asm.
  const memory = heap.wasmMemory ?? heap.asm?.memory;
  if (!memory) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = gemmModuleBytes(fused, shared);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  let at = 0;
  let size = 0;
  return {
    exports: instance.exports as unknown as GemmExports,
    memory,
    scratch(need) {
      if (need > size) {
        const bytes = Math.max(need, size * 2);
        const next = heap._malloc(bytes + 16) >>> 0;
        // A heap that may not grow gives 0: writing there would overwrite Emscripten's own memory.
        if (next === 0) throw new Error(`MlpLabGemm: the WASM heap has no room for ${bytes} bytes of scratch`);
        if (at) heap._free(at);
        [at, size] = [next, bytes];
      }
      return Math.ceil(at / 16) * 16;
    },
  };
}

let fusedWanted = false;

/**
 * Fused multiply-adds (relaxed SIMD) or not: off unless the benchmark's `--fma` asks. Fused, a
 * product rounds once per multiply-add, and whether it fuses depends on the processor (x86 without
 * FMA does not): a run's numbers would differ between machines, and from XNNPACK's. Not fused,
 * each sum is XNNPACK's to the last bit (from the bias, over k in order, each product rounded),
 * on every machine, so the recorded runs (tests/truth) and a link's numbers stay what they were.
 */
export function useFusedMultiplyAdd(on: boolean): void {
  fusedWanted = on;
}

const hosts = new WeakMap<object, Map<boolean, GemmHost | null>>();

function hostOf(backend: BackendWasm): GemmHost | null {
  const mine = hosts.get(backend) ?? new Map<boolean, GemmHost | null>();
  hosts.set(backend, mine);
  if (!mine.has(fusedWanted)) mine.set(fusedWanted, makeHost(backend, fusedWanted));
  return mine.get(fusedWanted) ?? null;
}

const offset = (backend: BackendWasm, t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);

tf.registerKernel({
  kernelName: GEMM,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
    const { transA, transB } = attrs as unknown as { transA: boolean; transB: boolean };
    const wasm = backend as BackendWasm;
    const host = hostOf(wasm);
    if (!host) throw new Error('MlpLabGemm: no product module on this backend (check ownProducts() first)');
    // Rank 3: a group of products, [g, ., .] each (ml/group), one after another; the bias [g, n].
    const groups = a.shape.length === 3 ? (a.shape[0] as number) : 1;
    if (a.shape.length !== b.shape.length || (groups > 1 && b.shape[0] !== groups))
      throw new Error(
        `MlpLabGemm: operands ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)} are not one group`,
      );
    const [ar, ac] = a.shape.slice(-2) as [number, number];
    const [br, bc] = b.shape.slice(-2) as [number, number];
    const [m, k] = transA ? [ac, ar] : [ar, ac];
    const n = transB ? br : bc;
    if (bias && bias.shape.reduce((x, y) => x * y, 1) !== groups * n)
      throw new Error(`MlpLabGemm: a bias of ${JSON.stringify(bias.shape)} for ${groups} × ${n} outputs`);
    const out = wasm.makeOutput(groups === 1 && a.shape.length === 2 ? [m, n] : [groups, m, n], 'float32');
    for (let g = 0; g < groups; g++)
      gemm(host, {
        m,
        n,
        k,
        a: offset(wasm, a) + g * ar * ac * 4,
        lda: ac,
        transA,
        b: offset(wasm, b) + g * br * bc * 4,
        ldb: bc,
        transB,
        c: offset(wasm, out) + g * m * n * 4,
        bias: bias ? offset(wasm, bias) + g * n * 4 : null,
      });
    return out;
  },
});

let disabled = false;

/** Turns our module off (the benchmark's `--xnnpack`, to time XNNPACK's products). */
export function useOwnProducts(on: boolean): void {
  disabled = !on;
}

/**
 * dst[0..count) += src[0..count) for float32 at byte offsets in the WASM backend's heap, by our
 * module (4 floats an instruction) where it runs; false, and nothing done, where it does not.
 */
export function addInHeap(backend: BackendWasm, dst: number, src: number, count: number): boolean {
  const host = disabled ? null : hostOf(backend);
  if (!host) return false;
  const n4 = count >> 2;
  if (n4) host.exports.add4(dst, src, n4);
  if (count & 3) {
    const heap = new Float32Array(host.memory.buffer);
    for (let i = n4 * 4; i < count; i++) (heap[dst / 4 + i] as number) += heap[src / 4 + i] as number;
  }
  return true;
}

/** Whether the active backend is WASM and our products run on it. */
export function ownProducts(): boolean {
  if (disabled || tf.getBackend() !== 'wasm') return false;
  return hostOf(tf.backend() as BackendWasm) !== null;
}

/**
 * From this many floating-point operations (2·m·n·k) a product goes to XNNPACK when the WASM
 * backend runs on more than one thread: there its threads beat our one (bench, 2 threads, ms per
 * batch, ours vs XNNPACK: [2048] 26.5 vs 24.1, [512] 6.4 vs 6.6, [512, 512, 512] 21.3 vs 22.7).
 * Either gives the same bits, so the choice changes only the time.
 */
export const THREADED_XNNPACK_FLOPS = 150e6;

/** Whether a product of m×k by k×n is ours: on one thread always, on more only when small. */
export function ownProductFor(m: number, n: number, k: number): boolean {
  return ownProducts() && (getThreadsCount() <= 1 || 2 * m * n * k < THREADED_XNNPACK_FLOPS);
}

/** op(a)·op(b) (+ bias [n]) for float32 2D a and b, by our module (only where ownProducts()). */
export function wasmGemm(a: tf.Tensor, b: tf.Tensor, transA: boolean, transB: boolean, bias?: tf.Tensor): tf.Tensor {
  const inputs: tf.NamedTensorMap = bias ? { a, b, bias } : { a, b };
  return tf.engine().runKernel(GEMM, inputs, { transA, transB }) as tf.Tensor;
}
