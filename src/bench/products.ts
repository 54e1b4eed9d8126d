/**
 * The benchmark's timing of the products a training step is made of, each alone, to tell how much
 * of a batch's time the matrix products take and at what rate.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SIZE, NUM_CLASSES } from '../core/network/spec';
import { ownProducts, wasmGemm } from '../ml/kernels/gemm/wasmGemm';

/** One product of a training step, timed alone: ms per product and GFLOP/s. */
export interface ProductTiming {
  /** e.g. "x·W 128×784 · 784×512". */
  readonly name: string;
  readonly ms: number;
  readonly gflops: number;
}

/**
 * Times every product of one training step of [784, ...widths, 10] at `batch` rows, each alone:
 * the forward x·W, the kernel gradient xᵀ·dz and the input gradient dz·Wᵀ (not for the first
 * layer), the transposed operand as the flag of matMul and as an explicit transpose, and on WASM
 * each by our products (ml/kernels/gemm) where they run. W is updated
 * before every product, as in training (a backend may cache what it derived from W).
 */
export function timeProducts(widths: readonly number[], batch: number): ProductTiming[] {
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
    const ours = ownProducts();
    if (ours) {
      time(`layer ${i + 1} ${shape}: x·W (ours)`, flops, () => wasmGemm(x, w, false, false), w);
      time(`layer ${i + 1} ${shape}: xᵀ·dz (ours)`, flops, () => wasmGemm(x, dz, true, false), w);
    }
    if (i > 0 && ours) time(`layer ${i + 1} ${shape}: dz·Wᵀ (ours)`, flops, () => wasmGemm(dz, w, false, true), w);
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
