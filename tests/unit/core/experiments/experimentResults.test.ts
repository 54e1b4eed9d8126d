import { describe, expect, test } from 'vitest';
import {
  experimentResults,
  resultsToCsv,
  resultsToJson,
  runsOfConfig,
  type ConfigResult,
} from '../../../../src/core/experiments/experimentResults';
import {
  experimentById,
  experimentRunConfig,
  type ExperimentConfig,
  type ExperimentId,
  type ExperimentTag,
} from '../../../../src/core/experiments/experiments';
import { totalParams } from '../../../../src/core/network/params';
import { measurementIndex, newRunRecord, type EpochLog, type RunRecord } from '../../../../src/core/runs/runs';
import type { DatasetName } from '../../../../src/core/network/spec';

const depth = experimentById('depth');
const cfgOf = (id: ExperimentId, key: string): ExperimentConfig => {
  const c = experimentById(id).configs.find((x) => x.key === key);
  if (!c) throw new Error(`no config ${key} in ${id}`);
  return c;
};

const epochs = (...seconds: number[]): EpochLog[] =>
  seconds.map((s, i) => ({ epoch: i + 1, loss: 0.5, acc: 0.9, valLoss: 0.4, valAcc: 0.9, seconds: s }));

interface RunOptions {
  readonly experiment?: ExperimentId;
  readonly key?: string;
  readonly repeat?: number;
  readonly quick?: boolean;
  readonly dataset?: DatasetName;
  readonly status?: RunRecord['status'];
  readonly epochs?: EpochLog[];
  /** Null: a run of the controls, with no tag at all. */
  readonly untagged?: boolean;
}

let nextId = 0;
/** A finished experiment run (by default: depth, 1 layer, full MNIST, done, 5 one-second epochs). */
function run(testAcc: number | null, o: RunOptions = {}): RunRecord {
  const experiment = o.experiment ?? 'depth';
  const key = o.key ?? 'w32d1';
  const quick = o.quick ?? false;
  const dataset = o.dataset ?? 'mnist';
  const repeat = o.repeat ?? 1;
  const tag: ExperimentTag = { experiment, key, repeat, quick };
  const config = experimentRunConfig(cfgOf(experiment, key), repeat, { quick, dataset });
  const id = `run-${++nextId}`;
  return {
    ...newRunRecord(id, 1_000 + nextId, config, o.untagged ? null : tag),
    status: o.status ?? 'done',
    testAcc,
    epochs: o.epochs ?? epochs(1, 1, 1, 1, 1),
  };
}

const byKey = (rows: readonly ConfigResult[], key: string): ConfigResult => {
  const r = rows.find((x) => x.config.key === key);
  if (!r) throw new Error(`no row ${key}`);
  return r;
};

describe('runsOfConfig / experimentResults: which runs count (issue 21: a measurement is a setup and a seed)', () => {
  const c1 = cfgOf('depth', 'w32d1');
  const ids = (all: RunRecord[], quick = false, dataset: DatasetName = 'mnist') =>
    runsOfConfig(c1, measurementIndex(all), quick, dataset).map((r) => r.id);

  test('only done runs of this lab with a finite test accuracy, of this setup, mode and dataset', () => {
    const mine = run(0.9);
    const others = [
      run(0.1, { key: 'w32d2' }), // other config
      run(0.1, { quick: true }), // other mode
      run(0.1, { dataset: 'fashion' }), // other dataset
      run(0.1, { status: 'stopped', repeat: 2 }),
      run(0.1, { status: 'error', repeat: 3 }),
      run(0.1, { status: 'running', repeat: 4 }),
      run(null, { repeat: 5 }),
      run(Number.NaN, { repeat: 6 }),
      run(Number.POSITIVE_INFINITY, { repeat: 7 }),
      { ...run(0.1, { repeat: 8 }), origin: { kind: 'results' as const, ranOn: 'keras-3.15.1-jax', file: 'r.json' } },
    ];
    const all = [...others.slice(0, 3), mine, ...others.slice(3)];
    expect(ids(all)).toEqual([mine.id]);
    const row = byKey(experimentResults(depth, all, false, 'mnist'), 'w32d1');
    expect([row.runs, row.mean, row.min, row.max]).toEqual([1, 0.9, 0.9, 0.9]);
  });

  test('the same setup counts from anywhere: a run of the controls and another experiment’s run of that setup, each with its own seed', () => {
    const mine = run(0.88);
    const plain = run(0.89, { untagged: true, repeat: 2 });
    const width = run(0.87, { experiment: 'width', key: 'w32d1', repeat: 3 });
    expect(ids([width, plain, mine])).toEqual([mine.id, plain.id, width.id]);
    expect(byKey(experimentResults(depth, [width, plain, mine], false, 'mnist'), 'w32d1').runs).toBe(3);
  });

  test('a setup trained again with the same seed is one measurement, not a repeat: the first run counts, and no interval comes of it', () => {
    const first = run(0.885);
    const again = run(0.885, { untagged: true });
    const third = run(0.885, { experiment: 'first', key: 'w32d1' });
    expect(ids([first, again, third])).toEqual([first.id]);
    const row = byKey(experimentResults(depth, [first, again, third], false, 'mnist'), 'w32d1');
    expect([row.runs, row.low, row.high]).toEqual([1, null, null]);
  });

  test('the same runs are found from the other side: quick mode, Fashion-MNIST', () => {
    const quick = run(0.7, { quick: true });
    const fashion = run(0.6, { dataset: 'fashion' });
    const quickFashion = run(0.5, { quick: true, dataset: 'fashion' });
    const all = [run(0.9), quick, fashion, quickFashion];
    expect(ids(all, true)).toEqual([quick.id]);
    expect(ids(all, false, 'fashion')).toEqual([fashion.id]);
    expect(ids(all, true, 'fashion')).toEqual([quickFashion.id]);
  });
});

describe('experimentResults: statistics per config', () => {
  const runs = [
    run(0.88, { repeat: 1, epochs: epochs(5, 2, 2, 4) }),
    run(0.9, { repeat: 2, epochs: epochs(3, 1, 1) }),
    run(0.86, { repeat: 3, epochs: epochs(9, 3) }),
    run(0.7, { key: 'w32d2', epochs: epochs(2) }),
  ];
  const rows = experimentResults(depth, runs, false, 'mnist');

  test('one row per config, in the experiment\u2019s order, labelled', () => {
    expect(rows.map((r) => r.config)).toEqual(depth.configs);
    expect(rows.map((r) => r.label)).toEqual(['32', '2×32', '3×32', '4×32']);
  });

  test('mean, sample standard deviation, min and max over the repeats', () => {
    const r = byKey(rows, 'w32d1');
    expect(r.runs).toBe(3);
    expect(r.mean).toBeCloseTo(0.88, 12);
    // deviations 0, +0.02, -0.02: sample variance 0.0008 / 2 = 0.0004 (population would give 0.0163)
    expect(r.sd).toBeCloseTo(0.02, 12);
    expect(r.min).toBe(0.86);
    expect(r.max).toBe(0.9);
  });

  test('one run: a mean but no standard deviation', () => {
    const r = byKey(rows, 'w32d2');
    expect(r.runs).toBe(1);
    expect(r.mean).toBe(0.7);
    expect(r.sd).toBeNull();
    expect(r.min).toBe(0.7);
    expect(r.max).toBe(0.7);
  });

  test('diff = mean - article for full MNIST runs', () => {
    expect(byKey(rows, 'w32d1').article).toBe(0.888);
    expect(byKey(rows, 'w32d1').diff).toBeCloseTo(0.88 - 0.888, 12);
    expect(byKey(rows, 'w32d2').diff).toBeCloseTo(0.7 - 0.767, 12);
  });

  test('configs without runs: runs 0, nulls, but the article\u2019s number still shown', () => {
    for (const [key, article] of [
      ['w32d3', 0.438],
      ['w32d4', 0.114],
    ] as const) {
      expect(byKey(rows, key)).toMatchObject({
        runs: 0,
        mean: null,
        sd: null,
        min: null,
        max: null,
        diff: null,
        secondsPerEpoch: null,
        secondsPerRun: null,
        article,
      });
    }
  });

  test('params from the config: inputs x units + units per Dense layer', () => {
    expect(byKey(rows, 'w32d1').params).toBe(25450);
    expect(byKey(rows, 'w32d2').params).toBe(25450 + 32 * 32 + 32);
    expect(byKey(rows, 'w32d4').params).toBe(25450 + 3 * (32 * 32 + 32));
    const wide = experimentResults(experimentById('width'), [], false, 'mnist');
    expect(byKey(wide, 'w2048d1').params).toBe(784 * 2048 + 2048 + 2048 * 10 + 10);
  });

  test('seconds per epoch: the mean over runs of each run\u2019s typical epoch; seconds per run: the mean total', () => {
    const r = byKey(rows, 'w32d1');
    // typical epochs (median after the first): 2, 1, 3 -> 2; totals 13, 5, 12 -> 10
    expect(r.secondsPerEpoch).toBeCloseTo(2, 12);
    expect(r.secondsPerRun).toBeCloseTo(10, 12);
    // a single epoch is its own typical epoch
    expect(byKey(rows, 'w32d2').secondsPerEpoch).toBe(2);
    expect(byKey(rows, 'w32d2').secondsPerRun).toBe(2);
  });

  test('a run trained in a group of K networks in one step counts its share: its group\u2019s seconds / K', () => {
    const alone = run(0.9, { repeat: 1, epochs: epochs(2, 2, 2) });
    const grouped = { ...run(0.91, { repeat: 2, epochs: epochs(8, 8, 8) }), group: 4 };
    const r = byKey(experimentResults(experimentById('depth'), [alone, grouped], false, 'mnist'), 'w32d1');
    expect(r.secondsPerEpoch).toBeCloseTo(2, 12);
    expect(r.secondsPerRun).toBeCloseTo(6, 12);
  });
});

describe('experimentResults: the article beside quick and Fashion-MNIST runs', () => {
  test('quick MNIST: the article is shown, but no difference is taken', () => {
    const rows = experimentResults(
      depth,
      [run(0.8, { quick: true }), run(0.82, { quick: true, repeat: 2 })],
      true,
      'mnist',
    );
    const r = byKey(rows, 'w32d1');
    expect(r.runs).toBe(2);
    expect(r.mean).toBeCloseTo(0.81, 12);
    expect(r.article).toBe(0.888);
    expect(r.diff).toBeNull();
  });

  test('Fashion-MNIST (full or quick): no article number and no difference', () => {
    for (const quick of [false, true]) {
      const rows = experimentResults(depth, [run(0.8, { quick, dataset: 'fashion' })], quick, 'fashion');
      expect(rows.map((r) => r.article)).toEqual([null, null, null, null]);
      expect(byKey(rows, 'w32d1').mean).toBe(0.8);
      expect(byKey(rows, 'w32d1').diff).toBeNull();
    }
  });

  test('grid configs without an article number give no difference even with runs', () => {
    const grid = experimentById('grid');
    const rows = experimentResults(
      grid,
      [run(0.93, { experiment: 'grid', key: 'w128d1' }), run(0.94, { experiment: 'grid', key: 'w512d1' })],
      false,
      'mnist',
    );
    expect(byKey(rows, 'w128d1')).toMatchObject({ runs: 1, mean: 0.93, article: null, diff: null });
    expect(byKey(rows, 'w512d1').article).toBe(0.947);
    expect(byKey(rows, 'w512d1').diff).toBeCloseTo(0.94 - 0.947, 12);
  });
});

describe('resultsToCsv', () => {
  const runs = [run(0.88, { repeat: 1 }), run(0.9, { repeat: 2 }), run(0.7, { key: 'w32d2' })];
  const rows = experimentResults(depth, runs, false, 'mnist');
  const csv = resultsToCsv(depth, rows, false, 'mnist');
  const lines = csv.split('\r\n');

  test('a header and one row per config, CRLF-terminated', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1 + depth.configs.length);
    const header = (lines[0] as string).split(',');
    expect(header).toEqual([
      'experiment',
      'config',
      'hidden_layers',
      'units',
      'epochs',
      'batch_size',
      'params',
      'runs',
      'test_acc_mean',
      'test_acc_sd',
      'test_acc_ci95_low',
      'test_acc_ci95_high',
      'test_acc_min',
      'test_acc_max',
      'article',
      'diff',
      'keras_mean',
      'keras_min',
      'keras_max',
      'keras_seeds',
      'seconds_per_epoch',
      'seconds_per_run',
      'dataset',
      'mode',
      'source',
      'against',
      'differs',
    ]);
    for (const line of lines.slice(1)) expect(line.split(',')).toHaveLength(header.length);
  });

  test('the values parse back to the results; nulls are empty cells', () => {
    const header = (lines[0] as string).split(',');
    const parsed = lines
      .slice(1, 1 + depth.configs.length)
      .map((line) => Object.fromEntries(line.split(',').map((v, i) => [header[i], v])) as Record<string, string>);
    const num = (v: string | undefined) => (v === '' || v === undefined ? null : Number(v));
    rows.forEach((r, i) => {
      const p = parsed[i] as Record<string, string>;
      expect(p.experiment).toBe('depth');
      expect(p.config).toBe(r.label);
      expect(num(p.hidden_layers)).toBe(r.config.depth);
      expect(num(p.units)).toBe(r.config.width);
      expect(num(p.epochs)).toBe(r.config.epochs);
      expect(num(p.batch_size)).toBe(r.config.batchSize);
      expect(num(p.params)).toBe(r.params);
      expect(num(p.runs)).toBe(r.runs);
      expect(num(p.test_acc_mean)).toBe(r.mean);
      expect(num(p.test_acc_sd)).toBe(r.sd);
      expect(num(p.test_acc_min)).toBe(r.min);
      expect(num(p.test_acc_max)).toBe(r.max);
      expect(num(p.article)).toBe(r.article);
      expect(num(p.diff)).toBe(r.diff);
      expect(num(p.keras_mean)).toBe(r.keras?.mean);
      expect([num(p.keras_min), num(p.keras_max), num(p.keras_seeds)]).toEqual([r.keras?.min, r.keras?.max, 5]);
      expect(num(p.seconds_per_epoch)).toBe(r.secondsPerEpoch);
      expect(num(p.seconds_per_run)).toBe(r.secondsPerRun);
      expect(p.dataset).toBe('mnist');
      expect(p.mode).toBe('full');
    });
    expect(num(parsed[0]?.test_acc_mean)).toBeCloseTo(0.89, 12);
    expect(parsed[0]?.test_acc_sd).not.toBe('');
    expect(parsed[1]?.test_acc_sd).toBe('');
    expect(parsed[3]?.test_acc_mean).toBe('');
    expect(num(parsed[3]?.article)).toBe(0.114);
  });

  test('quick mode and the dataset are written in every row', () => {
    const quickCsv = resultsToCsv(depth, experimentResults(depth, [], true, 'fashion'), true, 'fashion');
    const body = quickCsv.split('\r\n').slice(1, -1);
    expect(body).toHaveLength(4);
    for (const line of body) expect(line.endsWith(',fashion,quick,,,')).toBe(true);
  });
});

describe('resultsToJson', () => {
  test('parses back: format, version, mode, dataset, the experiment and one result per config', () => {
    const rows = experimentResults(depth, [run(0.88), run(0.9, { repeat: 2 })], false, 'mnist');
    const at = Date.UTC(2024, 0, 2, 3, 4, 5);
    const doc = JSON.parse(resultsToJson(depth, rows, false, 'mnist', at)) as {
      format: string;
      version: number;
      exportedAt: string;
      experiment: { id: string; number: number; title: string };
      dataset: string;
      mode: string;
      results: {
        config: ExperimentConfig;
        label: string;
        runs: number;
        mean: number | null;
        sd: number | null;
        params: number;
        article: number | null;
        diff: number | null;
      }[];
    };
    expect(doc.format).toBe('mlp-lab-experiment');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2024-01-02T03:04:05.000Z');
    expect(doc.experiment).toMatchObject({ id: 'depth', number: 2, title: depth.title });
    expect(doc.dataset).toBe('mnist');
    expect(doc.mode).toBe('full');
    expect(doc.results).toHaveLength(4);
    expect(doc.results.map((r) => r.config)).toEqual(depth.configs);
    expect(doc.results[0]).toMatchObject({ label: '32', runs: 2, params: 25450, article: 0.888 });
    expect(doc.results[0]?.mean).toBeCloseTo(0.89, 12);
    expect(doc.results[0]?.diff).toBeCloseTo(0.89 - 0.888, 12);
    expect(doc.results[1]).toMatchObject({ runs: 0, mean: null, sd: null, diff: null });
  });

  test('quick mode on Fashion-MNIST', () => {
    const w = experimentById('width');
    const doc = JSON.parse(resultsToJson(w, experimentResults(w, [], true, 'fashion'), true, 'fashion', 0)) as {
      mode: string;
      dataset: string;
      results: unknown[];
    };
    expect(doc.mode).toBe('quick');
    expect(doc.dataset).toBe('fashion');
    expect(doc.results).toHaveLength(6);
  });
});

test('params agree with totalParams of the run configs', () => {
  for (const id of ['depth', 'width', 'grid', 'batch16'] as const) {
    const e = experimentById(id);
    const rows = experimentResults(e, [], false, 'mnist');
    e.configs.forEach((c, i) =>
      expect(rows[i]?.params).toBe(totalParams(experimentRunConfig(c, 1, { quick: false, dataset: 'mnist' }).layers)),
    );
  }
});

describe('the Keras column (issue 21): real Keras over 5 seeds beside the lab’s mean', () => {
  test('full runs on MNIST get the band of their config; quick runs and Fashion-MNIST none', () => {
    const full = experimentResults(depth, [], false, 'mnist');
    expect(full.map((r) => r.keras?.values.length)).toEqual([5, 5, 5, 5]);
    // 4×32 in the article's setup stays at chance in Keras on every seed.
    expect(full[3]?.keras?.values).toEqual([0.1135, 0.1135, 0.1135, 0.1135, 0.1135]);
    expect(full[0]?.keras?.mean).toBeGreaterThan(0.87);
    expect(experimentResults(depth, [], true, 'mnist').every((r) => r.keras === null)).toBe(true);
    expect(experimentResults(depth, [], false, 'fashion').every((r) => r.keras === null)).toBe(true);
  });

  test('the lab’s mean is marked only when its interval lies outside the Keras range', () => {
    const band = experimentResults(depth, [], false, 'mnist')[0]?.keras;
    if (!band) throw new Error('no band for 1×32');
    const inside = experimentResults(
      depth,
      [run(band.mean - 0.002), run(band.mean + 0.002, { repeat: 2 })],
      false,
      'mnist',
    )[0];
    expect(inside?.outsideKeras).toBe(false);
    const below = experimentResults(
      depth,
      [run(band.min - 0.05), run(band.min - 0.051, { repeat: 2 }), run(band.min - 0.049, { repeat: 3 })],
      false,
      'mnist',
    )[0];
    expect(below?.outsideKeras).toBe(true);
    // One run says nothing either way.
    expect(experimentResults(depth, [run(band.min - 0.05)], false, 'mnist')[0]?.outsideKeras).toBe(false);
  });
});
