/**
 * The share-URL codec: one table of parameters drives both decoding and encoding. Decoding never
 * throws: every bad value is replaced (clamped where that makes sense, else the default) and
 * reported as a Notice naming the parameter, the value given and the value used.
 */
import { totalParams, formatCount } from '../network/params';
import { EXPERIMENT_IDS, type ExperimentId } from '../tags';
import { BUDGET_LIMITS, budgetLayers, budgetMiss } from '../network/budget';
import {
  ACTIVATIONS,
  BACKEND_CHOICES,
  DATASETS,
  DEFAULT_CONFIG,
  DEFAULT_LR,
  INITS,
  LIMITS,
  OPTIMIZERS,
  PREPROCESSING,
  type Activation,
  type HiddenLayer,
  type TrainConfig,
} from '../network/spec';

export const URL_VERSION = 1;

export interface Notice {
  readonly param: string;
  /** The value as the URL gave it. */
  readonly given: string;
  /** The value used instead, as it would be written in a URL ('' for none). */
  readonly used: string;
  readonly reason: string;
}

export interface Decoded {
  readonly config: TrainConfig;
  readonly notices: readonly Notice[];
  /** True when the URL fixed the seed; otherwise `config.seed` was drawn with `makeSeed`. */
  readonly seedGiven: boolean;
  /** The experiment the link opens with (`experiment=depth`), or null. */
  readonly experiment: ExperimentId | null;
  /** The parameter budget the widths were solved for (`budget=25450`), or null: widths as given. */
  readonly budget: number | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Linear: the digits before a decimal point cannot be split two ways (the old form \d+\.?\d*
// could, and backtracked quadratically on a long run of digits).
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** No parameter value (or name) of a link the lab makes is longer; longer ones are not read. */
export const MAX_PARAM_LENGTH = 200;
/** How much of a bad value a notice repeats. */
const SHOWN_LENGTH = 40;
const shorten = (s: string) => (s.length > SHOWN_LENGTH ? `${s.slice(0, SHOWN_LENGTH)}…` : s);

function parseNumber(raw: string): number | null {
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
function readNumber(raw: string, rule: NumberRule, fallback: number): { value: number; reason?: string } {
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

function readEnum<T extends string>(raw: string, allowed: readonly T[], fallback: T): { value: T; reason?: string } {
  const v = raw.trim().toLowerCase();
  const hit = allowed.find((a) => a === v);
  return hit ? { value: hit } : { value: fallback, reason: `unknown value; one of ${allowed.join(', ')}` };
}

const NUMERIC = {
  epochs: { min: LIMITS.minEpochs, max: LIMITS.maxEpochs, integer: true, label: 'epochs' },
  batch: { min: LIMITS.minBatch, max: LIMITS.maxBatch, integer: true, label: 'batch size' },
  lr: { min: LIMITS.minLr, max: LIMITS.maxLr, integer: false, label: 'learning rate' },
  val: { min: LIMITS.minVal, max: LIMITS.maxVal, integer: false, label: 'validation split' },
  seed: { min: 0, max: LIMITS.maxSeed, integer: true, label: 'seed' },
  subset: { min: LIMITS.minSubset, max: LIMITS.maxSubset, integer: true, label: 'subset' },
  width: { min: LIMITS.minWidth, max: LIMITS.maxWidth, integer: true, label: 'a layer width' },
  budget: { min: BUDGET_LIMITS.min, max: BUDGET_LIMITS.max, integer: true, label: 'the parameter budget' },
} as const satisfies Record<string, NumberRule>;

function decodeWidths(raw: string, note: (reason: string, used: string) => void): number[] {
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

function decodeActivations(
  raw: string | null,
  count: number,
  note: (reason: string, used: string) => void,
): Activation[] {
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

function encodeActivations(acts: readonly Activation[]): string {
  if (acts.length > 0 && acts.every((a) => a === acts[0])) return acts[0] as string;
  return acts.join(',');
}

const KNOWN = [
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
  'budget',
  'experiment',
];

/**
 * Decodes a query string (`?layers=32,32&epochs=5` or without the `?`) into a complete config.
 * Missing parameters take the article's defaults; `makeSeed` draws a seed when none is given.
 */
export function decodeConfig(search: string, makeSeed: () => number = () => DEFAULT_CONFIG.seed): Decoded {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const notices: Notice[] = [];
  const c: Mutable<TrainConfig> = { ...DEFAULT_CONFIG };
  const noteFor = (param: string, given: string) => (reason: string, used: string) =>
    notices.push({ param: shorten(param), given: shorten(given), used, reason });
  // A value longer than any the lab writes is not read at all (a crafted link must open at once).
  const tooLong = new Set<string>();
  const get = (name: string): string | null => {
    const raw = params.get(name);
    if (raw === null || raw.length <= MAX_PARAM_LENGTH) return raw;
    if (!tooLong.has(name)) {
      tooLong.add(name);
      noteFor(name, raw)(`too long (${raw.length} characters, at most ${MAX_PARAM_LENGTH}); the default is used`, '');
    }
    return null;
  };

  for (const name of new Set(params.keys())) {
    if (!KNOWN.includes(name)) {
      noteFor(name, params.get(name) ?? '')('unknown parameter, ignored', '');
    }
  }

  const v = get('v');
  if (v !== null && v.trim() !== String(URL_VERSION)) {
    noteFor('v', v)(`unknown link version; read as version ${URL_VERSION}`, String(URL_VERSION));
  }

  const num = (param: keyof typeof NUMERIC, fallback: number): number => {
    const raw = get(param);
    if (raw === null) return fallback;
    const r = readNumber(raw, NUMERIC[param], fallback);
    if (r.reason) noteFor(param, raw)(r.reason, String(r.value));
    return r.value;
  };
  const pick = <T extends string>(param: string, allowed: readonly T[], fallback: T): T => {
    const raw = get(param);
    if (raw === null) return fallback;
    const r = readEnum(raw, allowed, fallback);
    if (r.reason) noteFor(param, raw)(r.reason, r.value);
    return r.value;
  };

  // Widths first: the parameter cap depends on them alone, and activations follow the final count.
  const layersRaw = get('layers');
  const defaultWidths = DEFAULT_CONFIG.layers.map((l) => l.units);
  let widths = layersRaw === null ? defaultWidths : decodeWidths(layersRaw, noteFor('layers', layersRaw));
  const probe = widths.map((units) => ({ units, activation: 'sigmoid' as Activation }));
  if (layersRaw !== null && layersRaw.trim() !== '' && widths.length === 0) {
    widths = defaultWidths; // nothing usable in the list: the article's network, not none at all
    notices[notices.length - 1] = { ...(notices[notices.length - 1] as Notice), used: widths.join(',') };
  } else if (totalParams(probe) > LIMITS.maxParams) {
    noteFor('layers', layersRaw ?? '')(
      `${formatCount(totalParams(probe))} parameters is more than this lab allows (${formatCount(LIMITS.maxParams)})`,
      defaultWidths.join(','),
    );
    widths = defaultWidths;
  }
  const actRaw = get('act');
  const acts = decodeActivations(actRaw, widths.length, noteFor('act', actRaw ?? ''));
  let layers: HiddenLayer[] = widths.map((units, i) => ({ units, activation: acts[i] ?? 'sigmoid' }));
  // A budget replaces the widths with the ones solved for it at this depth.
  const budgetRaw = get('budget');
  let budget: number | null = null;
  if (budgetRaw !== null && budgetRaw.trim() !== '') {
    const r = readNumber(budgetRaw, NUMERIC.budget, NaN);
    const wanted = r.value;
    if (r.reason)
      noteFor('budget', budgetRaw)(
        Number.isFinite(wanted) ? r.reason : `${r.reason}; the widths are used as given`,
        Number.isFinite(wanted) ? String(wanted) : '',
      );
    if (!Number.isFinite(wanted)) budget = null;
    else if (layers.length === 0)
      noteFor('budget', budgetRaw)('a network without hidden layers has no widths to solve; ignored', '');
    else {
      layers = budgetLayers(layers, wanted);
      budget = wanted;
      const miss = budgetMiss(layers, wanted);
      if (miss > 0.01) {
        noteFor('budget', budgetRaw)(
          `${layers.length} hidden layers cannot come within 1 % of ${formatCount(wanted)} parameters (nearest: ${formatCount(totalParams(layers))})`,
          String(wanted),
        );
      }
    }
  }
  c.layers = layers;
  c.optimizer = pick('opt', OPTIMIZERS, DEFAULT_CONFIG.optimizer);
  c.learningRate = num('lr', DEFAULT_LR[c.optimizer]);
  c.epochs = num('epochs', DEFAULT_CONFIG.epochs);
  c.batchSize = num('batch', DEFAULT_CONFIG.batchSize);
  c.validationSplit = num('val', DEFAULT_CONFIG.validationSplit);
  c.preprocessing = pick('pre', PREPROCESSING, DEFAULT_CONFIG.preprocessing);
  c.dataset = pick('data', DATASETS, DEFAULT_CONFIG.dataset);
  c.backend = pick('backend', BACKEND_CHOICES, DEFAULT_CONFIG.backend);
  c.init = pick('init', INITS, DEFAULT_CONFIG.init);
  const subsetRaw = get('subset');
  c.subset = subsetRaw === null || subsetRaw === '' ? null : num('subset', LIMITS.maxSubset);
  const seedRaw = get('seed');
  const seedGiven = seedRaw !== null && parseNumber(seedRaw) !== null;
  c.seed = num('seed', seedGiven ? NaN : makeSeed() >>> 0);
  const experimentRaw = get('experiment');
  const experiment =
    experimentRaw === null || experimentRaw === ''
      ? null
      : pickExperiment(experimentRaw, noteFor('experiment', experimentRaw));
  return { config: c, notices, seedGiven, experiment, budget };
}

function pickExperiment(raw: string, note: (reason: string, used: string) => void): ExperimentId | null {
  const v = raw.trim().toLowerCase();
  if ((EXPERIMENT_IDS as readonly string[]).includes(v)) return v as ExperimentId;
  note(`unknown experiment; one of ${EXPERIMENT_IDS.join(', ')}`, 'none');
  return null;
}

/** The query string (without `?`) of a config and, when set, its parameter budget and the open experiment. */
export function encodeLink(config: TrainConfig, experiment: ExperimentId | null, budget: number | null = null): string {
  const withBudget =
    budget === null || config.layers.length === 0 ? encodeConfig(config) : `${encodeConfig(config)}&budget=${budget}`;
  return experiment === null ? withBudget : `${withBudget}&experiment=${experiment}`;
}

/** Encodes a config as a query string (without `?`) that decodes back to the same config. */
export function encodeConfig(config: TrainConfig): string {
  const p = new URLSearchParams();
  p.set('v', String(URL_VERSION));
  p.set('layers', config.layers.map((l) => l.units).join(','));
  if (config.layers.length > 0) p.set('act', encodeActivations(config.layers.map((l) => l.activation)));
  p.set('epochs', String(config.epochs));
  p.set('batch', String(config.batchSize));
  p.set('lr', String(config.learningRate));
  p.set('opt', config.optimizer);
  p.set('val', String(config.validationSplit));
  p.set('pre', config.preprocessing);
  p.set('seed', String(config.seed));
  p.set('data', config.dataset);
  p.set('backend', config.backend);
  if (config.subset !== null) p.set('subset', String(config.subset));
  if (config.init !== DEFAULT_CONFIG.init) p.set('init', config.init);
  return p.toString().replace(/%2C/g, ',');
}

/** One line for a notice, e.g. `epochs: "abc" is not a number; used 5`. */
export function describeNotice(n: Notice): string {
  if (n.used === '' && n.reason.startsWith('unknown parameter')) return `${n.param}="${n.given}": ${n.reason}`;
  return `${n.param}="${n.given}": ${n.reason}; used ${n.used === '' ? '(none)' : `"${n.used}"`}`;
}
