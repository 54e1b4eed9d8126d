/**
 * Hostile input, the stored-run reader: a valid record written by this build reads back equal;
 * anything else (any JSON value, a valid record mutated) gives a valid record or a short reason,
 * never a throw; and a large record is read in linear time.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readRunRecord, RUN_SCHEMA, toStored, type ReadRun } from '../../../src/core/runs/runSchema';
import type { RunRecord } from '../../../src/core/runs/runs';
import { applyEdits, check, deeplyNested, DEEP, editArb, expectLinear, oddValue, recordArb } from './arbitraries';

/** The longest reason a record that cannot be read may give (they quote at most 40 characters of it). */
const MAX_REASON = 300;

/**
 * What any read must give: a reason that is a short string, or a record that reads back the same
 * when stored again (it is valid as it is).
 */
function expectSound(r: ReadRun): void {
  if (!r.ok) {
    expect(Object.keys(r).sort()).toEqual(['ok', 'reason']);
    expect(typeof r.reason).toBe('string');
    expect(r.reason.length).toBeGreaterThan(0);
    expect(r.reason.length).toBeLessThanOrEqual(MAX_REASON);
    return;
  }
  expect(r.from).toBeGreaterThanOrEqual(0);
  expect(r.from).toBeLessThanOrEqual(RUN_SCHEMA);
  expect(readRunRecord(structuredClone(toStored(r.record)))).toEqual({ ok: true, record: r.record, from: RUN_SCHEMA });
}

/** Reads `raw`, which must not throw. */
const readSound = (raw: unknown): ReadRun => {
  const r = readRunRecord(raw);
  expectSound(r);
  return r;
};

/** Every field a record has, the config's and an epoch's included, as paths. */
const FIELDS: readonly (readonly string[])[] = [
  ['id'],
  ['startedAt'],
  ['status'],
  ['epochs'],
  ['testAcc'],
  ['testLoss'],
  ['params'],
  ['backend'],
  ['trainCount'],
  ['valCount'],
  ['error'],
  ['tag'],
  ['origin'],
  ['schema'],
  ['config'],
  ['config', 'layers'],
  ['config', 'epochs'],
  ['config', 'optimizer'],
  ['config', 'seed'],
  ['config', 'init'],
  ['config', 'subset'],
];

/** `stored` with the field at `path` set to `value` (objects on the way are copied). */
function withField(stored: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...stored, [head]: value };
  return { ...stored, [head]: withField(stored[head] as Record<string, unknown>, rest, value) };
}

describe('fuzz: the stored-run reader', () => {
  test('a valid record, stored, reads back equal', () => {
    check(
      fc.property(recordArb, (run) => {
        expect(readRunRecord(structuredClone(toStored(run)))).toEqual({ ok: true, record: run, from: RUN_SCHEMA });
      }),
      400,
    );
  });

  test('any JSON value gives a short reason or a valid record, never a throw', () => {
    check(
      fc.property(fc.oneof(fc.jsonValue(), fc.object(), fc.array(fc.jsonValue(), { maxLength: 3 })), (raw) => {
        readSound(raw);
      }),
      500,
    );
  });

  test('a valid record with any JSON value in one of its fields: a reason or a valid record', () => {
    check(
      fc.property(recordArb, fc.constantFrom(...FIELDS), oddValue, (run, path, value) => {
        readSound(withField(toStored(run) as unknown as Record<string, unknown>, path, value));
      }),
      500,
    );
  });

  test('a valid record mutated anywhere (set, deleted, nudged, duplicated, wrapped): a reason or a valid record', () => {
    check(
      fc.property(recordArb, fc.array(editArb, { minLength: 1, maxLength: 5 }), fc.boolean(), (run, edits, old) => {
        // Mutate what this build writes, and what an old one wrote (no schema: read with defaults).
        const stored: Record<string, unknown> = { ...toStored(run) };
        if (old) delete stored.schema;
        readSound(applyEdits(JSON.parse(JSON.stringify(stored)), edits));
      }),
      500,
    );
  });

  // A JSON value nested 100,000 deep is valid JSON (JSON.parse reads it): a record from a file or
  // from localStorage may hold one where the reader quotes a value (`show`, JSON.stringify).
  test('a deeply nested value in any field: a reason, never a throw', () => {
    const deep = deeplyNested(DEEP);
    check(
      fc.property(recordArb, fc.constantFrom(...FIELDS), (run, path) => {
        readSound(withField(toStored(run) as unknown as Record<string, unknown>, path, deep));
      }),
      50,
    );
  });

  // IndexedDB stores structured clones, not JSON: a record read from it may hold values JSON has not.
  test('values IndexedDB can hold but JSON cannot (BigInt, a cycle, Map, Date, typed arrays): a reason, never a throw', () => {
    const cyclic = (): unknown => {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    };
    const cloneOnly = fc.constantFrom<() => unknown>(
      () => 1n,
      cyclic,
      () => new Map([[1, 2]]),
      () => new Set([1]),
      () => new Date(0),
      () => new Uint8Array(3),
      () => /x/,
      () => undefined,
    );
    check(
      fc.property(recordArb, fc.constantFrom(...FIELDS), cloneOnly, (run, path, make) => {
        readSound(withField(toStored(run) as unknown as Record<string, unknown>, path, make()));
      }),
      200,
    );
  });

  test('timing: records of 200,000 and 400,000 epochs, and a 2 MB and a 4 MB id, are read in linear time', () => {
    const base: RunRecord = {
      id: 'r',
      startedAt: 0,
      config: {
        layers: [{ units: 32, activation: 'relu' }],
        epochs: 5,
        batchSize: 128,
        learningRate: 0.01,
        optimizer: 'sgd',
        validationSplit: 0.1,
        preprocessing: 'raw',
        seed: 1,
        dataset: 'mnist',
        backend: 'auto',
        subset: null,
        init: 'glorot_uniform',
        l2: 0,
        l1: 0,
        maxNorm: 0,
        inputDropout: 0,
        earlyPatience: null,
        earlyMonitor: 'val_loss',
        schedule: 'const',
        warmup: 0,
        loss: 'ce',
        augment: 'none',
      },
      status: 'done',
      epochs: [],
      testAcc: 0.9,
      testLoss: 0.3,
      params: 25450,
      backend: 'webgl',
      trainCount: 54000,
      valCount: 6000,
      error: null,
      tag: null,
    };
    const withEpochs = (n: number) =>
      toStored({
        ...base,
        epochs: Array.from({ length: n }, (_, i) => ({
          epoch: i + 1,
          loss: 1 / (i + 1),
          acc: 0.5,
          valLoss: null,
          valAcc: 0.5,
          seconds: 1,
        })),
      });
    expectLinear(readRunRecord, withEpochs(200_000), withEpochs(400_000));
    // A bad epoch at the end: the whole list is walked, then refused.
    const badLast = (n: number) => {
      const s = withEpochs(n);
      return { ...s, epochs: [...s.epochs, { epoch: 'x' }] };
    };
    expectLinear(readRunRecord, badLast(200_000), badLast(400_000));
    // A long value quoted in a reason: only 40 characters of it are.
    const longTag = (n: number) => ({ ...toStored(base), tag: { experiment: 'x'.repeat(n) } });
    expectLinear(readRunRecord, longTag(2_000_000), longTag(4_000_000));
    expectSound(readRunRecord(longTag(4_000_000)));
  });
});
