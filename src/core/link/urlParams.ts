/**
 * The share URL's parameters one by one, for the codec (urlCodec.ts): the names it knows, the
 * rules of its numbers, and the readers of a number, a choice, the layer widths, the activations
 * and the experiment. A reader never throws: it gives the value to use and says why when that is
 * not the value given.
 */
import { EXPERIMENT_IDS, type ExperimentId } from '../tags';
import { BUDGET_LIMITS } from '../network/budget';
import { ACTIVATIONS, LIMITS, type Activation, type TrainConfig } from '../network/spec';
import { SCHEDULE_LABELS, takesWarmup } from '../network/schedule';

/** Says what replaced a bad value: why, and the value used (as a URL would write it). */
export type Note = (reason: string, used: string) => void;

// Linear: the digits before a decimal point cannot be split two ways (the old form \d+\.?\d*
// could, and backtracked quadratically on a long run of digits).
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** No parameter value (or name) of a link the lab makes is longer; longer ones are not read. */
export const MAX_PARAM_LENGTH = 200;
/** How much of a bad value a notice repeats. */
const SHOWN_LENGTH = 40;
export const shorten = (s: string) => (s.length > SHOWN_LENGTH ? `${s.slice(0, SHOWN_LENGTH)}…` : s);

export function parseNumber(raw: string): number | null {
  const s = raw.trim();
  if (!NUMBER_RE.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly label: string;
}

/** Reads one number; returns the value to use and, when it differs from the input, why. */
export function readNumber(raw: string, rule: NumberRule, fallback: number): { value: number; reason?: string } {
  const n = parseNumber(raw);
  if (n === null) return { value: fallback, reason: `not a number; ${rule.label} must be a number` };
  const whole = rule.integer ? Math.round(n) : n;
  const value = clamp(whole, rule.min, rule.max);
  if (value !== n) {
    const range = `${rule.label} must be ${rule.integer ? 'a whole number ' : ''}from ${rule.min} to ${rule.max}`;
    return {
      value,
      reason: whole !== n && value === whole ? `not a whole number; ${range}` : `out of range; ${range}`,
    };
  }
  return { value };
}

export function readEnum<T extends string>(
  raw: string,
  allowed: readonly T[],
  fallback: T,
): { value: T; reason?: string } {
  const v = raw.trim().toLowerCase();
  const hit = allowed.find((a) => a === v);
  return hit ? { value: hit } : { value: fallback, reason: `unknown value; one of ${allowed.join(', ')}` };
}

export const NUMERIC = {
  epochs: { min: LIMITS.minEpochs, max: LIMITS.maxEpochs, integer: true, label: 'epochs' },
  batch: { min: LIMITS.minBatch, max: LIMITS.maxBatch, integer: true, label: 'batch size' },
  lr: { min: LIMITS.minLr, max: LIMITS.maxLr, integer: false, label: 'learning rate' },
  val: { min: LIMITS.minVal, max: LIMITS.maxVal, integer: false, label: 'validation split' },
  seed: { min: 0, max: LIMITS.maxSeed, integer: true, label: 'seed' },
  subset: { min: LIMITS.minSubset, max: LIMITS.maxSubset, integer: true, label: 'subset' },
  width: { min: LIMITS.minWidth, max: LIMITS.maxWidth, integer: true, label: 'a layer width' },
  l2: { min: LIMITS.minL2, max: LIMITS.maxL2, integer: false, label: 'L2 weight decay' },
  l1: { min: LIMITS.minL2, max: LIMITS.maxL2, integer: false, label: 'L1 weight decay' },
  maxnorm: { min: 0, max: LIMITS.maxMaxNorm, integer: false, label: 'the max-norm constraint' },
  dropout: { min: 0, max: LIMITS.maxDropout, integer: false, label: 'a dropout rate' },
  indrop: { min: 0, max: LIMITS.maxDropout, integer: false, label: 'the input dropout' },
  early: { min: 0, max: LIMITS.maxEpochs, integer: true, label: 'the early stopping patience' },
  warmup: { min: 0, max: LIMITS.maxEpochs - 1, integer: true, label: 'the warm-up in epochs' },
  budget: { min: BUDGET_LIMITS.min, max: BUDGET_LIMITS.max, integer: true, label: 'the parameter budget' },
} as const satisfies Record<string, NumberRule>;

/** The `layers` list of widths: numbers clamped to the limits, others dropped, at most LIMITS.maxLayers. */
export function decodeWidths(raw: string, note: Note): number[] {
  const parts = raw.trim() === '' ? [] : raw.split(',');
  const widths: number[] = [];
  const problems: string[] = [];
  for (const part of parts) {
    const n = parseNumber(part);
    if (n === null) {
      problems.push(`"${part}" is not a number (dropped)`);
      continue;
    }
    const r = readNumber(part, NUMERIC.width, 0);
    if (r.reason) problems.push(`${part} ${r.reason.split(';')[0]} (used ${r.value})`);
    widths.push(r.value);
  }
  if (widths.length > LIMITS.maxLayers) {
    problems.push(`${widths.length} hidden layers, at most ${LIMITS.maxLayers} (kept the first ${LIMITS.maxLayers})`);
    widths.length = LIMITS.maxLayers;
  }
  if (problems.length > 0)
    note(
      `${problems.join('; ')}; widths are whole numbers from ${LIMITS.minWidth} to ${LIMITS.maxWidth}`,
      widths.join(','),
    );
  return widths;
}

/** The `act` list for `count` hidden layers: one name for all, or one per layer (sigmoid where missing or unknown). */
export function decodeActivations(raw: string | null, count: number, note: Note): Activation[] {
  const fallback: Activation = 'sigmoid';
  if (raw === null) return Array.from({ length: count }, () => fallback);
  const parts = raw.split(',');
  const problems: string[] = [];
  const acts = parts.map((p) => {
    const r = readEnum(p, ACTIVATIONS, fallback);
    if (r.reason) problems.push(`"${p}" is not an activation (used ${fallback})`);
    return r.value;
  });
  let result: Activation[];
  if (acts.length === 1) result = Array.from({ length: count }, () => acts[0] as Activation);
  else {
    if (acts.length !== count) {
      problems.push(`${acts.length} activations for ${count} hidden layers`);
    }
    result = Array.from({ length: count }, (_, i) => acts[i] ?? fallback);
  }
  if (problems.length > 0)
    note(
      `${problems.join('; ')}; one of ${ACTIVATIONS.join(', ')}, once for all layers or once per layer`,
      encodeActivations(result),
    );
  return result;
}

/** The `act` value: one name when every layer has it, else one per layer. */
export function encodeActivations(acts: readonly Activation[]): string {
  if (acts.length > 0 && acts.every((a) => a === acts[0])) return acts[0] as string;
  return acts.join(',');
}

/** The `dropout` list for `count` hidden layers: one rate for all, or one per layer (0 where missing or not a number). */
export function decodeDropouts(raw: string | null, count: number, note: Note): number[] {
  if (raw === null || raw.trim() === '') return Array.from({ length: count }, () => 0);
  const problems: string[] = [];
  const rates = raw.split(',').map((p) => {
    const r = readNumber(p, NUMERIC.dropout, 0);
    if (r.reason) problems.push(`${shorten(p)}: ${r.reason.split(';')[0]} (used ${r.value})`);
    return r.value;
  });
  const all = rates.length === 1;
  if (!all && rates.length !== count) problems.push(`${rates.length} rates for ${count} hidden layers`);
  const result = Array.from({ length: count }, (_, i) => (all ? rates[0] : rates[i]) ?? 0);
  if (problems.length > 0)
    note(
      `${problems.join('; ')}; a rate from 0 to ${LIMITS.maxDropout}, once for all layers or once per layer`,
      result.join(','),
    );
  return result;
}

/** The `bn` list for `count` hidden layers: 1 (or 0) for all, or one 0 or 1 per layer (0 where missing or neither). */
export function decodeBatchNorms(raw: string | null, count: number, note: Note): boolean[] {
  if (raw === null || raw.trim() === '') return Array.from({ length: count }, () => false);
  const parts = raw.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => p !== '0' && p !== '1');
  const on = parts.map((p) => p === '1');
  const all = parts.length === 1;
  const result = Array.from({ length: count }, (_, i) => (all ? on[0] : on[i]) ?? false);
  const problems = [
    ...bad.map((p) => `"${shorten(p)}" is neither 0 nor 1 (used 0)`),
    ...(!all && parts.length !== count ? [`${parts.length} values for ${count} hidden layers`] : []),
  ];
  if (problems.length > 0)
    note(
      `${problems.join('; ')}; 1 (batch normalization) or 0, once for all layers or once per layer`,
      result.map((b) => (b ? '1' : '0')).join(','),
    );
  return result;
}

/** The parameters the codec reads; any other is noted as unknown. */
export const KNOWN = [
  'v',
  'layers',
  'act',
  'epochs',
  'batch',
  'lr',
  'opt',
  'val',
  'pre',
  'seed',
  'data',
  'backend',
  'subset',
  'init',
  'l2',
  'l1',
  'maxnorm',
  'dropout',
  'bn',
  'indrop',
  'early',
  'monitor',
  'sched',
  'warmup',
  'loss',
  'aug',
  'budget',
  'experiment',
  // Read by the guided start (core/guide/guide.ts: guideFromQuery), not by the config.
  'guide',
];

/** The experiment a link opens with, or null (noted) where the name is not one. */
export function pickExperiment(raw: string, note: Note): ExperimentId | null {
  const v = raw.trim().toLowerCase();
  if ((EXPERIMENT_IDS as readonly string[]).includes(v)) return v as ExperimentId;
  note(`unknown experiment; one of ${EXPERIMENT_IDS.join(', ')}`, 'none');
  return null;
}

/** A link's warm-up, kept only where the schedule takes one and shorter than the run (each change noted). */
export function checkWarmup(warmup: number, c: Pick<TrainConfig, 'schedule' | 'epochs'>, note: Note): number {
  if (warmup > 0 && !takesWarmup(c.schedule)) {
    note(`a ${SCHEDULE_LABELS[c.schedule]} schedule has no warm-up; ignored`, '0');
    return 0;
  }
  if (warmup > 0 && warmup >= c.epochs) {
    note(`a warm-up must end before the run's last epoch (${c.epochs} epochs)`, String(c.epochs - 1));
    return c.epochs - 1;
  }
  return warmup;
}
