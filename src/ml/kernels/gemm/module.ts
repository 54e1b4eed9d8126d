/**
 * The bytes of a small WebAssembly module of ours for matrix products, written out here rather
 * than compiled (no toolchain in the build). It imports the memory it works in (TensorFlow.js's
 * WASM heap) and exports two functions; driver.ts calls them.
 *
 * - `tiles(pa, ra, sa, pb, c, ldc, panels, kc, mode, bias)`: for `panels` panels of 4 rows, one
 *   4×8 tile of C each, C[4×8] (=|+=) A[4×kc]·B[kc×8]. The tile's 8 sums of a row stay in two
 *   v128 registers (8 in all), as in XNNPACK's WASM SIMD micro-kernels; per k it loads B's 8 values
 *   (packed, 32 bytes a k) and splats A's 4, then 8 multiply-adds. A is read in place: row r of a
 *   panel at pa + r·ra, the next k sa bytes on: row-major (sa = 4) or transposed
 *   (ra = 4; a k's 4 values side by side, read from one pointer). mode 0 starts the tile at zero, 1 at the 8 floats at `bias`, 2 at
 *   C (a later block of k). `ldc` is C's row in bytes. The next panel is 4 rows (4·ra) on.
 * - `pack8(src, rs, kc, dst)`: 8 consecutive floats of each of kc rows rs bytes apart, packed
 *   as `tiles` reads B (kc × 32 bytes).
 * - `add4(dst, src, n4)`: dst += src over n4 groups of 4 floats (the update of a kernel's rows,
 *   wasmKernels.ts).
 *
 * With `fused`, each multiply-add is one f32x4.relaxed_madd (relaxed SIMD: a fused multiply-add
 * where the processor has one, as x86 with FMA and ARM do), else f32x4.mul then f32x4.add. Both
 * sum over k in the same order, so a product does not depend on the tile count or the thread.
 */

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};

const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

const section = (id: number, bytes: readonly number[]): number[] => [id, ...leb(bytes.length), ...bytes];
const vec = (items: readonly (readonly number[])[]): number[] => [...leb(items.length), ...items.flat()];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const [GET, SET, TEE] = [0x20, 0x21, 0x22];
const get = (i: number) => [GET, i];
const set = (i: number) => [SET, i];
const i32 = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a;
const SUB = 0x6b;
const EQ = 0x46;
const SHL = 0x74;
const simd = (op: number, ...imm: number[]) => [0xfd, ...leb(op), ...imm];
const load = (offset: number) => simd(0x00, 4, ...leb(offset));
const store = (offset: number) => simd(0x0b, 4, ...leb(offset));
const splat = (offset: number) => simd(0x09, 2, ...leb(offset)); // v128.load32_splat
const ZERO = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
const MUL = simd(0xe6);
const FADD = simd(0xe4);
const MADD = simd(0x105); // f32x4.relaxed_madd
const [LOOP, IF, ELSE, END, BR_IF] = [0x03, 0x04, 0x05, 0x0b, 0x0d];
const VOID = 0x40;

// tiles's parameters and locals.
const [PA, RA, SA, PB, C, LDC, PANELS, KC, MODE, BIAS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [K, BK, CR, A0] = [10, 11, 12, 13]; // i32 locals; A0..A0+3: the 4 rows' pointers
const [AV, B0, B1] = [17, 18, 19]; // v128 locals
const acc = (r: number, j: number) => 20 + 2 * r + j;

const ROWS = [0, 1, 2, 3];
const each = (f: (r: number) => number[]) => ROWS.flatMap(f);
const step = (to: number, by: number) => [...get(to), ...get(by), ADD, ...set(to)];

/** The tile's start: C (mode 2), the bias (mode 1) or zero. */
function tileStart(): number[] {
  // prettier-ignore
  return [
    ...get(MODE), ...i32(2), EQ, IF, VOID,
    ...get(C), ...set(CR),
    ...each((r) => [...get(CR), ...load(0), ...set(acc(r, 0)), ...get(CR), ...load(16), ...set(acc(r, 1)), ...step(CR, LDC)]),
    ELSE,
    ...get(MODE), IF, VOID,
    ...get(BIAS), ...load(0), ...set(B0), ...get(BIAS), ...load(16), ...set(B1),
    ...each((r) => [...get(B0), ...set(acc(r, 0)), ...get(B1), ...set(acc(r, 1))]),
    ELSE,
    ...each((r) => [...ZERO, ...set(acc(r, 0)), ...ZERO, ...set(acc(r, 1))]),
    END, END,
  ];
}

type Madd = (r: number, j: number) => number[];

const maddOf =
  (fused: boolean): Madd =>
  (r, j) =>
    fused
      ? [...get(AV), ...get(j ? B1 : B0), ...get(acc(r, j)), ...MADD, ...set(acc(r, j))]
      : [...get(AV), ...get(j ? B1 : B0), ...MUL, ...get(acc(r, j)), ...FADD, ...set(acc(r, j))];

/** A0..A3: the 4 rows of the panel, ra bytes apart; BK: B's packed panel. */
// prettier-ignore
const rowPointers = (): number[] => [
  ...get(PA), ...set(A0),
  ...[1, 2, 3].flatMap((r) => [...get(A0 + r - 1), ...get(RA), ADD, ...set(A0 + r)]),
  ...get(PB), ...set(BK),
];

/**
 * Row-major A (sa = 4): each row's pointer steps 4 bytes a k (a constant: one add less per row
 * than a stride read from a local; unrolling k further was slower here, 27 GFLOP/s against 38).
 */
function kRowMajor(madd: Madd): number[] {
  // prettier-ignore
  return [
    ...rowPointers(), ...get(KC), ...set(K),
    LOOP, VOID,
    ...get(BK), ...load(0), ...set(B0), ...get(BK), ...load(16), ...set(B1),
    ...each((r) => [...get(A0 + r), ...splat(0), ...set(AV), ...madd(r, 0), ...madd(r, 1), ...step4(A0 + r, 4)]),
    ...step4(BK, 32),
    ...get(K), ...i32(1), SUB, TEE, K, BR_IF, 0,
    END,
  ];
}

/** Transposed A (ra = 4): a k's 4 values side by side, at offsets 0, 4, 8 and 12 of one pointer. */
function kTransposed(madd: Madd): number[] {
  // prettier-ignore
  return [
    ...rowPointers(), ...get(KC), ...set(K),
    LOOP, VOID,
    ...get(BK), ...load(0), ...set(B0), ...get(BK), ...load(16), ...set(B1),
    ...each((r) => [...get(A0), ...splat(4 * r), ...set(AV), ...madd(r, 0), ...madd(r, 1)]),
    ...step(A0, SA), ...step4(BK, 32),
    ...get(K), ...i32(1), SUB, TEE, K, BR_IF, 0,
    END,
  ];
}

const step4 = (to: number, by: number) => [...get(to), ...i32(by), ADD, ...set(to)];

/** Over k, by the loop for A's layout (sa = 4: row-major, else transposed, ra = 4). Every accumulator sums k in order. */
function kLoop(fused: boolean): number[] {
  const madd = maddOf(fused);
  // prettier-ignore
  return [
    ...get(SA), ...i32(4), EQ, IF, VOID, ...kRowMajor(madd), ELSE, ...kTransposed(madd), END,
  ];
}

function tilesBody(fused: boolean): number[] {
  // prettier-ignore
  return [
    LOOP, VOID,
    ...tileStart(),
    ...kLoop(fused),
    // Store the tile; the next panel, 4 rows on.
    ...get(C), ...set(CR),
    ...each((r) => [...get(CR), ...get(acc(r, 0)), ...store(0), ...get(CR), ...get(acc(r, 1)), ...store(16), ...step(CR, LDC)]),
    ...get(CR), ...set(C),
    ...get(PA), ...get(RA), ...i32(2), SHL, ADD, ...set(PA),
    ...get(PANELS), ...i32(1), SUB, TEE, PANELS, BR_IF, 0,
    END,
    END,
  ];
}

// pack8's parameters.
const [SRC, RS, N, DST] = [0, 1, 2, 3];

function pack8Body(): number[] {
  // prettier-ignore
  return [
    LOOP, VOID,
    ...get(DST), ...get(SRC), ...load(0), ...store(0),
    ...get(DST), ...get(SRC), ...load(16), ...store(16),
    ...get(SRC), ...get(RS), ADD, ...set(SRC),
    ...get(DST), ...i32(32), ADD, ...set(DST),
    ...get(N), ...i32(1), SUB, TEE, N, BR_IF, 0,
    END,
    END,
  ];
}

// add4's parameters.
const [TO, FROM, GROUPS] = [0, 1, 2];

function add4Body(): number[] {
  // prettier-ignore
  return [
    LOOP, VOID,
    ...get(TO), ...get(TO), ...load(0), ...get(FROM), ...load(0), ...FADD, ...store(0),
    ...get(TO), ...i32(16), ADD, ...set(TO),
    ...get(FROM), ...i32(16), ADD, ...set(FROM),
    ...get(GROUPS), ...i32(1), SUB, TEE, GROUPS, BR_IF, 0,
    END,
    END,
  ];
}

const body = (locals: readonly (readonly [number, number])[], code: readonly number[]): number[] => {
  const bytes = [...vec(locals.map(([count, type]) => [...leb(count), type])), ...code];
  return [...leb(bytes.length), ...bytes];
};

/**
 * The module's bytes. `shared`: the memory it imports is a shared one (TensorFlow.js's threaded
 * build), whose import must say so and give its maximum (4 GiB, as that build's).
 */
export function gemmModuleBytes(fused: boolean, shared: boolean): Uint8Array<ArrayBuffer> {
  const types = vec([
    [0x60, ...vec(Array.from({ length: 10 }, () => [I32])), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32]]), 0],
  ]);
  const limits = shared ? [0x03, ...leb(1), ...leb(65536)] : [0x00, ...leb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const exports = vec([
    [...name('tiles'), 0x00, 0],
    [...name('pack8'), 0x00, 1],
    [...name('add4'), 0x00, 2],
  ]);
  const code = vec([
    body(
      [
        [7, I32],
        [11, V128],
      ],
      tilesBody(fused),
    ),
    body([], pack8Body()),
    body([], add4Body()),
  ]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

/** The module's exports. Pointers and strides are in bytes. */
export interface GemmExports {
  tiles(
    pa: number,
    ra: number,
    sa: number,
    pb: number,
    c: number,
    ldc: number,
    panels: number,
    kc: number,
    mode: number,
    bias: number,
  ): void;
  pack8(src: number, rs: number, kc: number, dst: number): void;
  /** n4 ≥ 1. */
  add4(dst: number, src: number, n4: number): void;
}
