/**
 * C = op(A)·op(B) (+ bias) with the module of module.ts, on float32 matrices in one WebAssembly
 * memory. Blocks of k up to KC_MAX: for each block, each 8 columns of B are packed (32 bytes a k,
 * in L1 while every 4 rows of A pass over them) and `tiles` computes that column panel's tiles.
 * A is read in place, transposed or not; only a last panel of fewer than 4 rows is copied (with
 * zero rows). When n is not a multiple of 8, C is computed into a padded scratch and copied out.
 *
 * No TensorFlow.js here: wasmGemm.ts gives it TensorFlow.js's heap, the unit tests a memory of
 * their own.
 */
import type { GemmExports } from './module';

/** Blocks of k: a packed panel of B (k × 32 bytes) and 4 rows of A stay in a 32 KiB L1. */
export const KC_MAX = 384;

export interface GemmHost {
  readonly exports: GemmExports;
  readonly memory: { readonly buffer: ArrayBufferLike };
  /** A byte offset of at least `bytes` free bytes, 16-aligned, ours until the next call. */
  scratch(bytes: number): number;
}

/** A product's operands: byte offsets into the host's memory, leading dimensions in floats. */
export interface GemmCall {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** op(A) is m × k: A is stored m × lda (or, transposed, k × lda). */
  readonly a: number;
  readonly lda: number;
  readonly transA: boolean;
  /** op(B) is k × n: B is stored k × ldb (or, transposed, n × ldb). */
  readonly b: number;
  readonly ldb: number;
  readonly transB: boolean;
  /** C, m × n, row-major, written whole. */
  readonly c: number;
  /** n floats added to every row, or null. */
  readonly bias: number | null;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Splits k into blocks of at most KC_MAX, as even as can be. */
export function kBlock(k: number): number {
  return Math.ceil(k / Math.ceil(k / KC_MAX));
}

interface Layout {
  readonly panel: number;
  readonly restA: number;
  readonly biasPad: number;
  readonly cPad: number;
  readonly cRest: number;
}

function layout(host: GemmHost, m: number, n: number, k: number): Layout {
  const n8 = Math.ceil(n / 8) * 8;
  const sizes = [KC_MAX * 32, m % 4 ? 16 * k : 0, 32, n % 8 ? 4 * (m - (m % 4)) * n8 : 0, m % 4 ? 16 * n8 : 0].map(
    align16,
  );
  const base = host.scratch(sizes.reduce((s, x) => s + x, 0));
  const at = sizes.map((_, i) => base + sizes.slice(0, i).reduce((s, x) => s + x, 0));
  return {
    panel: at[0] as number,
    restA: at[1] as number,
    biasPad: at[2] as number,
    cPad: at[3] as number,
    cRest: at[4] as number,
  };
}

/** B's columns j0.. (fewer than 8, or B transposed) for k in k0..k0+kc, packed with zeros. */
function packScalar(heap: Float32Array, call: GemmCall, k0: number, kc: number, j0: number, dst: number): void {
  const { b, ldb, transB, n } = call;
  const out = heap.subarray(dst / 4, dst / 4 + kc * 8);
  out.fill(0);
  for (let jj = 0; jj < 8 && j0 + jj < n; jj++)
    for (let kk = 0; kk < kc; kk++)
      out[kk * 8 + jj] = heap[b / 4 + (transB ? (j0 + jj) * ldb + k0 + kk : (k0 + kk) * ldb + j0 + jj)] as number;
}

/** A's last m % 4 rows as a 4 × k row-major block, the missing rows zero. */
function copyRestA(heap: Float32Array, call: GemmCall, dst: number): void {
  const { a, lda, transA, m, k } = call;
  const out = heap.subarray(dst / 4, dst / 4 + 4 * k);
  out.fill(0);
  for (let i = m - (m % 4), r = 0; i < m; i++, r++)
    for (let kk = 0; kk < k; kk++) out[r * k + kk] = heap[a / 4 + (transA ? kk * lda + i : i * lda + kk)] as number;
}

/** Computes C = op(A)·op(B) (+ bias). */
export function gemm(host: GemmHost, call: GemmCall): void {
  const { m, n, k, a, lda, transA, b, ldb, transB, c, bias } = call;
  if (m === 0 || n === 0) return;
  const at = layout(host, m, n, k);
  const { tiles, pack8 } = host.exports;
  const heap = () => new Float32Array(host.memory.buffer);
  const full = m >> 2;
  const rest = m % 4;
  const n8 = Math.ceil(n / 8) * 8;
  const direct = n % 8 === 0;
  const cBase = direct ? c : at.cPad;
  const ldc = (direct ? n : n8) * 4;
  const [ra, sa] = transA ? [4, lda * 4] : [lda * 4, 4];
  if (rest) copyRestA(heap(), call, at.restA);
  if (k === 0) {
    fillBias(heap(), call);
    return;
  }
  const kc = kBlock(k);
  for (let k0 = 0, first = true; k0 < k; k0 += kc, first = false) {
    const kcb = Math.min(kc, k - k0);
    const mode = first ? (bias === null ? 0 : 1) : 2;
    const aBlock = a + (transA ? k0 * lda : k0) * 4;
    for (let j0 = 0; j0 < n; j0 += 8) {
      const whole = n - j0 >= 8;
      if (whole && !transB) pack8(b + (k0 * ldb + j0) * 4, ldb * 4, kcb, at.panel);
      else packScalar(heap(), call, k0, kcb, j0, at.panel);
      let biasAt = 0;
      if (bias !== null && whole) biasAt = bias + j0 * 4;
      else if (bias !== null) {
        const h = heap();
        h.fill(0, at.biasPad / 4, at.biasPad / 4 + 8);
        h.set(h.subarray(bias / 4 + j0, bias / 4 + n), at.biasPad / 4);
        biasAt = at.biasPad;
      }
      if (full) tiles(aBlock, ra, sa, at.panel, cBase + j0 * 4, ldc, full, kcb, mode, biasAt);
      if (rest) tiles(at.restA + k0 * 4, k * 4, 4, at.panel, at.cRest + j0 * 4, n8 * 4, 1, kcb, mode, biasAt);
    }
  }
  copyOut(heap(), call, at, n8);
}

/** The padded results into C: every row when n is not a multiple of 8, and the last m % 4 rows. */
function copyOut(h: Float32Array, call: GemmCall, at: Layout, n8: number): void {
  const { m, n, c } = call;
  const full = m - (m % 4);
  if (n % 8) for (let i = 0; i < full; i++) h.copyWithin(c / 4 + i * n, at.cPad / 4 + i * n8, at.cPad / 4 + i * n8 + n);
  for (let i = full, r = 0; i < m; i++, r++)
    h.copyWithin(c / 4 + i * n, at.cRest / 4 + r * n8, at.cRest / 4 + r * n8 + n);
}

/** C = the bias in every row (or zeros): a product over k = 0. */
function fillBias(h: Float32Array, call: GemmCall): void {
  const { m, n, c, bias } = call;
  for (let i = 0; i < m; i++) {
    if (bias === null) h.fill(0, c / 4 + i * n, c / 4 + (i + 1) * n);
    else h.copyWithin(c / 4 + i * n, bias / 4, bias / 4 + n);
  }
}
