import { describe, expect, test } from 'vitest';
import { runsToJson } from '../../../../src/core/runs/runExport';
import { newRunRecord, originLabel, type RunRecord } from '../../../../src/core/runs/runs';
import { collectRuns, MAX_RESULTS_BYTES, readRunsDocument } from '../../../../src/core/runs/runsImport';
import { experimentResults } from '../../../../src/core/experiments/experimentResults';
import { experimentById } from '../../../../src/core/experiments/experiments';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';

const done = (id: string, startedAt: number, testAcc: number, o: Partial<RunRecord> = {}): RunRecord => ({
  ...newRunRecord(id, startedAt, { ...DEFAULT_CONFIG, seed: 7 }),
  status: 'done',
  testAcc,
  testLoss: 0.4,
  backend: 'webgl',
  trainCount: 54000,
  valCount: 6000,
  epochs: [{ epoch: 1, loss: Number.NaN, acc: 0.5, valLoss: Infinity, valAcc: 0.6, seconds: 3 }],
  ...o,
});

describe('importing a runs results file', () => {
  test("the lab's own JSON export comes back as the same runs, marked as from another browser", () => {
    const tag = { experiment: 'depth' as const, key: 'd2', repeat: 1, quick: false };
    const runs = [done('a', Date.UTC(2026, 0, 2), 0.88), done('b', Date.UTC(2026, 0, 3), 0.77, { tag })];
    const r = readRunsDocument(runsToJson(runs, Date.UTC(2026, 0, 4)), 'export.json');
    if (!r.ok) throw new Error(r.message);
    expect(r.skipped).toEqual([]);
    expect(r.runs.map((x) => ({ ...x, origin: undefined }))).toEqual(runs.map((x) => ({ ...x, origin: undefined })));
    expect(r.runs[1]?.tag).toEqual(tag);
    // NaN and Infinity were written as strings and come back as numbers.
    expect(r.runs[0]?.epochs[0]?.loss).toBeNaN();
    expect(r.runs[0]?.epochs[0]?.valLoss).toBe(Infinity);
    expect(r.runs[0]?.origin).toEqual({
      kind: 'results',
      ranOn: 'MLP Lab in another browser (webgl)',
      file: 'export.json',
    });
    expect(originLabel(r.runs[0]?.origin)).toBe('ran in MLP Lab in another browser (webgl), imported');
  });

  test("a Keras script's results are marked with the Keras backend they ran on; a broken run is skipped with its reason", () => {
    const keras = {
      id: 'keras-d1-seed1-1700000000',
      started: '2026-01-05T10:00:00Z',
      query: 'layers=32',
      config: { ...DEFAULT_CONFIG, seed: 1 },
      tag: { experiment: 'depth', key: experimentById('depth').configs[0]?.key, repeat: 1, quick: false },
      status: 'done',
      params: 25450,
      backend: 'keras-3.6.0-tensorflow',
      ranOn: 'keras',
      trainCount: 54000,
      valCount: 6000,
      testLoss: 0.41,
      testAcc: 0.889,
      error: null,
      epochs: [{ epoch: 1, loss: 1.2, acc: 0.7, valLoss: 0.9, valAcc: 0.8, seconds: 2.5 }],
    };
    const text = JSON.stringify({
      format: 'mlp-lab-runs',
      version: 1,
      runs: [keras, { ...keras, id: 'x', config: { ...keras.config, layers: [{ units: -3, activation: 'relu' }] } }],
    });
    const r = readRunsDocument(text, 'results.json');
    if (!r.ok) throw new Error(r.message);
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]?.origin).toEqual({ kind: 'results', ranOn: 'keras-3.6.0-tensorflow', file: 'results.json' });
    expect(r.runs[0]?.startedAt).toBe(Date.UTC(2026, 0, 5, 10));
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatch(/^run 2 \(x\): /);
    // Tagged as the depth experiment, but the experiment's table is this lab's measurement only.
    const depth = experimentById('depth');
    expect(experimentResults(depth, r.runs, false, 'mnist').every((c) => c.runs === 0)).toBe(true);
    const here: RunRecord = { ...(r.runs[0] as RunRecord) };
    delete (here as { origin?: unknown }).origin;
    expect(experimentResults(depth, [here], false, 'mnist')[0]?.runs).toBe(1);
  });

  test('files that are not results files say what they are', () => {
    expect(readRunsDocument('{oops', 'a.json')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^a\.json is not valid JSON/),
    });
    expect(readRunsDocument(JSON.stringify({ format: 'layers-model', modelTopology: {} }), 'model.json')).toMatchObject(
      { ok: false, message: expect.stringMatching(/It is a model: import it with "Import model"/) },
    );
    expect(readRunsDocument(JSON.stringify({ format: 'mlp-lab-runs', runs: [1, 2] }), 'r.json')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^No run in r\.json could be read/),
    });
  });
});

describe('collecting the runs of results files against the history', () => {
  const file = (name: string, text: string, size = text.length) => {
    const read: string[] = [];
    return { read, f: { name, size, text: () => (read.push(name), Promise.resolve(text)) } };
  };
  const runs = [done('a', 1, 0.8), done('b', 2, 0.81), done('c', 3, 0.82)];

  test('new runs are added once, runs here are counted, ids of unreadable stored records are left out', async () => {
    const one = file('one.json', runsToJson(runs, 10));
    const two = file('two.json', runsToJson([done('c', 3, 0.82), done('d', 4, 0.83)], 10));
    const stages: string[] = [];
    const r = await collectRuns([one.f, two.f], ['a'], ['b'], (s) => stages.push(s));
    if (typeof r === 'string') throw new Error(r);
    expect(r.added.map((x) => x.id)).toEqual(['c', 'd']);
    expect(r.known).toBe(2); // 'a' here already; 'c' of two.json came with one.json
    expect(r.skipped).toEqual(['b: a stored record with this id could not be read and is kept']);
    expect(stages[0]).toMatch(/^Reading one\.json \(0\.0 MB\)…$/);
    expect(stages).toContain('Checking the runs in two.json…');
  });

  test('a file over the size limit is refused before any file is read', async () => {
    const ok = file('ok.json', runsToJson(runs, 10));
    const big = file('big.json', '{}', MAX_RESULTS_BYTES + 1);
    const r = await collectRuns([ok.f, big.f], [], []);
    expect(r).toBe(
      `big.json is ${((MAX_RESULTS_BYTES + 1) / 1e6).toFixed(1)} MB, too large for a results file (at most ${MAX_RESULTS_BYTES / 1e6} MB).`,
    );
    expect([...ok.read, ...big.read]).toEqual([]);
  });

  test('a file that is not a results file stops the import with its reason', async () => {
    const r = await collectRuns([file('x.json', '{"format":"other"}').f], [], []);
    expect(r).toMatch(/^x\.json is not a runs results file/);
  });
});
