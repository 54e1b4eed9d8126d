import v8 from 'node:v8';
import { describe, expect, test } from 'vitest';
import { gemm, KC_MAX, kBlock, type GemmCall, type GemmHost } from '../../../../src/ml/kernels/gemm/driver';
import { gemmModuleBytes, type GemmExports } from '../../../../src/ml/kernels/gemm/module';
import { mulberry32 } from '../../../../src/core/network/rng';

// Our products (ml/kernels/gemm) must give op(A)·op(B) + bias for every shape a training step
// has: rows and columns that are not multiples of the 4×8 tile, blocks of k, A or B transposed.
// Node 20 has relaxed SIMD behind a flag; Chromium has it on (the e2e tests train with it).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const MiB = 1024 * 1024;

function host(fused: boolean): GemmHost & { scratchAsked: number[] } {
  const memory = new WebAssembly.Memory({ initial: (64 * MiB) / 65536 });
  const module = new WebAssembly.Module(gemmModuleBytes(fused, false));
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const scratchAsked: number[] = [];
  return {
    exports: exports as unknown as GemmExports,
    memory,
    scratchAsked,
    scratch: (bytes) => {
      scratchAsked.push(bytes);
      return 48 * MiB;
    },
  };
}

const random = (length: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length }, () => rng() * 2 - 1);
};

/**
 * The plain kernel's arithmetic in JavaScript: from the bias (or 0), each product rounded to
 * float32 and added in order of k, rounded again. The fused kernel rounds once per step.
 */
function reference(A: Float32Array, B: Float32Array, bias: Float32Array | null, call: GemmCall, fused: boolean) {
  const { m, n, k, transA, transB } = call;
  const C = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = bias ? (bias[j] as number) : 0;
      for (let kk = 0; kk < k; kk++) {
        const a = transA ? (A[kk * m + i] as number) : (A[i * k + kk] as number);
        const b = transB ? (B[j * k + kk] as number) : (B[kk * n + j] as number);
        s = fused ? Math.fround(a * b + s) : Math.fround(s + Math.fround(a * b));
      }
      C[i * n + j] = s;
    }
  return C;
}

/** Runs one product in the host's memory: A at 0, B at 16 MiB, the bias at 32 MiB, C at 40 MiB. */
function run(h: GemmHost, m: number, n: number, k: number, transA: boolean, transB: boolean, withBias: boolean) {
  const A = random(m * k, m + 7 * k);
  const B = random(k * n, n + 3 * k);
  const bias = withBias ? random(n, n) : null;
  const heap = new Float32Array(h.memory.buffer);
  heap.set(A, 0);
  heap.set(B, (16 * MiB) / 4);
  if (bias) heap.set(bias, (32 * MiB) / 4);
  heap.fill(NaN, (40 * MiB) / 4, (40 * MiB) / 4 + m * n + 64);
  const call: GemmCall = {
    m,
    n,
    k,
    a: 0,
    lda: transA ? m : k,
    transA,
    b: 16 * MiB,
    ldb: transB ? k : n,
    transB,
    c: 40 * MiB,
    bias: bias ? 32 * MiB : null,
  };
  gemm(h, call);
  const C = new Float32Array(h.memory.buffer, 40 * MiB, m * n + 64);
  return { C: C.slice(0, m * n), after: C.slice(m * n), A, B, bias, call };
}

const SHAPES: readonly (readonly [number, number, number])[] = [
  [128, 32, 784], // the article's first layer
  [128, 10, 32], // the logits
  [4, 8, 1],
  [5, 9, 3], // one row and one column past a tile
  [7, 13, 2 * KC_MAX + 5], // three blocks of k
  [130, 19, 37], // odd widths, as the e2e tests train
  [1, 1, 1],
];

describe('our products give op(A)·op(B) + bias', () => {
  for (const fused of [false, true])
    for (const [m, n, k] of SHAPES)
      test(`${fused ? 'fused' : 'plain'} ${m}×${k} · ${k}×${n}, either operand transposed, with and without a bias`, () => {
        const h = host(fused);
        for (const transA of [false, true])
          for (const transB of [false, true])
            for (const withBias of [false, true]) {
              const { C, after, A, B, bias, call } = run(h, m, n, k, transA, transB, withBias);
              const want = reference(A, B, bias, call, fused);
              const at = `transA ${transA}, transB ${transB}, bias ${withBias}`;
              // The plain kernel's sums are exactly the reference's; the fused one's may differ
              // in the last bit where JavaScript's double-precision sum rounds twice.
              if (!fused) expect(Array.from(C), at).toEqual(Array.from(want));
              else C.forEach((c, i) => expect(Math.abs(c - (want[i] as number)), at).toBeLessThan(1e-5));
              // Nothing is written past C.
              expect(
                after.every((x) => Number.isNaN(x)),
                at,
              ).toBe(true);
            }
      });

  test('add4 adds 4 floats at a time, exactly as JavaScript adds them', () => {
    const h = host(true);
    const [x, y] = [random(37, 1), random(37, 2)];
    const heap = new Float32Array(h.memory.buffer);
    heap.set(x, 0);
    heap.set(y, 64);
    heap[36] = NaN;
    h.exports.add4(0, 256, 9);
    expect(Array.from(heap.subarray(0, 37))).toEqual(
      Array.from(x, (v, i) => (i < 36 ? Math.fround(v + (y[i] as number)) : NaN)),
    );
  });

  test('k = 0 gives the bias in every row, or zeros', () => {
    const h = host(true);
    expect(Array.from(run(h, 3, 5, 0, false, false, true).C)).toEqual(
      Array.from({ length: 15 }, (_, i) => random(5, 5)[i % 5]),
    );
    expect(Array.from(run(h, 3, 5, 0, false, false, false).C)).toEqual(new Array(15).fill(0));
  });

  test('on a shared memory (TensorFlow.js’s threaded build) it gives the same products', () => {
    const memory = new WebAssembly.Memory({ initial: (64 * MiB) / 65536, maximum: 65536, shared: true });
    const module = new WebAssembly.Module(gemmModuleBytes(false, true));
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    const shared: GemmHost = { exports: exports as unknown as GemmExports, memory, scratch: () => 48 * MiB };
    for (const [transA, transB] of [
      [false, false],
      [true, true],
    ] as const)
      expect(Array.from(run(shared, 130, 19, 37, transA, transB, true).C)).toEqual(
        Array.from(run(host(false), 130, 19, 37, transA, transB, true).C),
      );
  });

  test('blocks of k are as even as can be, none over KC_MAX', () => {
    expect(kBlock(784)).toBe(262);
    expect(kBlock(KC_MAX)).toBe(KC_MAX);
    expect(kBlock(KC_MAX + 1)).toBe(Math.ceil((KC_MAX + 1) / 2));
    expect(kBlock(1)).toBe(1);
  });

  test('scratch is asked for the packed panel, and for padding only when a shape needs it', () => {
    const h = host(true);
    run(h, 128, 32, 784, false, false, true);
    run(h, 130, 19, 37, false, false, true);
    const [even, odd] = h.scratchAsked as [number, number];
    expect(even).toBe(KC_MAX * 32 + 32);
    expect(odd).toBeGreaterThan(even + 4 * 128 * 24);
  });
});
