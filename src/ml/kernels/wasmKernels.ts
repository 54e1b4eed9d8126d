/**
 * Row gathers for the WASM backend, as kernels of our own that copy whole rows in the backend's
 * heap (and one that reads single elements). TensorFlow.js's WASM GatherV2 computes every element's coordinates one by one (with a
 * heap-allocated vector each) and took 37 of the 41 ms of a training step of [512] (issue 11,
 * `npm run bench -- --profile`); a row here is one TypedArray.set.
 *
 * The kernels run only on the 'wasm' backend (callers check); inputs are 2D float32 tensors and
 * int32 index tensors whose values the callers guarantee in range (core/dataset/columns.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addInHeap } from './gemm/wasmGemm';

const GATHER_ROWS = 'MlpLabGatherRows';
const ADD_EXPANDED_ROWS = 'MlpLabAddExpandedRows';
const GATHER_BATCH = 'MlpLabGatherBatch';
const GATHER_ELEMENTS = 'MlpLabGatherElements';
const SLICE_ROWS = 'MlpLabSliceRows';

type Info = tf.TensorInfo;

function views(backend: BackendWasm, out: Info, inputs: readonly Info[]) {
  // After makeOutput: allocating may grow the heap, which detaches older views.
  return { out: backend.typedArrayFromHeap(out), ins: inputs.map((t) => backend.typedArrayFromHeap(t)) };
}

// Registered when the module loads (the worker's): a kernel for a backend that has not started yet
// is only an entry in TensorFlow.js's registry.
tf.registerKernel({
  kernelName: GATHER_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { a, rows } = inputs as { a: Info; rows: Info };
    const wasm = backend as BackendWasm;
    const c = a.shape[1] as number;
    const k = rows.shape[0] as number;
    const result = wasm.makeOutput([k, c], a.dtype);
    const { out, ins } = views(wasm, result, [a, rows]);
    const [src, idx] = ins as [Float32Array, Int32Array];
    for (let i = 0; i < k; i++) {
      const r = idx[i] as number;
      out.set(src.subarray(r * c, r * c + c), i * c);
    }
    return result;
  },
});
tf.registerKernel({
  kernelName: ADD_EXPANDED_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { base, compact, inv } = inputs as { base: Info; compact: Info; inv: Info };
    const wasm = backend as BackendWasm;
    const [r, c] = base.shape as [number, number];
    const k = compact.shape[0] as number;
    const result = wasm.makeOutput([r, c], base.dtype);
    const { out, ins } = views(wasm, result, [base, compact, inv]);
    const [b, src, idx] = ins as [Float32Array, Float32Array, Int32Array];
    out.set(b);
    const [to, from] = [wasm.getMemoryOffset(result.dataId), wasm.getMemoryOffset(compact.dataId)];
    for (let row = 0; row < r; row++) {
      const j = idx[row] as number;
      if (j >= k || addInHeap(wasm, to + row * c * 4, from + j * c * 4, c)) continue;
      const o = row * c;
      const s = j * c;
      for (let col = 0; col < c; col++) (out[o + col] as number) += src[s + col] as number;
    }
    return result;
  },
});
tf.registerKernel({
  kernelName: GATHER_BATCH,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x, rows, cols } = inputs as { x: Info; rows: Info; cols: Info };
    const wasm = backend as BackendWasm;
    const w = x.shape[1] as number;
    const b = rows.shape[0] as number;
    const k = cols.shape[0] as number;
    const result = wasm.makeOutput([b, k], x.dtype);
    const { out, ins } = views(wasm, result, [x, rows, cols]);
    const [src, ri, ci] = ins as [Float32Array, Int32Array, Int32Array];
    for (let i = 0; i < b; i++) {
      const s = (ri[i] as number) * w;
      const o = i * k;
      for (let j = 0; j < k; j++) out[o + j] = src[s + (ci[j] as number)] as number;
    }
    return result;
  },
});

// Elements of a flat array: the elastic warp's bilinear reads (ml/augment.ts), 4 × 100,000 a batch.
tf.registerKernel({
  kernelName: GATHER_ELEMENTS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { a, at } = inputs as { a: Info; at: Info };
    const wasm = backend as BackendWasm;
    const k = at.shape[0] as number;
    const result = wasm.makeOutput([k], a.dtype);
    const { out, ins } = views(wasm, result, [a, at]);
    const [src, idx] = ins as [Float32Array, Int32Array];
    for (let i = 0; i < k; i++) out[i] = src[idx[i] as number] as number;
    return result;
  },
});

// Rows [start, start + size) of a tensor, any rank: one TypedArray.set. TensorFlow.js's WASM Slice
// first copies the whole input out of the heap (readSync): the evaluation's 2,000-row slices of
// the 60,000 uploaded training images copied 190 MB each: an epoch of [32] on one thread (in Node)
// took 1.14 s with them, 0.83 s with this.
tf.registerKernel({
  kernelName: SLICE_ROWS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a } = inputs as { a: Info };
    const { start, size } = attrs as unknown as { start: number; size: number };
    const wasm = backend as BackendWasm;
    const width = a.shape.slice(1).reduce((p, d) => p * d, 1);
    const result = wasm.makeOutput([size, ...a.shape.slice(1)], a.dtype);
    const { out, ins } = views(wasm, result, [a]);
    out.set((ins[0] as Float32Array | Int32Array).subarray(start * width, (start + size) * width));
    return result;
  },
});

function run(kernel: string, inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor;
}

/**
 * Rows [start, start + size) of `a` (float32 or int32, any rank), a copy of just those rows on
 * WASM; tf.slice elsewhere.
 */
export function sliceRows(a: tf.Tensor, start: number, size: number): tf.Tensor {
  if (tf.getBackend() === 'wasm' && (a.dtype === 'float32' || a.dtype === 'int32'))
    return run(SLICE_ROWS, { a }, { start, size });
  return tf.slice(a, [start], [size]);
}

/** Rows `rows` (int32 [k]) of `a` [R, C]: [k, C]. */
export const wasmGatherRows = (a: tf.Tensor, rows: tf.Tensor): tf.Tensor => run(GATHER_ROWS, { a, rows });

/** base [R, C] plus, in every row r with inv[r] < K, row inv[r] of compact [K, C]. */
export const wasmAddExpandedRows = (base: tf.Tensor, compact: tf.Tensor, inv: tf.Tensor): tf.Tensor =>
  run(ADD_EXPANDED_ROWS, { base, compact, inv });

/** x[rows][:, cols]: [rows.length, cols.length]. */
export const wasmGatherBatch = (x: tf.Tensor, rows: tf.Tensor, cols: tf.Tensor): tf.Tensor =>
  run(GATHER_BATCH, { x, rows, cols });

/** a[at[i]] for each i: a flat float32 [n] read at int32 places [k], all in range. */
export const wasmGatherElements = (a: tf.Tensor, at: tf.Tensor): tf.Tensor => run(GATHER_ELEMENTS, { a, at });
