import { describe, expect, test } from 'vitest';
import {
  experimentById,
  experimentPlan,
  experimentRunConfig,
  type ExperimentTag,
} from '../../../../src/core/experiments/experiments';
import { totalParams } from '../../../../src/core/network/params';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runs';
import { parseTag } from '../../../../src/core/runs/runSchema';
import {
  shownVariants,
  variantFindings,
  variantTable,
  variantTableToCsv,
  variantTableToJson,
} from '../../../../src/core/experiments/variantResults';
import { VARIANTS, variantFinding, type VariantId } from '../../../../src/core/experiments/variants';

const depth = experimentById('depth');
let id = 0;
/** A finished full run of the depth experiment's config `key`, of the article's setup or a variant. */
function run(key: string, testAcc: number, repeat: number, variant?: VariantId, quick = false): RunRecord {
  const c = depth.configs.find((x) => x.key === key);
  if (!c) throw new Error(key);
  const base = experimentRunConfig(c, repeat, { quick, dataset: 'mnist' });
  const tag: ExperimentTag = { experiment: 'depth', key, repeat, quick, ...(variant ? { variant } : {}) };
  return {
    ...newRunRecord(`r${++id}`, id, variant ? VARIANTS[variant].apply(base) : base, tag),
    status: 'done',
    testAcc,
  };
}

// The measurements, two seeds each, at 1×32 and 4×32.
const history: RunRecord[] = [
  run('w32d1', 0.889, 1),
  run('w32d1', 0.887, 2),
  run('w32d4', 0.1135, 1),
  run('w32d4', 0.1028, 2),
  run('w32d4', 0.927, 1, 'relu'),
  run('w32d4', 0.931, 2, 'relu'),
  run('w32d4', 0.1135, 1, 'scaled'),
  run('w32d4', 0.1135, 2, 'scaled'),
  run('w32d4', 0.859, 1, 'adam'),
  run('w32d4', 0.85, 2, 'adam'),
  run('w32d1', 0.93, 1, 'relu'),
  run('w32d1', 0.935, 2, 'relu'),
];

describe('the equal-budget presets', () => {
  test.each(['budget', 'budget100k'] as const)(
    '%s: 1 to 5 hidden layers, each within 1 %% of its budget, in the URL as an experiment',
    (eid) => {
      const e = experimentById(eid);
      const budget = eid === 'budget' ? 25450 : 100000;
      expect(e.configs.map((c) => c.depth)).toEqual([1, 2, 3, 4, 5]);
      for (const c of e.configs) {
        const layers = experimentRunConfig(c, 1, { quick: false, dataset: 'mnist' }).layers;
        expect(layers).toHaveLength(c.depth);
        expect(Math.abs(totalParams(layers) - budget) / budget).toBeLessThan(0.01);
        expect(layers.every((l) => l.activation === 'sigmoid')).toBe(true);
      }
      expect(experimentById('budget').configs[0]?.width).toBe(32);
    },
  );
});

describe('variants in the queue and in the history', () => {
  test('each config queues the article\u2019s setup, then each variant, with the same seeds', () => {
    const plan = experimentPlan(depth, { repeats: 2, quick: true, dataset: 'mnist', variants: ['relu', 'adam'] });
    expect(plan).toHaveLength(4 * 3 * 2);
    expect(plan.slice(0, 6).map((p) => [p.tag.key, p.tag.variant ?? 'article', p.config.seed])).toEqual([
      ['w32d1', 'article', 1],
      ['w32d1', 'article', 2],
      ['w32d1', 'relu', 1],
      ['w32d1', 'relu', 2],
      ['w32d1', 'adam', 1],
      ['w32d1', 'adam', 2],
    ]);
    const adam = plan[4];
    expect(adam?.config).toEqual({ ...(plan[0]?.config ?? {}), optimizer: 'adam', learningRate: 0.001 });
    expect(experimentPlan(depth, { repeats: 1, quick: false, dataset: 'mnist' })).toHaveLength(4);
  });

  test('a stored tag keeps its variant; an unknown variant makes the tag unreadable', () => {
    expect(parseTag({ experiment: 'depth', key: 'w32d4', repeat: 1, quick: false, variant: 'relu' })).toEqual({
      experiment: 'depth',
      key: 'w32d4',
      repeat: 1,
      quick: false,
      variant: 'relu',
    });
    expect(parseTag({ experiment: 'depth', key: 'w32d4', repeat: 1, quick: false })).toEqual({
      experiment: 'depth',
      key: 'w32d4',
      repeat: 1,
      quick: false,
    });
    expect(
      parseTag({ experiment: 'depth', key: 'w32d4', repeat: 1, quick: false, variant: 'batchnorm' }),
    ).toBeUndefined();
  });
});

describe('the variant table', () => {
  test('shows ticked variants and those with runs, in the fixed order', () => {
    expect(shownVariants(depth, history, false, 'mnist', ['batch32'])).toEqual(['relu', 'scaled', 'adam', 'batch32']);
    expect(shownVariants(depth, history, true, 'mnist', [])).toEqual([]);
  });

  test('one row per config, the article\u2019s setup first, each cell the runs of that setup only', () => {
    const rows = variantTable(depth, history, false, 'mnist', ['relu', 'scaled']);
    expect(rows.map((r) => r.label)).toEqual(['32', '2×32', '3×32', '4×32']);
    const deep = rows[3];
    expect(deep?.cells.map((c) => c.variant)).toEqual([null, 'relu', 'scaled']);
    expect(deep?.cells.map((c) => c.values)).toEqual([
      [0.1135, 0.1028],
      [0.927, 0.931],
      [0.1135, 0.1135],
    ]);
    expect(deep?.cells[1]?.interval.mean).toBeCloseTo(0.929, 10);
    // t(0.975, 1) = 12.706: two runs 0.004 apart give ± 12.706 · 0.002828 / √2 = ± 0.0254.
    expect(deep?.cells[1]?.interval.half).toBeCloseTo(0.0254, 3);
    expect(rows[1]?.cells.every((c) => c.values.length === 0)).toBe(true);
  });

  test('CSV: a row per config and setup; JSON carries the findings', () => {
    const rows = variantTable(depth, history, false, 'mnist', ['relu']);
    const lines = variantTableToCsv(depth, rows, false, 'mnist').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 4 * 2);
    expect(lines[0]).toBe(
      'experiment,config,params_config,setup,variant,runs,test_acc_mean,ci95_low,ci95_high,values,dataset,mode',
    );
    expect(lines[8]).toMatch(/^depth,4×32,w32d4,ReLU instead of sigmoid,relu,2,0\.929,/);
    const json = JSON.parse(variantTableToJson(depth, rows, ['x'], false, 'mnist', 0)) as {
      findings: string[];
      rows: unknown[];
    };
    expect(json.findings).toEqual(['x']);
    expect(json.rows).toHaveLength(4);
  });
});

describe('findings, generated from the numbers (issue 21: every pair, by effect size, harms too)', () => {
  test('full mode: every pair whose intervals are apart, largest first; the pairs within noise; then the sentence across variants, naming its config', () => {
    const variants: VariantId[] = ['relu', 'scaled', 'adam'];
    const rows = variantTable(depth, history, false, 'mnist', variants);
    expect(variantFindings(rows, variants, false)).toEqual([
      variantFinding('relu', '4×32', [0.1135, 0.1028], [0.927, 0.931]),
      variantFinding('adam', '4×32', [0.1135, 0.1028], [0.859, 0.85]),
      variantFinding('relu', '32', [0.889, 0.887], [0.93, 0.935]),
      'Within noise (the 95 % intervals overlap): inputs scaled to 0..1 at 4×32 (0.114 against 0.108).',
      "At 4×32, where the article's setup does worst (0.108), flipping the sigmoids or plain SGD lifts it clear of chance variation (to 0.929 and 0.855) and flipping the raw 0..255 inputs leaves it where it was (0.114, the intervals overlap): at 4×32 it fails through the sigmoids and plain SGD, not through the raw 0..255 inputs.",
    ]);
  });

  test('a harm is a finding too, ahead of smaller gains (the issue’s case 6: ReLU on raw inputs drops 1×32 from 0.885 to 0.594)', () => {
    const harm = [
      run('w32d1', 0.885, 1),
      run('w32d1', 0.886, 2),
      run('w32d1', 0.594, 1, 'relu'),
      run('w32d1', 0.6, 2, 'relu'),
      run('w32d4', 0.1135, 1),
      run('w32d4', 0.1135, 2),
      run('w32d4', 0.919, 1, 'relu'),
      run('w32d4', 0.92, 2, 'relu'),
    ];
    const f = variantFindings(variantTable(depth, harm, false, 'mnist', ['relu']), ['relu'], false);
    expect(f[0]).toBe('With ReLU, 4×32 rises from 0.114 to 0.919 (+0.805); the 95 % intervals over 2 seeds are apart.');
    expect(f[1]).toBe('With ReLU, 32 drops from 0.885 to 0.597 (−0.288); the 95 % intervals over 2 seeds are apart.');
  });

  test('quick mode: a caveat first and no conclusion across the variants', () => {
    const quick = history.map((r) => ({
      ...r,
      config: { ...r.config, subset: 6000 },
      tag: r.tag ? { ...r.tag, quick: true } : null,
    }));
    const rows = variantTable(depth, quick, true, 'mnist', ['relu', 'scaled']);
    const f = variantFindings(rows, ['relu', 'scaled'], true);
    expect(f[0]).toMatch(/^Quick mode \(6,000 images\).*cannot say why depth hurts.*no conclusion is drawn/);
    expect(f.length).toBeGreaterThan(1);
    expect(f.some((x) => x.startsWith('At '))).toBe(false);
  });

  test('one seed each: the differences of a point or more, no claim, and nothing across the variants; a variant without runs says so', () => {
    const rows = variantTable(
      depth,
      history.filter((r) => r.config.seed === 1),
      false,
      'mnist',
      ['relu', 'momentum'],
    );
    expect(variantFindings(rows, ['relu', 'momentum'], false)).toEqual([
      variantFinding('relu', '4×32', [0.1135], [0.927]),
      variantFinding('relu', '32', [0.889], [0.93]),
      "With SGD and momentum: no finished runs beside the article's setup yet.",
    ]);
  });

  test('the same setup and seed trained twice is one measurement: no "runs 2", no zero-width interval (the issue’s case 5)', () => {
    const twice = [run('w32d1', 0.885, 1), run('w32d1', 0.885, 1), run('w32d1', 0.885, 1, undefined, false)];
    const [row] = variantTable(depth, twice, false, 'mnist', []);
    expect(row?.cells[0]?.interval.n).toBe(1);
    expect(row?.cells[0]?.interval.half).toBeNaN();
  });

  test('every flip overlapping: none explains the result', () => {
    const rows = variantTable(
      depth,
      history.filter((r) => r.tag?.variant !== 'relu' && r.tag?.variant !== 'adam'),
      false,
      'mnist',
      ['scaled'],
    );
    expect(variantFindings(rows, ['scaled'], false).at(-1)).toBe(
      "At 4×32, where the article's setup does worst (0.108), flipping the raw 0..255 inputs leaves it where it was (0.114, the intervals overlap): none of the flips tried explains its result at 4×32.",
    );
  });
});
