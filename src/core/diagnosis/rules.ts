/**
 * The diagnosis: rules that read a run's newest layer-health sample (the one the Layer health
 * table shows), its Epochs table and its loss samples, and say what holds the run back, in plain
 * words, with the numbers as those tables write them (numbers.ts), each with changes to try and the
 * pair of recorded runs that measured each (fixes.ts). Pure. This file puts the findings in order;
 * the rules are by topic in lossFindings.ts, layerFindings.ts and epochFindings.ts, their
 * thresholds named in thresholds.ts, and tests/truth/ holds real runs on which each rule must
 * fire, or not.
 *
 * Three levels: `fails` (the run falls short: chance, stuck, NaN), `holds-back` (it learns, but
 * measurably slower or worse than it could) and `note` (an observation on a run that may learn
 * well, said as an explanation, not an alarm).
 */
import type { TrainConfig } from '../network/spec';
import { setupKey } from '../runs/runs';
import { applyFix } from './fixes';
import { judged, type Context, type DiagnosisInput, type Finding, type Level } from './finding';
import { chanceFinding, lrHighFinding, lrLowFinding, stuckFinding } from './lossFindings';
import { deadFinding, rawInputsFinding, saturatedFinding, vanishingFinding } from './layerFindings';
import { overfittingFinding, stillLearningFinding } from './epochFindings';
import { movingStatsFinding } from './normFindings';
import { CHANCE_ACC } from './thresholds';

export * from './thresholds';
export type { DiagnosisInput, Finding, FindingId, Level } from './finding';
export { swingAroundTrend } from './lossFindings';

const LEVEL_ORDER: Readonly<Record<Level, number>> = { fails: 0, 'holds-back': 1, note: 2 };

/** Everything the measurements show, most serious first (fails, holds back, notes); [] when nothing is worth saying. */
export function diagnose(input: DiagnosisInput): Finding[] {
  const last = input.epochs.at(-1);
  const ctx: Context = {
    input,
    latest: input.health.at(-1),
    hidden: input.config.layers.length,
    last,
    atChance: last !== undefined && judged(last) <= CHANCE_ACC,
  };
  const lrLow = lrLowFinding(ctx);
  const raw = rawInputsFinding(ctx);
  // Validation behind training because the moving statistics have not settled: said with that
  // cause, not as a network that learned nothing.
  const settling = movingStatsFinding(ctx);
  const all = [
    settling ? null : chanceFinding(ctx),
    settling,
    // Confidently wrong because of the raw inputs: said once, with its cause.
    raw && raw.level !== 'note' ? null : stuckFinding(ctx),
    lrHighFinding(ctx),
    vanishingFinding(ctx),
    raw,
    deadFinding(ctx),
    lrLow,
    // The same slow learning, said once: with its cause where the rate is far below the usual.
    lrLow ? null : stillLearningFinding(ctx),
    overfittingFinding(ctx),
    saturatedFinding(ctx),
  ].filter((f): f is Finding => f !== null);
  return all
    .map((f, i) => ({ f, i }))
    .sort((a, b) => LEVEL_ORDER[a.f.level] - LEVEL_ORDER[b.f.level] || a.i - b.i)
    .map((x) => x.f);
}

/** Whether the findings leave the run learning well: nothing fails and nothing holds it back. */
export function learnsWell(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.level === 'note');
}

/** The findings with only the fixes that change `config` (at the epoch limit, "train longer" changes nothing). */
export function withUsefulFixes(findings: readonly Finding[], config: TrainConfig): Finding[] {
  const key = setupKey(config);
  return findings.map((f) => ({ ...f, fixes: f.fixes.filter((x) => setupKey(applyFix(config, x)) !== key) }));
}
