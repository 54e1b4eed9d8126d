/**
 * Hostile input, the runs results import: the lab's own JSON export reads back as the same runs;
 * any text, and an export mangled as text or as JSON, gives runs the lab can keep or a message,
 * never a throw; and a document of many runs is read in linear time.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runsToJson } from '../../../src/core/runs/runExport';
import type { RunRecord } from '../../../src/core/runs/runs';
import { readRunRecord, RUN_SCHEMA, toStored } from '../../../src/core/runs/runSchema';
import { MAX_RESULTS_BYTES, readRunsDocument, type RunsImport } from '../../../src/core/runs/runsImport';
import {
  applyEdits,
  applyTextEdits,
  check,
  deeplyNestedText,
  DEEP,
  editArb,
  expectLinear,
  recordArb,
  textEditArb,
} from './arbitraries';

const FILE = 'runs.json';
const NOW = Date.UTC(2026, 0, 4);

/** What the import makes of a run the lab exported: the same run, stopped if it was running, from the file. */
function imported(r: RunRecord, file: string): RunRecord {
  const ranOn = r.origin ? r.origin.ranOn : `MLP Lab in another browser${r.backend ? ` (${r.backend})` : ''}`;
  return { ...r, status: r.status === 'running' ? 'stopped' : r.status, origin: { kind: 'results', ranOn, file } };
}

/** Any import: runs the lab can store as they are, or a message; never a throw. */
function expectSound(r: RunsImport, file = FILE): void {
  if (!r.ok) {
    expect(typeof r.message).toBe('string');
    expect(r.message.length).toBeGreaterThan(0);
    return;
  }
  for (const run of r.runs) {
    expect(run.status).not.toBe('running');
    expect(run.origin?.kind).toBe('results');
    expect(run.origin?.file).toBe(file);
    expect(readRunRecord(structuredClone(toStored(run)))).toEqual({ ok: true, record: run, from: RUN_SCHEMA });
  }
  for (const s of r.skipped) expect(s).toMatch(/^run \d+/);
}

const readSound = (text: string, file = FILE): RunsImport => {
  const r = readRunsDocument(text, file);
  expectSound(r, file);
  return r;
};

const runsArb = fc.array(recordArb, { maxLength: 6 });

/** A document with these runs: the format the import reads, whatever the runs are. */
const documentOf = (runs: unknown) => JSON.stringify({ format: 'mlp-lab-runs', version: 1, runs });

describe('fuzz: the runs results import', () => {
  test("the lab's JSON export reads back as the same runs", () => {
    check(
      fc.property(runsArb, fc.string({ minLength: 1, maxLength: 30 }), (runs, file) => {
        const r = readRunsDocument(runsToJson(runs, NOW), file);
        expect(r).toEqual({ ok: true, runs: runs.map((x) => imported(x, file)), skipped: [] });
      }),
      300,
    );
  });

  test('any text gives runs or a message, never a throw', () => {
    check(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.json(),
          fc.jsonValue().map((runs) => documentOf(runs)),
          fc.array(fc.jsonValue(), { maxLength: 4 }).map((runs) => documentOf(runs)),
        ),
        (text) => void readSound(text),
      ),
      500,
    );
  });

  test('an export mangled as text gives runs or a message, never a throw', () => {
    check(
      fc.property(runsArb, fc.array(textEditArb, { minLength: 1, maxLength: 8 }), (runs, edits) => {
        readSound(applyTextEdits(runsToJson(runs, NOW), edits));
      }),
      400,
    );
  });

  test('an export mangled as JSON (fields set, deleted, nudged, duplicated, wrapped) gives runs or a message', () => {
    check(
      fc.property(runsArb, fc.array(editArb, { minLength: 1, maxLength: 6 }), (runs, edits) => {
        const doc = JSON.parse(runsToJson(runs, NOW)) as unknown;
        readSound(JSON.stringify(applyEdits(doc, edits)));
      }),
      400,
    );
  });

  // 200 KB of valid JSON: a run whose field is an array nested 100,000 deep.
  test('a run with a deeply nested value in any field gives a message, never a throw', () => {
    const fields = ['id', 'started', 'status', 'epochs', 'params', 'backend', 'error', 'config', 'tag', 'testAcc'];
    check(
      fc.property(recordArb, fc.constantFrom(...fields), (run, field) => {
        const doc = JSON.parse(runsToJson([run], NOW)) as { runs: Record<string, unknown>[] };
        (doc.runs[0] as Record<string, unknown>)[field] = 'DEEP-VALUE';
        const text = JSON.stringify(doc).replace('"DEEP-VALUE"', deeplyNestedText(DEEP));
        expect(text.length).toBeLessThan(MAX_RESULTS_BYTES);
        readSound(text);
      }),
      30,
    );
  });

  // Beyond the brief's "never throws": what the page shows of a file it cannot read quotes the file
  // (its runs' ids) at most a little, as the model import's messages do (capQuotes).
  test('a message quotes at most a bounded part of the file (700 characters besides its name)', () => {
    check(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 100_000 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (ids) => {
          const runs = ids.map(([id, pad]) => ({ id: id + 'i'.repeat(pad), started: 'never' }));
          const r = readSound(documentOf(runs));
          if (!r.ok) expect(r.message.length).toBeLessThanOrEqual(700 + FILE.length);
          else for (const s of r.skipped) expect(s.length).toBeLessThanOrEqual(700);
        },
      ),
      50,
    );
  });

  test('timing: exports of 8,000 and 16,000 runs are read in linear time', () => {
    const many = (n: number) => {
      const run: RunRecord = {
        id: '0lq8x2k3c-ab12',
        startedAt: Date.UTC(2026, 0, 1),
        config: {
          layers: [
            { units: 32, activation: 'relu' },
            { units: 16, activation: 'tanh' },
          ],
          epochs: 3,
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
        epochs: [1, 2, 3].map((epoch) => ({ epoch, loss: 0.5, acc: 0.9, valLoss: 0.4, valAcc: 0.91, seconds: 2 })),
        testAcc: 0.9,
        testLoss: 0.3,
        params: 25818,
        backend: 'webgl',
        trainCount: 54000,
        valCount: 6000,
        error: null,
        tag: { experiment: 'depth', key: 'd2', repeat: 1, quick: false },
      };
      // Written compact (the lab indents its export): 16,000 runs stay under the 20 MB cap.
      const text = JSON.stringify(JSON.parse(runsToJson([run], NOW)).runs[0]);
      return `{"format":"mlp-lab-runs","version":1,"runs":[${Array.from({ length: n }, () => text).join(',')}]}`;
    };
    const small = many(8_000);
    const large = many(16_000);
    expect(large.length).toBeLessThan(MAX_RESULTS_BYTES);
    const times = expectLinear((t: string) => readRunsDocument(t, FILE), small, large);
    expect(times.large).toBeLessThan(2000);
    const r = readRunsDocument(large, FILE);
    expect(r.ok && r.runs.length).toBe(16_000);
    // Every run unreadable: each one skipped with its reason.
    const broken = (n: number) => many(n).replaceAll('"status":"done"', '"status":"lost"');
    expectLinear((t: string) => readRunsDocument(t, FILE), broken(8_000), broken(16_000));
  });

  test('timing: 5 MB and 10 MB of text that is not JSON, and of a JSON string, are refused in linear time', () => {
    const junk = (n: number) => `{"format":"mlp-lab-runs","runs":[${'1,'.repeat(n / 2)}x]}`;
    expectLinear((t: string) => readRunsDocument(t, FILE), junk(5_000_000), junk(10_000_000));
    const str = (n: number) => JSON.stringify('a'.repeat(n));
    expectLinear((t: string) => readRunsDocument(t, FILE), str(5_000_000), str(10_000_000));
  });
});
