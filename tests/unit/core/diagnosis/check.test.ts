// "Check this" (src/core/diagnosis/check.ts): a suggestion tested on the learner's own network,
// before and after the change on two seeds, judged by the Welch interval of the difference
// (src/core/experiments/stats.ts differenceInterval). The runs are made-up records of the lab's history.
// Also the wording helpers its sentences share (src/core/words.ts).
import { describe, expect, test } from 'vitest';
import {
  applyFix,
  armConfig,
  changesSetup,
  checkPlan,
  checkResult,
  checkResults,
  checkText,
  makeCheck,
  secondSeed,
  type CheckDef,
} from '../../../../src/core/diagnosis';
import { measurementIndex, newRunRecord, setupKey, type RunRecord } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG, DEFAULT_LR, LIMITS, type TrainConfig } from '../../../../src/core/network/spec';
import { differenceInterval, tQuantile975 } from '../../../../src/core/experiments/stats';
import { listText, orListText, signedFixed } from '../../../../src/core/words';

// The collapsing 4×32 sigmoid network of the article, seed 7.
const BASE: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: Array.from({ length: 4 }, () => ({ units: 32, activation: 'sigmoid' as const })),
  seed: 7,
};
const RELU: CheckDef['fix'] = { id: 'relu', label: 'Use ReLU' };
const DEF = makeCheck('vanishing', RELU, BASE, 1_700_000_000_000);

/** A finished run of this lab with a test accuracy. */
const measured = (
  config: TrainConfig,
  testAcc: number,
  startedAt: number,
  extra: Partial<RunRecord> = {},
): RunRecord => ({
  ...newRunRecord(`run-${startedAt}`, startedAt, config),
  status: 'done',
  testAcc,
  testLoss: 0.3,
  ...extra,
});

/** The check's four runs (before, before, after, after) with these test accuracies; null: not run. */
const fourRuns = (def: CheckDef, accs: readonly (number | null)[]): RunRecord[] =>
  checkPlan(def).flatMap((p, k) => {
    const acc = accs[k];
    return acc === null || acc === undefined ? [] : [measured(p.config, acc, 1000 + k, { tag: p.tag })];
  });

const result = (runs: readonly RunRecord[], def: CheckDef = DEF) => checkResult(def, measurementIndex(runs));

/** The result as the lab computes it: the checked run found by its record id in the history. */
const resultWithRecord = (runs: readonly RunRecord[], def: CheckDef) =>
  checkResult(def, measurementIndex(runs), (id) => runs.find((r) => r.id === id));

describe('makeCheck', () => {
  test('an id of letters, digits and dashes, named after the fix', () => {
    expect(DEF.id).toMatch(/^[A-Za-z0-9-]+$/);
    expect(DEF.id.startsWith('relu-')).toBe(true);
    const lower = makeCheck(
      'lr-high',
      { id: 'lower-lr', label: 'Use learning rate 0.01', learningRate: 0.01 },
      { ...BASE, learningRate: 10 },
      0,
    );
    expect(lower.id).toMatch(/^lower-lr-[A-Za-z0-9]+$/);
  });

  test('the same run and fix give the same id, whenever it is made and whatever finding asked', () => {
    expect(makeCheck('vanishing', { ...RELU }, { ...BASE, layers: [...BASE.layers] }, 5).id).toBe(DEF.id);
    expect(makeCheck('saturated', RELU, BASE, 99).id).toBe(DEF.id);
  });

  test('another seed, another fix, another setting of the fix or another setup gives another id', () => {
    const others = [
      makeCheck('vanishing', RELU, { ...BASE, seed: 8 }, 0),
      makeCheck('vanishing', { id: 'adam', label: 'Use Adam' }, BASE, 0),
      makeCheck('vanishing', { id: 'learns-well', label: 'Use the setup that learns well' }, BASE, 0),
      makeCheck('vanishing', RELU, { ...BASE, epochs: 6 }, 0),
      makeCheck('vanishing', RELU, { ...BASE, learningRate: 0.02 }, 0),
    ];
    const stop = (epochs: number) =>
      makeCheck('overfitting', { id: 'stop-early', label: `Train for ${epochs} epochs`, epochs }, BASE, 0).id;
    const lower = (learningRate: number) =>
      makeCheck('lr-high', { id: 'lower-lr', label: 'Lower the learning rate', learningRate }, BASE, 0).id;
    const ids = [DEF.id, ...others.map((d) => d.id), stop(2), stop(3), lower(0.001), lower(0.0001)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("the seeds are the run's and the next one (the one before, at the largest seed)", () => {
    expect(DEF.seeds).toEqual([7, 8]);
    expect(makeCheck('vanishing', RELU, { ...BASE, seed: 0 }, 0).seeds).toEqual([0, 1]);
    expect(makeCheck('vanishing', RELU, { ...BASE, seed: LIMITS.maxSeed }, 0).seeds).toEqual([
      LIMITS.maxSeed,
      LIMITS.maxSeed - 1,
    ]);
    expect(secondSeed(LIMITS.maxSeed - 1)).toBe(LIMITS.maxSeed);
  });

  test("keeps the finding, the fix to apply, the base, the checked run's record (none unless given) and when it was made", () => {
    expect(DEF).toMatchObject({ finding: 'vanishing', base: BASE, recordId: null, createdAt: 1_700_000_000_000 });
    expect(makeCheck('vanishing', RELU, BASE, 0, 'run-42').recordId).toBe('run-42');
    // Only what applyFix reads, and no keys set to undefined (the check is stored).
    expect(DEF.fix).toStrictEqual({ id: 'relu', label: 'Use ReLU' });
    const stop = makeCheck('overfitting', { id: 'stop-early', label: 'Train for 3 epochs', epochs: 3 }, BASE, 0);
    expect(stop.fix).toStrictEqual({ id: 'stop-early', label: 'Train for 3 epochs', epochs: 3 });
  });
});

describe('checkPlan', () => {
  test('four runs: before and after the change, each on both seeds, tagged as the check', () => {
    const plan = checkPlan(DEF);
    expect(plan).toHaveLength(4);
    expect(plan.map((p) => [p.tag.key, p.config.seed, p.tag.repeat])).toEqual([
      [`${DEF.id}-before`, 7, 1],
      [`${DEF.id}-before`, 8, 2],
      [`${DEF.id}-after`, 7, 1],
      [`${DEF.id}-after`, 8, 2],
    ]);
    for (const p of plan) expect(p.tag).toMatchObject({ experiment: 'check', quick: false });
  });

  test('before is the run as it was; after is the same run with the one change', () => {
    const plan = checkPlan(DEF);
    expect(plan[0]?.config).toEqual(BASE);
    expect(plan[1]?.config).toEqual({ ...BASE, seed: 8 });
    expect(plan[2]?.config).toEqual(applyFix(BASE, RELU));
    expect(plan[2]?.config.layers.every((l) => l.activation === 'relu')).toBe(true);
    expect(plan[3]?.config).toEqual({ ...applyFix(BASE, RELU), seed: 8 });
    expect(armConfig(DEF, 'after', 8)).toEqual(plan[3]?.config);
  });

  test('a fix with its own setting applies it', () => {
    const stop = makeCheck('overfitting', { id: 'stop-early', label: 'Train for 2 epochs', epochs: 2 }, BASE, 0);
    expect(checkPlan(stop).map((p) => p.config.epochs)).toEqual([5, 5, 2, 2]);
    const lower = makeCheck(
      'lr-high',
      { id: 'lower-lr', label: 'Use learning rate 0.01', learningRate: 0.01 },
      { ...BASE, learningRate: 10 },
      0,
    );
    expect(checkPlan(lower).map((p) => p.config.learningRate)).toEqual([10, 10, 0.01, 0.01]);
  });
});

describe('changesSetup', () => {
  test('true when the fix changes the run', () => {
    expect(changesSetup(DEF)).toBe(true);
    expect(
      changesSetup(makeCheck('overfitting', { id: 'stop-early', label: 'Train for 2 epochs', epochs: 2 }, BASE, 0)),
    ).toBe(true);
    expect(
      changesSetup(
        makeCheck(
          'lr-high',
          { id: 'lower-lr', label: 'Use learning rate 0.01', learningRate: 0.01 },
          { ...BASE, learningRate: 10 },
          0,
        ),
      ),
    ).toBe(true);
  });

  test('false when the fix leaves the setup as it was: ReLU already, the epochs it has, the rate it has, the limit already reached', () => {
    const relu = { ...BASE, layers: BASE.layers.map((l) => ({ ...l, activation: 'relu' as const })) };
    expect(changesSetup(makeCheck('dead', RELU, relu, 0))).toBe(false);
    expect(
      changesSetup(makeCheck('overfitting', { id: 'stop-early', label: 'Train for 5 epochs', epochs: 5 }, BASE, 0)),
    ).toBe(false);
    expect(
      changesSetup(
        makeCheck('lr-high', { id: 'lower-lr', label: 'Use learning rate 0.01', learningRate: 0.01 }, BASE, 0),
      ),
    ).toBe(false);
    const atCap = { ...BASE, epochs: LIMITS.maxEpochs };
    expect(
      changesSetup(
        makeCheck(
          'still-learning',
          { id: 'more-epochs', label: `Train for ${LIMITS.maxEpochs} epochs`, epochs: LIMITS.maxEpochs },
          atCap,
          0,
        ),
      ),
    ).toBe(false);
    expect(
      changesSetup(
        makeCheck(
          'still-learning',
          { id: 'more-epochs', label: `Train for ${LIMITS.maxEpochs} epochs`, epochs: LIMITS.maxEpochs },
          { ...atCap, epochs: LIMITS.maxEpochs - 1 },
          0,
        ),
      ),
    ).toBe(true);
    // Only the setup counts, not the backend it would run on.
    const adam = { ...BASE, optimizer: 'adam' as const, learningRate: DEFAULT_LR.adam, backend: 'wasm' as const };
    expect(changesSetup(makeCheck('vanishing', { id: 'adam', label: 'Use Adam' }, adam, 0))).toBe(false);
  });
});

describe('checkResult', () => {
  test('pending until all four runs are measured', () => {
    const accs = [0.1135, 0.1135, 0.91, 0.92];
    for (let missing = 0; missing < 4; missing++) {
      const r = result(
        fourRuns(
          DEF,
          accs.map((a, k) => (k === missing ? null : a)),
        ),
      );
      expect(r.verdict, `run ${missing} missing`).toBe('pending');
      expect([...r.before, ...r.after][missing]).toBeNull();
    }
    expect(result([]).verdict).toBe('pending');
    expect(result([]).before).toEqual([null, null]);
    expect(result(fourRuns(DEF, accs)).verdict).toBe('confirmed');
  });

  test('confirmed when the 95 % interval of after − before lies above zero', () => {
    const r = result(fourRuns(DEF, [0.11, 0.12, 0.9, 0.91]));
    expect(r.before).toEqual([0.11, 0.12]);
    expect(r.after).toEqual([0.9, 0.91]);
    expect(r.diff.mean).toBeCloseTo(0.79, 12);
    expect(r.diff.low).toBeGreaterThan(0);
    expect(r.verdict).toBe('confirmed');
  });

  test('not confirmed when the interval includes zero, or lies below it', () => {
    const small = result(fourRuns(DEF, [0.9, 0.92, 0.91, 0.93]));
    expect(small.diff.mean).toBeCloseTo(0.01, 12);
    expect(small.diff.low).toBeLessThan(0);
    expect(small.diff.high).toBeGreaterThan(0);
    expect(small.verdict).toBe('not-confirmed');
    const worse = result(fourRuns(DEF, [0.9, 0.91, 0.5, 0.52]));
    expect(worse.diff.high).toBeLessThan(0);
    expect(worse.verdict).toBe('not-confirmed');
  });

  test('without spread on either side the seeds say nothing of the noise: not confirmed, whatever the difference', () => {
    const gain = result(fourRuns(DEF, [0.1135, 0.1135, 0.1136, 0.1136]));
    expect(gain.diff.low).toBeGreaterThan(0);
    expect(gain).toMatchObject({ noSpread: true, verdict: 'not-confirmed' });
    const big = result(fourRuns(DEF, [0.1135, 0.1135, 0.92, 0.92]));
    expect(big.diff.low).toBeCloseTo(0.8065, 12);
    expect(big).toMatchObject({ noSpread: true, verdict: 'not-confirmed' });
    const same = result(fourRuns(DEF, [0.1135, 0.1135, 0.1135, 0.1135]));
    expect(same.diff).toMatchObject({ mean: 0, half: 0, low: 0, high: 0 });
    expect(same).toMatchObject({ noSpread: true, verdict: 'not-confirmed' });
  });

  test('some spread on one side is enough to judge; noSpread only once every seed is measured', () => {
    // Spread after the change only: its own interval (df 1) lies above zero.
    const one = result(fourRuns(DEF, [0.1135, 0.1135, 0.9, 0.92]));
    expect(one).toMatchObject({ noSpread: false, verdict: 'confirmed' });
    expect(result(fourRuns(DEF, [0.11, 0.12, 0.9, 0.91])).noSpread).toBe(false);
    // Both sides flat so far, a seed missing: pending, and not said to have no spread.
    expect(result(fourRuns(DEF, [0.1135, 0.1135, 0.92, null]))).toMatchObject({ noSpread: false, verdict: 'pending' });
    expect(result([])).toMatchObject({ noSpread: false, verdict: 'pending' });
  });

  test('runs of the same setup and seed count once: the first finished one', () => {
    const runs = fourRuns(DEF, [0.11, 0.12, 0.9, null]);
    // The after run of seed 7 again, later, does not stand in for seed 8's.
    const again = measured(armConfig(DEF, 'after', 7), 0.95, 2000);
    expect(result([...runs, again]).verdict).toBe('pending');
    expect(result([...runs, again]).after).toEqual([0.9, null]);
    // Trained earlier, it is the one that counts.
    expect(result([...runs, measured(armConfig(DEF, 'after', 7), 0.95, 1)]).after).toEqual([0.95, null]);
  });

  test("a run already in the history is used, whatever its tag or backend (the learner's own run)", () => {
    const own = measured({ ...BASE, backend: 'wasm' }, 0.1135, 10, { tag: null });
    const rest = fourRuns(DEF, [null, 0.1135, 0.92, 0.93]);
    expect(setupKey(own.config)).toBe(setupKey(BASE));
    expect(result([own, ...rest])).toMatchObject({ before: [0.1135, 0.1135], verdict: 'confirmed' });
  });

  test('the checked run\'s own record is "as it was" on its seed, whatever ran that setup and seed first', () => {
    // An earlier run of the same setup and seed (0.1135) would be the index's; the checked run gave 0.2.
    const earlier = measured(BASE, 0.1135, 1, { tag: null });
    const own = measured(BASE, 0.2, 5, { tag: null });
    const def = makeCheck('vanishing', RELU, BASE, 0, own.id);
    const rest = fourRuns(def, [null, 0.21, 0.9, 0.91]);
    const runs = [earlier, own, ...rest];
    expect(result(runs, def).before).toEqual([0.1135, 0.21]);
    expect(resultWithRecord(runs, def).before).toEqual([0.2, 0.21]);
    // Only the first seed's before: the after arm and the second seed come from the index.
    expect(resultWithRecord(runs, def).after).toEqual([0.9, 0.91]);
    // Without a record id, the lookup is not used.
    expect(resultWithRecord(runs, { ...def, recordId: null }).before).toEqual([0.1135, 0.21]);
  });

  test('the own record counts only as a finished measurement of the first seed; else the index', () => {
    const earlier = measured(BASE, 0.1135, 1, { tag: null });
    const rest = fourRuns(DEF, [null, 0.21, 0.9, 0.91]);
    const origin = { kind: 'results', ranOn: 'keras-3.6.0-tensorflow', file: 'results.json' } as const;
    const notOwn: RunRecord[] = [
      measured(BASE, 0.2, 5000, { status: 'stopped' }),
      measured(BASE, 0.2, 5000, { status: 'running' }),
      measured(BASE, 0.2, 5000, { testAcc: null }),
      measured(BASE, 0.2, 5000, { origin }),
      measured({ ...BASE, seed: 8 }, 0.2, 5000),
    ];
    for (const own of notOwn) {
      const def = makeCheck('vanishing', RELU, BASE, 0, own.id);
      expect(
        resultWithRecord([earlier, own, ...rest], def).before,
        JSON.stringify({ status: own.status, testAcc: own.testAcc, origin: own.origin, seed: own.config.seed }),
      ).toEqual([0.1135, 0.21]);
    }
    // A record id not in the history: the index.
    expect(resultWithRecord([earlier, ...rest], makeCheck('vanishing', RELU, BASE, 0, 'gone')).before).toEqual([
      0.1135, 0.21,
    ]);
  });

  test('imported runs and runs that did not finish do not count', () => {
    const runs = fourRuns(DEF, [0.11, 0.12, 0.9, null]);
    const missing = armConfig(DEF, 'after', 8);
    const origin = { kind: 'results', ranOn: 'keras-3.6.0-tensorflow', file: 'results.json' } as const;
    const notCounted: RunRecord[] = [
      measured(missing, 0.91, 3000, { origin }),
      measured(missing, 0.91, 3001, { origin: { ...origin, kind: 'model' } }),
      measured(missing, 0.91, 3002, { status: 'stopped' }),
      measured(missing, 0.91, 3003, { status: 'error' }),
      measured(missing, 0.91, 3004, { status: 'running' }),
      measured(missing, 0.91, 3005, { testAcc: null }),
    ];
    for (const r of notCounted)
      expect(
        result([...runs, r]).verdict,
        JSON.stringify({ status: r.status, origin: r.origin, testAcc: r.testAcc }),
      ).toBe('pending');
    expect(result([...runs, measured(missing, 0.91, 3006)]).verdict).toBe('confirmed');
  });

  test("runs of another seed or setup are not the check's", () => {
    const runs = fourRuns(DEF, [0.11, 0.12, 0.9, null]);
    expect(result([...runs, measured({ ...armConfig(DEF, 'after', 8), seed: 9 }, 0.91, 3000)]).verdict).toBe('pending');
    expect(result([...runs, measured({ ...armConfig(DEF, 'after', 8), epochs: 6 }, 0.91, 3000)]).verdict).toBe(
      'pending',
    );
  });
});

describe('checkResults', () => {
  test('the result of each check by its id, the same as checkResult with its own record', () => {
    const own = measured(BASE, 0.2, 5, { tag: null });
    const withRecord = makeCheck('vanishing', RELU, BASE, 0, own.id);
    const stop = makeCheck('overfitting', { id: 'stop-early', label: 'Train for 2 epochs', epochs: 2 }, BASE, 0);
    const runs = [
      measured(BASE, 0.1135, 1, { tag: null }),
      own,
      ...fourRuns(withRecord, [null, 0.21, 0.9, 0.91]),
      ...fourRuns(stop, [null, null, 0.3, null]),
    ];
    const all = checkResults([withRecord, stop], runs);
    expect([...all.keys()]).toEqual([withRecord.id, stop.id]);
    expect(all.get(withRecord.id)).toEqual(resultWithRecord(runs, withRecord));
    expect(all.get(withRecord.id)).toMatchObject({ before: [0.2, 0.21], after: [0.9, 0.91], verdict: 'confirmed' });
    expect(all.get(stop.id)).toMatchObject({ before: [0.1135, 0.21], after: [0.3, null], verdict: 'pending' });
    expect(checkResults([], runs).size).toBe(0);
  });
});

describe('checkText', () => {
  test('pending: both arms\' numbers so far; while its runs train, "Checking", else "Check not finished"', () => {
    const r = result(fourRuns(DEF, [0.1135, null, 0.9194, null]));
    const arms = 'With “Use ReLU”: 0.9194 and …; as it was: 0.1135 and … (test accuracy, seeds 7 and 8).';
    expect(checkText(DEF, r)).toBe(`Checking: ${arms}`);
    expect(checkText(DEF, r, true)).toBe(`Checking: ${arms}`);
    expect(checkText(DEF, r, false)).toBe(`Check not finished: ${arms}`);
  });

  test('a finished check reads the same whether or not runs are training', () => {
    for (const accs of [
      [0.11, 0.12, 0.9, 0.91],
      [0.9, 0.92, 0.91, 0.93],
    ]) {
      const r = result(fourRuns(DEF, accs));
      expect(checkText(DEF, r, false)).toBe(checkText(DEF, r, true));
      expect(checkText(DEF, r, false)).toMatch(/^Check: /);
    }
  });

  test('confirmed: the word, both arms and the difference with its interval', () => {
    const r = result(fourRuns(DEF, [0.11, 0.12, 0.9, 0.91]));
    const text = checkText(DEF, r);
    expect(text).toMatch(/^Check: confirmed on this network\. With “Use ReLU”: /);
    for (const n of ['0.1100', '0.1200', '0.9000', '0.9100', '+0.7900']) expect(text).toContain(n);
    expect(text).toContain(`(95 % interval +${r.diff.low.toFixed(4)} to +${r.diff.high.toFixed(4)})`);
    expect(text).not.toContain('Not confirmed');
  });

  test('not confirmed: the word, both arms, and why', () => {
    const includes = checkText(DEF, result(fourRuns(DEF, [0.9, 0.92, 0.91, 0.93])));
    expect(includes).toMatch(
      /^Check: not confirmed here\. With “Use ReLU”: 0\.9100 and 0\.9300; as it was: 0\.9000 and 0\.9200 \(test accuracy, seeds 7 and 8\)\. Difference \+0\.0100 /,
    );
    expect(includes).toMatch(/: the interval includes no change\.$/);
    const none = checkText(DEF, result(fourRuns(DEF, [0.1135, 0.1135, 0.1135, 0.1135])));
    expect(none).toBe(
      'Check: not confirmed here. With “Use ReLU”: 0.1135 and 0.1135; as it was: 0.1135 and 0.1135 (test accuracy, seeds 7 and 8). ' +
        'Difference +0.0000: each side gave the same accuracy on both seeds, so the seeds say nothing of the noise.',
    );
    const flat = checkText(DEF, result(fourRuns(DEF, [0.1135, 0.1135, 0.92, 0.92])));
    expect(flat).toMatch(
      /^Check: not confirmed here\. .*Difference \+0\.8065: each side gave the same accuracy on both seeds, so the seeds say nothing of the noise\.$/,
    );
    expect(flat).not.toContain('95 % interval');
    const worse = checkText(DEF, result(fourRuns(DEF, [0.9, 0.91, 0.5, 0.52])));
    expect(worse).toMatch(/^Check: not confirmed here\. .*Difference −0\.3950 .*: the change did worse\.$/);
  });
});

describe('differenceInterval', () => {
  test("Welch's interval by hand: a = 1, 2, 3 and b = 2, 4, 6, 8, 10", () => {
    // s²a = 1, s²b = 10: standard error √(1/3 + 10/5) = √(7/3). Welch–Satterthwaite:
    // df = (7/3)² / ((1/3)²/2 + 2²/4) = 98/19 = 5.16, rounded down to 5: t = 2.571.
    const d = differenceInterval([1, 2, 3], [2, 4, 6, 8, 10]);
    expect(tQuantile975(5)).toBe(2.571);
    expect(d.mean).toBe(4);
    expect(d.half).toBeCloseTo(2.571 * Math.sqrt(7 / 3), 12);
    expect(d.low).toBeCloseTo(4 - 2.571 * Math.sqrt(7 / 3), 12);
    expect(d.high).toBeCloseTo(4 + 2.571 * Math.sqrt(7 / 3), 12);
    expect(d.n).toBe(3);
  });

  test('two seeds a side, equal spread: df 2, t = 4.303', () => {
    // s² = 2e-4 on both sides: standard error √(2e-4 / 2 + 2e-4 / 2) = √(2e-4); df = 2.
    const d = differenceInterval([0.9, 0.92], [0.91, 0.93]);
    expect(d.mean).toBeCloseTo(0.01, 12);
    expect(d.half).toBeCloseTo(4.303 * Math.sqrt(2e-4), 10);
  });

  test('it is b − a, and NaN entries are left out', () => {
    expect(differenceInterval([2, 4, 6, 8, 10], [1, 2, 3]).mean).toBe(-4);
    expect(differenceInterval([1, NaN, 2, 3], [2, 4, 6, 8, 10]).half).toBeCloseTo(2.571 * Math.sqrt(7 / 3), 12);
  });

  test('no spread on either side: half-width 0', () => {
    expect(differenceInterval([0.1135, 0.1135], [0.1135, 0.1135])).toEqual({ n: 2, mean: 0, half: 0, low: 0, high: 0 });
    const d = differenceInterval([0.5, 0.5], [0.75, 0.75]);
    expect(d).toEqual({ n: 2, mean: 0.25, half: 0, low: 0.25, high: 0.25 });
  });

  test('spread on one side only: that side alone, with its own df', () => {
    // b = 0.9, 0.92: s²b = 2e-4, standard error √(2e-4 / 2) = 0.01; df = 1, t = 12.706.
    const d = differenceInterval([0.5, 0.5], [0.9, 0.92]);
    expect(d.half).toBeCloseTo(12.706 * 0.01, 10);
  });

  test('fewer than two values on either side: a difference of means, no interval', () => {
    const one = differenceInterval([0.5], [0.6, 0.7]);
    expect(one.mean).toBeCloseTo(0.15, 12);
    expect(one.half).toBeNaN();
    expect(one.low).toBeNaN();
    expect(one.high).toBeNaN();
    expect(differenceInterval([0.5, 0.6], [0.7]).half).toBeNaN();
    expect(differenceInterval([], []).mean).toBeNaN();
  });
});

test('differenceInterval: no spread on either side gives a half-width of exactly 0 (three seeds each)', () => {
  const d = differenceInterval([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]);
  expect([d.mean, d.half, d.low, d.high]).toEqual([0, 0, 0, 0]);
  const up = differenceInterval([0.1135, 0.1135, 0.1135], [0.92, 0.92, 0.92]);
  expect(up.half).toBe(0);
  expect(up.low).toBeGreaterThan(0);
});

describe('words', () => {
  test('listText and orListText: nothing, one, two, then commas and the last with "and" or "or"', () => {
    expect(listText([])).toBe('');
    expect(listText(['a'])).toBe('a');
    expect(listText(['a', 'b'])).toBe('a and b');
    expect(listText(['a', 'b', 'c'])).toBe('a, b and c');
    expect(orListText([])).toBe('');
    expect(orListText(['a'])).toBe('a');
    expect(orListText(['a', 'b'])).toBe('a or b');
    expect(orListText(['a', 'b', 'c'])).toBe('a, b or c');
  });

  test('signedFixed: always a sign, a true minus, four decimals unless told', () => {
    expect(signedFixed(0.01)).toBe('+0.0100');
    expect(signedFixed(0)).toBe('+0.0000');
    expect(signedFixed(-0.395)).toBe('\u22120.3950');
    expect(signedFixed(-0.395)).not.toContain('-');
    expect(signedFixed(0.12345, 3)).toBe('+0.123');
    expect(signedFixed(-2, 1)).toBe('\u22122.0');
  });
});
