import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, runsToCsv, runsToJson } from '../../../../src/core/runs/runExport';
import { newRunRecord, type EpochLog, type RunRecord } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import { decodeConfig } from '../../../../src/core/link/urlCodec';
import { parseCsv } from '../../../support/csv';

/** The CSV as objects keyed by column name. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header');
  return rows.map((r) => {
    expect(r).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
  });
}

const log = (epoch: number, o: Partial<EpochLog> = {}): EpochLog => ({
  epoch,
  loss: 1 / epoch,
  acc: 0.8 + epoch / 100,
  valLoss: 0.9 / epoch,
  valAcc: 0.85 + epoch / 100,
  seconds: 2 + epoch / 10,
  ...o,
});

const configA: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [
    { units: 32, activation: 'relu' },
    { units: 16, activation: 'tanh' },
  ],
  optimizer: 'adam',
  learningRate: 0.001,
  seed: 12345,
  subset: 5000,
  backend: 'webgl',
};
const configB: TrainConfig = { ...DEFAULT_CONFIG, layers: [{ units: 64, activation: 'sigmoid' }], seed: 7 };

const runA: RunRecord = {
  ...newRunRecord('0lq8x2k3c-ab12', Date.UTC(2024, 0, 2, 3, 4, 5), configA),
  status: 'done',
  epochs: [log(1), log(2, { valLoss: null, valAcc: null }), log(3)],
  testAcc: 0.9512,
  testLoss: 0.1618,
  backend: 'webgl',
  trainCount: 4500,
  valCount: 500,
};
const runB: RunRecord = {
  ...newRunRecord('0lq8y0000-zz99', Date.UTC(2024, 5, 1), configB),
  status: 'error',
  epochs: [log(1), log(2, { loss: Number.NaN, valLoss: Number.POSITIVE_INFINITY })],
  backend: 'cpu',
  trainCount: 54000,
  valCount: 6000,
  error: 'The loss became NaN at epoch 2',
};
const runC: RunRecord = newRunRecord('0lq8z0000-0001', Date.UTC(2024, 5, 2), DEFAULT_CONFIG);

describe('runsToCsv', () => {
  test('the header is CSV_COLUMNS, the lines end in CRLF', () => {
    const csv = runsToCsv([runA]);
    expect(parseCsv(csv)[0]).toEqual([...CSV_COLUMNS]);
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  test('one row per epoch of every run, in order', () => {
    const rows = csvRecords(runsToCsv([runA, runB]));
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => [r.run_id, r.epoch])).toEqual([
      [runA.id, '1'],
      [runA.id, '2'],
      [runA.id, '3'],
      [runB.id, '1'],
      [runB.id, '2'],
    ]);
  });

  test('a run with no epoch still gets one row, its epoch fields empty', () => {
    const rows = csvRecords(runsToCsv([runA, runC]));
    expect(rows).toHaveLength(4);
    const c = rows[3] as Record<string, string>;
    expect(c.run_id).toBe(runC.id);
    expect(c.status).toBe('running');
    for (const col of [
      'epoch',
      'loss',
      'acc',
      'val_loss',
      'val_acc',
      'seconds',
      'test_loss',
      'test_acc',
      'backend',
      'training_images',
    ]) {
      expect(c[col]).toBe('');
    }
    expect(runsToCsv([])).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  test('values survive the round trip', () => {
    const rows = csvRecords(runsToCsv([runA, runB]));
    const a1 = rows[0] as Record<string, string>;
    expect(a1).toMatchObject({
      started: '2024-01-02T03:04:05.000Z',
      architecture: '32 relu, 16 tanh',
      hidden_layers: '32 16',
      activations: 'relu tanh',
      params: String(runA.params),
      optimizer: 'adam',
      learning_rate: '0.001',
      batch_size: '128',
      epochs_planned: '5',
      preprocessing: 'raw',
      validation_split: '0.1',
      training_images: '4500',
      seed: '12345',
      dataset: 'mnist',
      backend: 'webgl',
      status: 'done',
    });
    const num = (s: string | undefined): number | null => (s === '' || s === undefined ? null : Number(s));
    expect(rows.slice(0, 3).map((r) => num(r.val_acc))).toEqual(runA.epochs.map((e) => e.valAcc));
    expect(rows.slice(0, 3).map((r) => num(r.val_acc))).toEqual([0.86, null, 0.88]);
    expect(rows[1]?.val_acc).toBe('');
    expect(rows[1]?.val_loss).toBe('');
    expect(rows.slice(0, 3).map((r) => Number(r.loss))).toEqual(runA.epochs.map((e) => e.loss));
    expect(rows.slice(0, 3).map((r) => Number(r.seconds))).toEqual(runA.epochs.map((e) => e.seconds));
    expect(rows.slice(0, 3).map((r) => Number(r.test_acc))).toEqual([0.9512, 0.9512, 0.9512]);
    expect(rows.slice(0, 3).map((r) => Number(r.test_loss))).toEqual([0.1618, 0.1618, 0.1618]);
    // A run that failed: no test result, a diverged loss written as NaN.
    expect(rows[3]?.test_acc).toBe('');
    expect(rows[4]?.loss).toBe('NaN');
    expect(rows[4]?.val_loss).toBe('Infinity');
    expect(rows[4]?.status).toBe('error');
  });

  test('cells holding commas, quotes or line breaks are quoted; quotes are doubled', () => {
    const odd: RunRecord = { ...runA, backend: 'gpu "fast", maybe\nnot' };
    const csv = runsToCsv([odd]);
    expect(csv).toContain('"32 relu, 16 tanh"');
    expect(csv).toContain('"gpu ""fast"", maybe\nnot"');
    const row = csvRecords(csv)[0] as Record<string, string>;
    expect(row.backend).toBe('gpu "fast", maybe\nnot');
    expect(row.architecture).toBe('32 relu, 16 tanh');
  });

  test('strings starting with = + - @, a tab or a carriage return are defused with a leading apostrophe; numbers are not', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      const text = `${lead}HYPERLINK("http://x","y")`;
      const row = csvRecords(runsToCsv([{ ...runA, id: `${lead}1+1`, backend: text }]))[0] as Record<string, string>;
      expect(row.run_id).toBe(`'${lead}1+1`);
      expect(row.backend).toBe(`'${text}`);
    }
    const negative = csvRecords(runsToCsv([{ ...runA, epochs: [log(1, { loss: -0.5 })] }]))[0] as Record<
      string,
      string
    >;
    expect(negative.loss).toBe('-0.5');
    // Harmless strings are left alone.
    expect(csvRecords(runsToCsv([{ ...runA, backend: 'a=b' }]))[0]?.backend).toBe('a=b');
  });
});

describe('runsToJson', () => {
  interface JsonRun {
    id: string;
    started: string;
    architecture: string;
    query: string;
    config: unknown;
    status: string;
    params: number;
    backend: string | null;
    trainCount: number | null;
    valCount: number | null;
    secondsPerEpoch: number | null;
    testLoss: number | null;
    testAcc: number | null;
    error: string | null;
    epochs: Record<string, unknown>[];
  }
  interface JsonDoc {
    format: string;
    version: number;
    exportedAt: string;
    runs: JsonRun[];
  }
  const exportedAt = Date.UTC(2024, 6, 1, 12, 0, 0);
  const doc = JSON.parse(runsToJson([runA, runB, runC], exportedAt)) as JsonDoc;

  test('a self-describing document with one object per run', () => {
    expect(doc.format).toBe('mlp-lab-runs');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2024-07-01T12:00:00.000Z');
    expect(doc.runs.map((r) => r.id)).toEqual([runA.id, runB.id, runC.id]);
    const a = doc.runs[0] as JsonRun;
    expect(a).toMatchObject({
      started: '2024-01-02T03:04:05.000Z',
      architecture: '32 relu, 16 tanh',
      status: 'done',
      params: runA.params,
      backend: 'webgl',
      trainCount: 4500,
      valCount: 500,
      testLoss: 0.1618,
      testAcc: 0.9512,
      error: null,
    });
    expect(a.secondsPerEpoch).toBeCloseTo(2.25, 12);
    expect(a.config).toEqual(configA);
    expect(doc.runs[2]?.secondsPerEpoch).toBeNull();
  });

  test('every epoch of every run is there', () => {
    expect(doc.runs.map((r) => r.epochs.length)).toEqual([3, 2, 0]);
    expect(doc.runs[0]?.epochs).toEqual(runA.epochs);
    expect(doc.runs[1]?.epochs[0]).toEqual(runB.epochs[0]);
  });

  test('NaN and Infinity losses are written as strings, not as null', () => {
    const e2 = doc.runs[1]?.epochs[1];
    expect(e2?.loss).toBe('NaN');
    expect(e2?.valLoss).toBe('Infinity');
    expect(e2?.acc).toBe(runB.epochs[1]?.acc);
    const neg = JSON.parse(runsToJson([{ ...runC, testLoss: Number.NEGATIVE_INFINITY }], 0)) as JsonDoc;
    expect(neg.runs[0]?.testLoss).toBe('-Infinity');
  });

  test('query is a share link that decodes back to the run config', () => {
    for (const [i, run] of [runA, runB, runC].entries()) {
      const decoded = decodeConfig(doc.runs[i]?.query ?? '', () => 999);
      expect(decoded.notices).toEqual([]);
      expect(decoded.seedGiven).toBe(true);
      expect(decoded.config).toEqual(run.config);
    }
  });
});
