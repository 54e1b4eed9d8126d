/**
 * Generators and mutators the fuzz tests share (issue "Hostile input"): valid configs, run
 * records and trained models; random edits of a document's text and of its parsed structure;
 * values that only a hostile file holds (deep nesting); and a timing guard for linear time.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { totalParams } from '../../../src/core/network/params';
import { warmupEpochs } from '../../../src/core/network/schedule';
import {
  ACTIVATIONS,
  BACKEND_CHOICES,
  DATASETS,
  INITS,
  LIMITS,
  MONITORS,
  SCHEDULES,
  LOSSES,
  AUGMENTS,
  OPTIMIZERS,
  PREPROCESSING,
  type HiddenLayer,
  type TrainConfig,
} from '../../../src/core/network/spec';
import { EXPERIMENT_IDS, VARIANT_IDS, type ExperimentTag } from '../../../src/core/tags';
import type { EpochLog, RunOrigin, RunRecord } from '../../../src/core/runs/runs';

/** Every property runs with this seed, so that CI sees the same inputs every time. */
export const SEED = 42;

/** fc.assert with the fixed seed. */
export function check<Ts>(prop: fc.IRawProperty<Ts>, numRuns: number): void {
  fc.assert(prop, { seed: SEED, numRuns });
}

/** -0 becomes 0 (JSON writes both as 0; a record never holds -0 on purpose). */
const plus0 = (x: number) => x + 0;

/** A double in [min, max], never NaN, with the bounds themselves likely. */
const between = (min: number, max: number) =>
  fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true })).map(plus0);

/** An unsigned 32-bit integer (fc.integer stops at 2^31 - 1). */
const uint32 = fc.oneof(
  fc.constantFrom(0, 1, 0xffffffff),
  fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => a * 0x10000 + b),
);

const width = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) },
  { weight: 1, arbitrary: fc.integer({ min: LIMITS.minWidth, max: LIMITS.maxWidth }) },
);

/** A hidden layer; some have dropout (a layer without has no `dropout` field, as the lab makes them). */
export const layerArb: fc.Arbitrary<HiddenLayer> = fc
  .tuple(
    fc.record({ units: width, activation: fc.constantFrom(...ACTIVATIONS) }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: between(0, LIMITS.maxDropout) }),
  )
  .map(([layer, dropout]): HiddenLayer => (dropout > 0 ? { ...layer, dropout } : layer));

/** Hidden layers within the lab's limits (layers are dropped from the end until the parameter cap holds). */
export const layersArb: fc.Arbitrary<HiddenLayer[]> = fc.array(layerArb, { maxLength: LIMITS.maxLayers }).map((ls) => {
  const out = [...ls];
  while (totalParams(out) > LIMITS.maxParams) out.pop();
  return out;
});

/** Any config the lab can run. */
export const configArb: fc.Arbitrary<TrainConfig> = fc
  .record({
    layers: layersArb,
    epochs: fc.integer({ min: LIMITS.minEpochs, max: LIMITS.maxEpochs }),
    batchSize: fc.integer({ min: LIMITS.minBatch, max: LIMITS.maxBatch }),
    learningRate: between(LIMITS.minLr, LIMITS.maxLr),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    validationSplit: between(LIMITS.minVal, LIMITS.maxVal),
    preprocessing: fc.constantFrom(...PREPROCESSING),
    seed: uint32,
    dataset: fc.constantFrom(...DATASETS),
    backend: fc.constantFrom(...BACKEND_CHOICES),
    subset: fc.option(fc.integer({ min: LIMITS.minSubset, max: LIMITS.maxSubset }), { nil: null }),
    init: fc.constantFrom(...INITS),
    l2: fc.oneof(fc.constant(0), between(LIMITS.minL2, LIMITS.maxL2)),
    l1: fc.oneof(fc.constant(0), between(LIMITS.minL2, LIMITS.maxL2)),
    maxNorm: fc.oneof(fc.constant(0), between(0, LIMITS.maxMaxNorm)),
    inputDropout: fc.oneof(fc.constant(0), between(0, LIMITS.maxDropout)),
    earlyPatience: fc.option(fc.integer({ min: 0, max: LIMITS.maxEpochs }), { nil: null }),
    earlyMonitor: fc.constantFrom(...MONITORS),
    schedule: fc.constantFrom(...SCHEDULES),
    warmup: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: LIMITS.maxEpochs - 1 })),
    loss: fc.constantFrom(...LOSSES),
    augment: fc.constantFrom(...AUGMENTS),
  })
  .map((c) => ({ ...c, warmup: warmupEpochs(c) })); // the warm-up a run can have (the link drops others)

/** A loss: any number, NaN and ±Infinity included (a run that diverged). */
const lossArb = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 20, noNaN: true }).map(plus0) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, Number.MAX_VALUE, Number.MIN_VALUE) },
  { weight: 1, arbitrary: fc.double().map(plus0) },
);
const share = between(0, 1);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map(plus0);

export const epochArb: fc.Arbitrary<EpochLog> = fc.record({
  epoch: fc.oneof(fc.integer({ min: 1, max: 500 }), finite),
  loss: lossArb,
  acc: share,
  valLoss: fc.option(lossArb, { nil: null }),
  valAcc: fc.option(share, { nil: null }),
  seconds: fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }).map(plus0), fc.constant(0)),
});

const tagKey = fc.stringMatching(/^[A-Za-z0-9_-]{1,100}$/);

export const tagArb: fc.Arbitrary<ExperimentTag> = fc
  .tuple(
    fc.constantFrom(...EXPERIMENT_IDS, 'check' as const),
    tagKey,
    fc.oneof(fc.integer({ min: 0, max: 20 }), finite),
    fc.boolean(),
    fc.option(fc.constantFrom(...VARIANT_IDS), { nil: undefined }),
  )
  .map(([experiment, key, repeat, quick, variant]) =>
    variant === undefined ? { experiment, key, repeat, quick } : { experiment, key, repeat, quick, variant },
  );

const originArb: fc.Arbitrary<RunOrigin> = fc.record({
  kind: fc.constantFrom('model' as const, 'results' as const),
  ranOn: fc.string({ maxLength: 40 }),
  file: fc.string({ maxLength: 40 }),
});

/** 2100-01-01 in ms: the latest start the schema reads. */
export const LATEST = Date.UTC(2100, 0, 1);

/** Any record the run schema accepts (start times in whole milliseconds, as Date.now() gives them). */
export const recordArb: fc.Arbitrary<RunRecord> = fc
  .record({
    id: fc.oneof(fc.stringMatching(/^[0-9a-z]{9}-[0-9a-z]{4}$/), fc.string({ maxLength: 30 })),
    startedAt: fc.oneof(fc.constantFrom(0, LATEST), fc.integer({ min: 0, max: LATEST })),
    config: configArb,
    status: fc.constantFrom('running' as const, 'done' as const, 'stopped' as const, 'error' as const),
    epochs: fc.array(epochArb, { maxLength: 6 }),
    testAcc: fc.option(share, { nil: null }),
    testLoss: fc.option(lossArb, { nil: null }),
    params: fc.oneof(fc.nat(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER, 1e300)),
    backend: fc.option(fc.oneof(fc.constantFrom('webgl', 'wasm', 'cpu', ''), fc.string({ maxLength: 20 })), {
      nil: null,
    }),
    trainCount: fc.option(fc.oneof(fc.nat(60000), finite), { nil: null }),
    valCount: fc.option(fc.oneof(fc.nat(60000), finite), { nil: null }),
    error: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
    tag: fc.option(tagArb, { nil: null }),
    origin: fc.option(originArb, { nil: undefined }),
  })
  .map(({ origin, ...r }) => (origin === undefined ? r : { ...r, origin }));

// ---------------------------------------------------------------------------------------------
// Mutations

/** Values a hostile or broken file puts where another value belongs. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1,
      1.5,
      -0.5,
      2,
      10,
      784,
      4097,
      1e9,
      1e308,
      -1e308,
      2 ** 53,
      5e-324,
      '',
      ' ',
      '0',
      '32',
      'NaN',
      'Infinity',
      '-Infinity',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'softmax',
      'linear',
      'relu',
      'sigmoid',
      'Dense',
      'Dropout',
      'Flatten',
      'Activation',
      'Softmax',
      'ReLU',
      'InputLayer',
      'Sequential',
      'float32',
      'int32',
      'mlp-lab-runs',
      'layers-model',
      'graph-model',
      'model.weights.bin',
      'keras',
      'depth',
      'check',
      'running',
      [],
      {},
      [null],
      [784],
      [null, 784],
      [[]],
      { class_name: 'Dense', config: {} },
      'x'.repeat(1000),
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** One structural edit: where (an index among every slot of the document), what, and with which value. */
export interface Edit {
  readonly at: number;
  readonly op: 'set' | 'delete' | 'nudge' | 'dup' | 'wrap';
  readonly value: unknown;
}

export const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set' as const, 'delete' as const, 'nudge' as const, 'dup' as const, 'wrap' as const),
  value: oddValue,
});

type Slot = { readonly parent: Record<string, unknown> | unknown[]; readonly key: string | number };

/** Every slot (object property or array element) of a JSON value, depth first. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i });
        stack.push(child);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, child] of Object.entries(node)) {
        out.push({ parent: node as Record<string, unknown>, key: k });
        stack.push(child);
      }
    }
  }
  return out;
}

/** A value near `x`: a number moved just out of a range, a string emptied or lengthened. */
function nudge(x: unknown, seed: number): unknown {
  if (typeof x === 'number') return [x + 1, x - 1, -x, x * 1000, x / 3, x + 0.5, 0, 1e308][seed % 8];
  if (typeof x === 'string') return [`${x}x`, '', x.toUpperCase(), ` ${x}`, x.slice(1), x.repeat(3)][seed % 6];
  if (typeof x === 'boolean') return !x;
  if (Array.isArray(x)) return [[], x.slice(1), [...x, ...x], x.slice(0, -1)][seed % 4];
  if (x === null) return [0, '', {}][seed % 3];
  return [null, [], 'object'][seed % 3];
}

/** `doc` (a JSON value, cloned) with the edits applied; the slots are counted afresh before each. */
export function applyEdits(doc: unknown, edits: readonly Edit[]): unknown {
  let root = structuredClone(doc);
  for (const e of edits) {
    const all = slots(root);
    if (all.length === 0) {
      root = e.op === 'set' ? e.value : root;
      continue;
    }
    const { parent, key } = all[e.at % all.length] as Slot;
    const get = () => (parent as Record<string | number, unknown>)[key];
    const set = (v: unknown) => ((parent as Record<string | number, unknown>)[key] = v);
    switch (e.op) {
      case 'set':
        set(structuredClone(e.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key as string];
        break;
      case 'nudge':
        set(nudge(get(), e.at));
        break;
      case 'dup':
        if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(get()));
        else set([get(), get()]);
        break;
      case 'wrap':
        set(e.at % 2 === 0 ? [get()] : { value: get() });
        break;
    }
  }
  return root;
}

/** One edit of a text: insert, delete, replace, duplicate a stretch, or cut the rest off. */
export interface TextEdit {
  readonly at: number;
  readonly len: number;
  readonly op: 'insert' | 'delete' | 'replace' | 'dup' | 'cut';
  readonly s: string;
}

export const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.nat(),
  len: fc.nat(40),
  op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const, 'dup' as const, 'cut' as const),
  s: fc.oneof(
    fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', 'null', '-', 'e9', '0', '1e400', '\\u0000', '\uFFFF'),
    fc.string({ unit: 'binary', maxLength: 8 }),
  ),
});

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    const end = Math.min(t.length, at + e.len);
    if (e.op === 'insert') t = t.slice(0, at) + e.s + t.slice(at);
    else if (e.op === 'delete') t = t.slice(0, at) + t.slice(end);
    else if (e.op === 'replace') t = t.slice(0, at) + e.s + t.slice(end);
    else if (e.op === 'dup') t = t.slice(0, end) + t.slice(at, end) + t.slice(end);
    else t = t.slice(0, at);
  }
  return t;
}

/** A JSON array nested `depth` deep around `inner` (built without recursion). */
export function deeplyNested(depth: number, inner: unknown = 0): unknown {
  let x: unknown = inner;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

/** The same as text: '[[[…0…]]]'. */
export const deeplyNestedText = (depth: number, inner = '0') => '['.repeat(depth) + inner + ']'.repeat(depth);

/** Deep enough to overflow a recursive walk of the value (JSON.stringify, Array.prototype.join). */
export const DEEP = 100_000;

// ---------------------------------------------------------------------------------------------
// Timing

/** The fastest of `reps` runs of each of `f` and `g`, taken in turn so that both see the same load, in ms. */
function fastestInTurn(f: () => void, g: () => void, reps: number): [number, number] {
  let bestF = Infinity;
  let bestG = Infinity;
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    f();
    bestF = Math.min(bestF, performance.now() - t0);
    t0 = performance.now();
    g();
    bestG = Math.min(bestG, performance.now() - t0);
  }
  return [bestF, bestG];
}

/**
 * Asserts that reading an input of size n and one of size 2n takes linear time: after a warm-up,
 * the larger is read in under `boundMs` and in under 3× the time of the smaller (plus `slackMs`, so
 * that a few milliseconds of noise on a loaded machine do not count). Quadratic reading takes 4×.
 * The two are timed in turn, and a ratio over 3× is measured again up to `attempts` times before it
 * fails: on a machine busy with other test files, one garbage collection in the larger input's runs
 * once made a linear reader look 3.8× slower (CI, stop 35). A quadratic reader is 4× every time.
 * Returns both times of the last attempt.
 */
export function expectLinear(
  read: (input: never) => unknown,
  small: unknown,
  large: unknown,
  {
    boundMs = 2000,
    slackMs = 30,
    reps = 3,
    attempts = 3,
  }: { boundMs?: number; slackMs?: number; reps?: number; attempts?: number } = {},
): { small: number; large: number } {
  const run = read as (input: unknown) => unknown;
  run(small); // warm-up: compile the paths the input takes
  let t1 = Infinity;
  let t2 = Infinity;
  for (let a = 0; a < attempts; a++) {
    [t1, t2] = fastestInTurn(
      () => run(small),
      () => run(large),
      reps,
    );
    if (t2 < 3 * t1 + slackMs) break;
  }
  expect(t2, `the larger input took ${t2.toFixed(1)} ms`).toBeLessThan(boundMs);
  expect(t2, `2× the input took ${t2.toFixed(1)} ms, 1× took ${t1.toFixed(1)} ms`).toBeLessThan(3 * t1 + slackMs);
  return { small: t1, large: t2 };
}
