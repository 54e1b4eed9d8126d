import { describe, expect, test } from 'vitest';
import { totalParams } from '../../../../src/core/network/params';
import { estimateEpochSeconds, trainImagesPerEpoch } from '../../../../src/core/runs/runEstimate';
import { newRunRecord, type EpochLog, type RunRecord } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG, type HiddenLayer, type TrainConfig } from '../../../../src/core/network/spec';

const relu = (...widths: number[]): HiddenLayer[] => widths.map((units) => ({ units, activation: 'relu' }));

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_CONFIG,
  subset: 10000,
  ...overrides,
});

const epochs = (first: number, rest: number, count = 3): EpochLog[] =>
  Array.from({ length: count }, (_, i) => ({
    epoch: i + 1,
    loss: 0.5,
    acc: 0.9,
    valLoss: 0.4,
    valAcc: 0.9,
    seconds: i === 0 ? first : rest,
  }));

/** A finished run of `c` on `backend` whose epochs after the first took `seconds` each. */
function measured(
  id: string,
  startedAt: number,
  c: TrainConfig,
  backend: string | null,
  seconds: number,
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    ...newRunRecord(id, startedAt, c),
    status: 'done',
    backend,
    trainCount: trainImagesPerEpoch(c),
    valCount: 0,
    epochs: epochs(seconds * 5, seconds),
    ...extra,
  };
}

describe('trainImagesPerEpoch', () => {
  test('the subset (or all 60,000) less the validation split', () => {
    expect(trainImagesPerEpoch(config({ subset: null }))).toBe(54000);
    expect(trainImagesPerEpoch(config({ subset: 10000 }))).toBe(9000);
    expect(trainImagesPerEpoch(config({ subset: 5000, validationSplit: 0 }))).toBe(5000);
  });
});

describe('estimateEpochSeconds: when there is nothing to go on', () => {
  test('no runs', () => {
    expect(estimateEpochSeconds([], config())).toBeNull();
  });

  test('runs without a finished epoch, a backend or a training count', () => {
    const c = config({ backend: 'webgl' });
    const runs = [
      measured('a', 1, c, 'webgl', 2, { epochs: [] }),
      measured('b', 2, c, null, 2),
      measured('c', 3, c, 'webgl', 2, { trainCount: null }),
      measured('d', 4, c, 'webgl', 2, { trainCount: 0 }),
    ];
    expect(estimateEpochSeconds(runs, c)).toBeNull();
    expect(estimateEpochSeconds(runs, config({ backend: 'auto' }))).toBeNull();
  });

  test('no run on the backend asked for', () => {
    const runs = [measured('a', 1, config(), 'webgl', 2), measured('b', 2, config(), 'cpu', 20)];
    expect(estimateEpochSeconds(runs, config({ backend: 'wasm' }))).toBeNull();
    expect(estimateEpochSeconds(runs, config({ backend: 'cpu' }))?.seconds).toBeCloseTo(20, 9);
  });
});

describe('estimateEpochSeconds: one measured run scales linearly', () => {
  const base = config({ layers: relu(32), backend: 'webgl' });
  const runs = [measured('a', 1, base, 'webgl', 2)];

  test('the same config takes what it took (the warm-up epoch left out)', () => {
    expect(estimateEpochSeconds(runs, base)).toEqual({
      seconds: expect.closeTo(2, 9) as number,
      backend: 'webgl',
      runs: 1,
    });
  });

  test('twice the parameters, twice the time', () => {
    const wide = config({ layers: relu(64), backend: 'webgl' });
    const ratio = totalParams(wide.layers) / totalParams(base.layers);
    expect(ratio).toBeCloseTo(50890 / 25450, 12);
    expect(estimateEpochSeconds(runs, wide)?.seconds).toBeCloseTo(2 * ratio, 9);
    const deep = config({ layers: relu(32, 32, 32), backend: 'webgl' });
    expect(estimateEpochSeconds(runs, deep)?.seconds).toBeCloseTo(
      (2 * totalParams(deep.layers)) / totalParams(base.layers),
      9,
    );
  });

  test('half the training images, half the time', () => {
    expect(estimateEpochSeconds(runs, { ...base, subset: 5000 })?.seconds).toBeCloseTo(1, 9);
    expect(estimateEpochSeconds(runs, { ...base, subset: null })?.seconds).toBeCloseTo(2 * (54000 / 9000), 9);
    expect(estimateEpochSeconds(runs, { ...base, validationSplit: 0 })?.seconds).toBeCloseTo(2 * (10000 / 9000), 9);
  });
});

describe('estimateEpochSeconds: two measured sizes', () => {
  const small = config({ layers: relu(32), backend: 'webgl' });
  const large = config({ layers: relu(256), backend: 'webgl' });
  const pSmall = totalParams(small.layers);
  const pLarge = totalParams(large.layers);
  // Per-image cost grows as params^0.5 between the two measured sizes.
  const perImageSmall = 1e-4;
  const perImageLarge = perImageSmall * Math.sqrt(pLarge / pSmall);
  const images = trainImagesPerEpoch(small);
  const runs = [
    measured('s', 1, small, 'webgl', perImageSmall * images),
    measured('l', 2, large, 'webgl', perImageLarge * images),
  ];

  test('a size between them lies between their per-image costs, on the log-log line', () => {
    const mid = config({ layers: relu(128), backend: 'webgl' });
    const est = estimateEpochSeconds(runs, mid);
    expect(est?.runs).toBe(2);
    expect(est?.backend).toBe('webgl');
    const perImage = (est?.seconds ?? Number.NaN) / images;
    expect(perImage).toBeGreaterThan(perImageSmall);
    expect(perImage).toBeLessThan(perImageLarge);
    expect(perImage).toBeCloseTo(perImageSmall * Math.sqrt(totalParams(mid.layers) / pSmall), 12);
    // Not what the one-point (linear) model would say.
    expect(perImage).toBeLessThan(perImageSmall * (totalParams(mid.layers) / pSmall) * 0.9);
  });

  test('each measured size gets its own measurement back', () => {
    expect(estimateEpochSeconds(runs, small)?.seconds).toBeCloseTo(perImageSmall * images, 12);
    expect(estimateEpochSeconds(runs, large)?.seconds).toBeCloseTo(perImageLarge * images, 12);
  });

  test('beyond the largest, the slope of the nearest pair carries on', () => {
    const huge = config({ layers: relu(1024), backend: 'webgl' });
    const perImage = (estimateEpochSeconds(runs, huge)?.seconds ?? Number.NaN) / images;
    expect(perImage).toBeCloseTo(perImageLarge * Math.sqrt(totalParams(huge.layers) / pLarge), 12);
  });
});

describe('estimateEpochSeconds: which runs it rests on', () => {
  test("'auto' uses the backend of the newest measured run", () => {
    const c = config();
    const runs = [
      measured('old', 1000, c, 'webgl', 1),
      measured('new', 2000, c, 'wasm', 4),
      measured('none', 3000, c, null, 9),
    ];
    const auto = estimateEpochSeconds(runs, { ...c, backend: 'auto' });
    expect(auto?.backend).toBe('wasm');
    expect(auto?.seconds).toBeCloseTo(4, 9);
    const webgl = estimateEpochSeconds(runs, { ...c, backend: 'webgl' });
    expect(webgl?.backend).toBe('webgl');
    expect(webgl?.seconds).toBeCloseTo(1, 9);
    // The newest measured run decides, not the order of the list.
    const flipped = [measured('new', 2000, c, 'webgl', 1), measured('old', 1000, c, 'wasm', 4)];
    expect(estimateEpochSeconds(flipped, { ...c, backend: 'auto' })?.backend).toBe('webgl');
  });

  test('runs with the same batch size are preferred; without one, all runs on the backend count', () => {
    const b128 = config({ batchSize: 128, backend: 'webgl' });
    const b32 = config({ batchSize: 32, backend: 'webgl' });
    const runs = [measured('a', 1, b128, 'webgl', 2), measured('b', 2, b32, 'webgl', 6)];
    expect(estimateEpochSeconds(runs, b32)).toEqual({
      seconds: expect.closeTo(6, 9) as number,
      backend: 'webgl',
      runs: 1,
    });
    expect(estimateEpochSeconds(runs, b128)).toEqual({
      seconds: expect.closeTo(2, 9) as number,
      backend: 'webgl',
      runs: 1,
    });
    // Batch 64 was never measured: both runs, same size, so the median of the two.
    expect(estimateEpochSeconds(runs, config({ batchSize: 64, backend: 'webgl' }))).toEqual({
      seconds: expect.closeTo(4, 9) as number,
      backend: 'webgl',
      runs: 2,
    });
  });

  test('a run trained in a group (its seconds the whole group’s) is left out', () => {
    const base = config({ layers: relu(32), backend: 'wasm' });
    const alone = measured('a', 1, base, 'wasm', 2);
    const inGroup = measured('b', 2, base, 'wasm', 7, { group: 8 });
    expect(estimateEpochSeconds([alone, inGroup], base)?.seconds).toBeCloseTo(2, 9);
    expect(estimateEpochSeconds([inGroup], base)).toBeNull();
  });

  test('repeated runs of one size use the median per-image cost', () => {
    const c = config({ backend: 'cpu' });
    const runs = [measured('a', 1, c, 'cpu', 3), measured('b', 2, c, 'cpu', 100), measured('c', 3, c, 'cpu', 5)];
    expect(estimateEpochSeconds(runs, c)).toEqual({ seconds: expect.closeTo(5, 9) as number, backend: 'cpu', runs: 3 });
  });
});

describe('estimateEpochSeconds: slopes it cannot trust', () => {
  test('two sizes less than a factor of 2 apart give no slope: linear from the nearest', () => {
    // 1 and 4 layers of 32 (25,450 and 28,618 params) with very different times: depth, not size.
    const one = config({ layers: relu(32), backend: 'webgl' });
    const four = config({ layers: relu(32, 32, 32, 32), backend: 'webgl' });
    const runs = [measured('a', 1, one, 'webgl', 3), measured('b', 2, four, 'webgl', 6)];
    const wide = config({ layers: relu(2048), backend: 'webgl' });
    const est = estimateEpochSeconds(runs, wide)?.seconds ?? NaN;
    // Linear in params from the nearest measured size (four layers), not the steep slope between them.
    expect(est).toBeCloseTo((6 * totalParams(wide.layers)) / totalParams(four.layers), 6);
  });

  test('a slope above 1 (more than proportional to the parameters) is taken as 1', () => {
    const small = config({ layers: relu(32), backend: 'webgl' });
    const big = config({ layers: relu(512), backend: 'webgl' });
    // 16x the params but 100x the time: noise or warm-up; extrapolation stays linear.
    const runs = [measured('a', 1, small, 'webgl', 1), measured('b', 2, big, 'webgl', 100)];
    const bigger = config({ layers: relu(2048), backend: 'webgl' });
    const est = estimateEpochSeconds(runs, bigger)?.seconds ?? NaN;
    expect(est).toBeCloseTo((100 * totalParams(bigger.layers)) / totalParams(big.layers), 6);
  });
});
