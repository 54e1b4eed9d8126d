// The truth suite (issue 21): the diagnosis on real runs recorded in the built app
// (tests/truth/recordings/, by scripts/record-truth.mjs). Each case names the findings and levels
// it must give, and why: a counterfactual run recorded beside it. A rule change that alters any
// expected finding fails here with the recording's name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  checkedParts,
  diagnose,
  epochCells,
  healthCells,
  learnsWell,
  type Part,
  type Quantity,
} from '../../../../src/core/diagnosis';
import type { HealthSample, TrainSample } from '../../../../src/core/diagnosis/health';
import type { EpochLog } from '../../../../src/core/runs/runs';
import type { TrainConfig } from '../../../../src/core/network/spec';
import cases from '../../../truth/cases.json' with { type: 'json' };

interface Recording {
  readonly name: string;
  readonly config: TrainConfig;
  readonly testAcc: number;
  readonly epochs: EpochLog[];
  readonly samples: TrainSample[];
  readonly health: HealthSample[];
  readonly counterfactual: { readonly change: string; readonly testAcc: number; readonly epochs: EpochLog[] };
}

const read = (name: string): Recording =>
  JSON.parse(
    readFileSync(join('tests/truth/recordings', `${name}.json`), 'utf8').replace(/"NaN"/g, 'null'),
  ) as Recording;
const quantities = (parts: readonly Part[]): Quantity[] => parts.filter((p): p is Quantity => typeof p !== 'string');

/** What the page's tables show for a quantity's cell (the same functions write them). */
function cellOf(q: Quantity, r: Recording): string | null {
  const ref = q.ref;
  if (!ref || ref.table === 'other') return null;
  if (ref.table === 'epochs') {
    const e = r.epochs.find((x) => x.epoch === ref.epoch);
    return e ? epochCells(e)[ref.column] : 'no such epoch';
  }
  const s = r.health.find((h) => h.x === ref.x);
  if (!s) return 'no such sample';
  if (ref.table === 'health') return healthCells(s, ref.layer)[ref.column];
  if (ref.table === 'health-clipped') return null;
  return null;
}

describe.each(cases.cases.map((c) => [c.name, c] as const))('truth run %s', (name, c) => {
  const r = read(name);
  const input = { config: r.config, health: r.health, epochs: r.epochs, samples: r.samples, finished: true };
  const findings = diagnose(input);

  test(`gives ${c.expected.map((e) => `${e.id} (${e.level})`).join(', ') || 'no finding'}`, () => {
    expect(findings.map((f) => ({ id: f.id, level: f.level }))).toEqual(c.expected);
  });

  test('every number in its sentences is the cell the tables show for the same sample, epoch and rounding', () => {
    const newest = r.health.at(-1) as HealthSample;
    const parts = [
      ...findings.flatMap((f) => f.parts),
      ...(learnsWell(findings) ? checkedParts(r.config.layers, newest, r.epochs, r.samples[0]?.loss ?? null) : []),
    ];
    for (const q of quantities(parts)) {
      if (q.ref?.table === 'health' || q.ref?.table === 'health-ratio' || q.ref?.table === 'health-clipped')
        expect(q.ref.x, q.source).toBe(newest.x);
      const cell = cellOf(q, r);
      if (cell === null) continue;
      // A share cell reads "41 % dead": the sentence quotes its number.
      if (q.ref?.table === 'health' && q.ref.column === 'share')
        expect(cell.startsWith(`${q.text} `), `${q.source}: "${q.text}" vs "${cell}"`).toBe(true);
      else expect(q.text, q.source).toBe(cell);
    }
    // A ratio of gradients is the quotient of the two cells as shown.
    for (const q of quantities(parts)) {
      if (q.ref?.table !== 'health-ratio') continue;
      const a = Number(healthCells(newest, q.ref.layer).gradient);
      const b = Number(healthCells(newest, q.ref.over).gradient);
      expect(q.source).toContain(`${healthCells(newest, q.ref.layer).gradient} ÷`);
      expect(a / b).toBeGreaterThan(0);
    }
  });

  test(`the counterfactual (${c.counterfactual.change}) was recorded, and did ${c.counterfactual.better ? 'better' : 'no better'} on the test images, as the case says`, () => {
    expect(r.counterfactual.change).toBe(c.counterfactual.change);
    const gain = r.counterfactual.testAcc - r.testAcc;
    if (c.counterfactual.better)
      expect(gain, `${name}: ${r.testAcc} vs ${r.counterfactual.testAcc}`).toBeGreaterThan(0.01);
    else expect(gain, `${name}: ${r.testAcc} vs ${r.counterfactual.testAcc}`).toBeLessThan(0.01);
  });

  test('a run that fails or is held back has a counterfactual that did better; one that learns well, none that beat it by a point', () => {
    if (!learnsWell(findings)) expect(c.counterfactual.better).toBe(true);
  });
});

test('every finding fires, at some level, on at least one truth run, and at least two truth runs learn well', () => {
  const fired = new Set(cases.cases.flatMap((c) => c.expected.map((e) => e.id)));
  expect([...fired].sort()).toEqual([
    'chance',
    'dead',
    'lr-high',
    'lr-low',
    'moving-stats',
    'overfitting',
    'raw-inputs',
    'saturated',
    'still-learning',
    'stuck',
    'vanishing',
  ]);
  expect(cases.cases.filter((c) => c.expected.every((e) => e.level === 'note')).length).toBeGreaterThanOrEqual(2);
  expect(cases.cases.length).toBeGreaterThanOrEqual(12);
});
