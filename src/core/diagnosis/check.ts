/**
 * "Check this" (issue 21): a suggestion of the diagnosis tested on the learner's own network. A
 * check is the run's config before and after the one change, each trained with the run's seed
 * and a second one; it is confirmed when the 95 % interval of the difference in test accuracy
 * (Welch, over the seeds) lies above zero. Its runs are ordinary runs, found in the history by
 * setup and seed, so a run already there (the learner's own, say) is used, not trained again.
 */
import type { ExperimentTag } from '../tags';
import { isMeasurement, measurementIndex, setupKey, type Measurements, type RunRecord } from '../runs/runs';
import { listText, signedFixed } from '../words';
import { LIMITS, type TrainConfig } from '../network/spec';
import { differenceInterval, type Interval } from '../experiments/stats';
import { applyFix, type Fix } from './fixes';
import type { FindingId } from './rules';

export interface CheckDef {
  /** Stable for the same run, fix and settings: `${fix}-${hash}` (letters, digits and dashes). */
  readonly id: string;
  readonly finding: FindingId;
  readonly fix: Pick<Fix, 'id' | 'label'> & Partial<Pick<Fix, 'epochs' | 'learningRate'>>;
  /** The checked run's config (its seed is the first of `seeds`). */
  readonly base: TrainConfig;
  /** The checked run's record: "as it was" on its seed is that run, whatever else the history holds. */
  readonly recordId: string | null;
  readonly seeds: readonly number[];
  readonly createdAt: number;
}

export type Arm = 'before' | 'after';

/** A second seed beside `seed`. */
export const secondSeed = (seed: number): number => (seed >= LIMITS.maxSeed ? seed - 1 : seed + 1);

/** FNV-1a of a string, in base 36. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function makeCheck(
  finding: FindingId,
  fix: CheckDef['fix'],
  base: TrainConfig,
  createdAt: number,
  recordId: string | null = null,
): CheckDef {
  const f = {
    id: fix.id,
    label: fix.label,
    ...(fix.epochs !== undefined ? { epochs: fix.epochs } : {}),
    ...(fix.learningRate !== undefined ? { learningRate: fix.learningRate } : {}),
  };
  const id = `${fix.id}-${hash(`${setupKey(base)}#${base.seed}#${f.epochs ?? ''}#${f.learningRate ?? ''}`)}`;
  return { id, finding, fix: f, base, recordId, seeds: [base.seed, secondSeed(base.seed)], createdAt };
}

/** Whether the fix changes the run at all (a fix that leaves the setup as it is has nothing to check). */
export function changesSetup(def: CheckDef): boolean {
  return setupKey(armConfig(def, 'after', def.base.seed)) !== setupKey(def.base);
}

/** The config of one arm for one seed. */
export function armConfig(def: CheckDef, arm: Arm, seed: number): TrainConfig {
  const c = { ...def.base, seed };
  return arm === 'before' ? c : applyFix(c, def.fix);
}

/** Every run the check needs, before then after, with its tag (the queue skips those measured already). */
export function checkPlan(def: CheckDef): { config: TrainConfig; tag: ExperimentTag }[] {
  return (['before', 'after'] as const).flatMap((arm) =>
    def.seeds.map((seed, k) => ({
      config: armConfig(def, arm, seed),
      tag: { experiment: 'check' as const, key: `${def.id}-${arm}`, repeat: k + 1, quick: false },
    })),
  );
}

export interface CheckResult {
  /** Every seed on both sides measured, but each side gave one accuracy on all its seeds: no noise to measure. */
  readonly noSpread: boolean;
  /** Test accuracy per seed, null where not measured yet. */
  readonly before: readonly (number | null)[];
  readonly after: readonly (number | null)[];
  /** after − before, with its 95 % interval (NaN half-width until every run is in). */
  readonly diff: Interval;
  readonly verdict: 'pending' | 'confirmed' | 'not-confirmed';
}

/**
 * The check's numbers from the lab's measurements (runs.ts measurementIndex); `byId` finds the
 * checked run itself, which is "as it was" on its seed. Confirmed when the 95 % interval of the
 * difference lies above zero, with some spread on at least one side: two seeds that each gave the
 * same accuracy on both sides (a collapsed network predicts one class) say nothing of the noise.
 */
export function checkResult(
  def: CheckDef,
  index: Measurements,
  byId: (id: string) => RunRecord | undefined = () => undefined,
): CheckResult {
  const subject = def.recordId === null ? undefined : byId(def.recordId);
  const own =
    subject &&
    isMeasurement(subject) &&
    subject.config.seed === def.seeds[0] &&
    setupKey(subject.config) === setupKey(def.base)
      ? subject.testAcc
      : null;
  const accs = (arm: Arm) =>
    def.seeds.map((seed, k) =>
      arm === 'before' && k === 0 && own !== null
        ? own
        : (index.get(setupKey(armConfig(def, arm, seed)))?.get(seed)?.testAcc ?? null),
    );
  const before = accs('before');
  const after = accs('after');
  const known = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null);
  const diff = differenceInterval(known(before), known(after));
  const complete = before.every((x) => x !== null) && after.every((x) => x !== null);
  const flat = (xs: readonly (number | null)[]) => xs.every((x) => x === xs[0]);
  const noSpread = complete && flat(before) && flat(after);
  if (!complete || !Number.isFinite(diff.half)) return { before, after, diff, noSpread, verdict: 'pending' };
  return { before, after, diff, noSpread, verdict: diff.low > 0 && !noSpread ? 'confirmed' : 'not-confirmed' };
}

/** The results of checks, from the history (one index for all of them). */
export function checkResults(defs: readonly CheckDef[], runs: readonly RunRecord[]): Map<string, CheckResult> {
  const index = measurementIndex(runs);
  const byId = new Map(runs.map((r) => [r.id, r]));
  return new Map(defs.map((d) => [d.id, checkResult(d, index, (id) => byId.get(id))]));
}

const acc = (x: number | null) => (x === null ? '…' : x.toFixed(4));

/**
 * The check's result in one or two sentences, with both arms' numbers. `running`: its runs are
 * training now (else an unfinished check says it was interrupted).
 */
export function checkText(def: CheckDef, r: CheckResult, running = true): string {
  const seeds = `seeds ${listText(def.seeds.map(String))}`;
  const arms = `With “${def.fix.label}”: ${listText(r.after.map(acc))}; as it was: ${listText(r.before.map(acc))} (test accuracy, ${seeds})`;
  if (r.verdict === 'pending') return running ? `Checking: ${arms}.` : `Check not finished: ${arms}.`;
  const interval = `${signedFixed(r.diff.mean)} (95 % interval ${signedFixed(r.diff.low)} to ${signedFixed(r.diff.high)})`;
  if (r.verdict === 'confirmed') return `Check: confirmed on this network. ${arms}. The change adds ${interval}.`;
  const why = r.noSpread
    ? 'each side gave the same accuracy on both seeds, so the seeds say nothing of the noise'
    : r.diff.high < 0
      ? 'the change did worse'
      : 'the interval includes no change';
  return `Check: not confirmed here. ${arms}. Difference ${r.noSpread ? signedFixed(r.diff.mean) : interval}: ${why}.`;
}
