/**
 * The share-URL codec: one table of parameters drives both decoding and encoding. Decoding never
 * throws: every bad value is replaced (clamped where that makes sense, else the default) and
 * reported as a Notice naming the parameter, the value given and the value used. The readers of
 * single parameters and their rules are in urlParams.ts.
 */
import { totalParams, formatCount } from '../network/params';
import type { ExperimentId } from '../tags';
import { budgetLayers, budgetMiss } from '../network/budget';
import { encodeDropouts, withDropout } from '../network/dropout';
import { encodeBatchNorms, withBatchNorm } from '../network/batchNorm';
import {
  BACKEND_CHOICES,
  DATASETS,
  DEFAULT_CONFIG,
  DEFAULT_LR,
  DEFAULT_PATIENCE,
  INITS,
  LIMITS,
  MONITORS,
  SCHEDULES,
  LOSSES,
  AUGMENTS,
  OPTIMIZERS,
  PREPROCESSING,
  type Activation,
  type HiddenLayer,
  type TrainConfig,
} from '../network/spec';
import {
  KNOWN,
  MAX_PARAM_LENGTH,
  NUMERIC,
  decodeActivations,
  decodeDropouts,
  decodeBatchNorms,
  decodeWidths,
  encodeActivations,
  parseNumber,
  pickExperiment,
  readEnum,
  readNumber,
  shorten,
  type Note,
  checkWarmup,
} from './urlParams';

export { MAX_PARAM_LENGTH } from './urlParams';

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

/** The parameters of one query, read one at a time: each read notes what it replaced. */
interface Reader {
  readonly notices: Notice[];
  /** The note of a bad value of `param`, given as `given`. */
  noteFor(param: string, given: string): Note;
  /** A parameter's value as given; null when absent or too long to read (noted once). */
  get(name: string): string | null;
  num(param: keyof typeof NUMERIC, fallback: number): number;
  pick<T extends string>(param: string, allowed: readonly T[], fallback: T): T;
}

function reader(params: URLSearchParams): Reader {
  const notices: Notice[] = [];
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
  return { notices, noteFor, get, num, pick };
}

/** Notes every parameter the codec does not know, and a link version other than this one. */
/** Unknown parameters named one by one in the notices; the rest are counted. */
const MAX_UNKNOWN_LISTED = 5;

function noteUnknown(params: URLSearchParams, r: Reader): void {
  // One pass over the link (a crafted one may hold tens of thousands of parameters), and a few
  // notices, not one each.
  const known = new Set<string>(KNOWN);
  const unknown = new Map<string, string>();
  for (const [name, value] of params) if (!known.has(name) && !unknown.has(name)) unknown.set(name, value);
  let listed = 0;
  for (const [name, value] of unknown) {
    if (listed++ === MAX_UNKNOWN_LISTED) break;
    r.noteFor(name, value)('unknown parameter, ignored', '');
  }
  const more = unknown.size - MAX_UNKNOWN_LISTED;
  if (more > 0) r.noteFor('', '')(`${more.toLocaleString('en-US')} more unknown parameters, ignored`, '');

  const v = r.get('v');
  if (v !== null && v.trim() !== String(URL_VERSION)) {
    r.noteFor('v', v)(`unknown link version; read as version ${URL_VERSION}`, String(URL_VERSION));
  }
}

/** The hidden layers: widths first (the parameter cap depends on them alone), then activations for the final count. */
function decodeLayers(r: Reader): HiddenLayer[] {
  const { notices, noteFor } = r;
  const layersRaw = r.get('layers');
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
  const actRaw = r.get('act');
  const acts = decodeActivations(actRaw, widths.length, noteFor('act', actRaw ?? ''));
  const dropRaw = r.get('dropout');
  const drops = decodeDropouts(dropRaw, widths.length, noteFor('dropout', dropRaw ?? ''));
  const bns = decodeBatchNorms(r.get('bn'), widths.length, noteFor('bn', r.get('bn') ?? ''));
  const layers = widths.map((units, i) => withDropout({ units, activation: acts[i] ?? 'sigmoid' }, drops[i] ?? 0));
  const normed = layers.map((l, i) => withBatchNorm(l, bns[i] ?? false));
  if (totalParams(normed) <= LIMITS.maxParams) return normed;
  noteFor('bn', r.get('bn') ?? '')(
    `batch normalization would take the network to ${formatCount(totalParams(normed))} parameters, more than this lab allows (${formatCount(LIMITS.maxParams)})`,
    '0',
  );
  return layers;
}

/** A budget replaces the widths with the ones solved for it at this depth. */
function decodeBudget(r: Reader, given: HiddenLayer[]): { layers: HiddenLayer[]; budget: number | null } {
  const { noteFor } = r;
  let layers = given;
  const budgetRaw = r.get('budget');
  let budget: number | null = null;
  if (budgetRaw !== null && budgetRaw.trim() !== '') {
    const res = readNumber(budgetRaw, NUMERIC.budget, NaN);
    const wanted = res.value;
    if (res.reason)
      noteFor('budget', budgetRaw)(
        Number.isFinite(wanted) ? res.reason : `${res.reason}; the widths are used as given`,
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
  return { layers, budget };
}

/** Everything but the layers, into `c`; whether the URL fixed the seed (else `makeSeed` drew it). */
function decodeSettings(r: Reader, c: Mutable<TrainConfig>, makeSeed: () => number): boolean {
  const { num, pick } = r;
  c.optimizer = pick('opt', OPTIMIZERS, DEFAULT_CONFIG.optimizer);
  c.learningRate = num('lr', DEFAULT_LR[c.optimizer]);
  c.epochs = num('epochs', DEFAULT_CONFIG.epochs);
  c.batchSize = num('batch', DEFAULT_CONFIG.batchSize);
  c.validationSplit = num('val', DEFAULT_CONFIG.validationSplit);
  c.preprocessing = pick('pre', PREPROCESSING, DEFAULT_CONFIG.preprocessing);
  c.dataset = pick('data', DATASETS, DEFAULT_CONFIG.dataset);
  c.backend = pick('backend', BACKEND_CHOICES, DEFAULT_CONFIG.backend);
  c.init = pick('init', INITS, DEFAULT_CONFIG.init);
  c.l2 = num('l2', DEFAULT_CONFIG.l2);
  c.l1 = num('l1', DEFAULT_CONFIG.l1);
  c.maxNorm = num('maxnorm', DEFAULT_CONFIG.maxNorm);
  c.inputDropout = num('indrop', DEFAULT_CONFIG.inputDropout);
  const earlyRaw = r.get('early');
  c.earlyPatience = earlyRaw === null || earlyRaw.trim() === '' ? null : num('early', DEFAULT_PATIENCE);
  c.earlyMonitor = pick('monitor', MONITORS, DEFAULT_CONFIG.earlyMonitor);
  c.schedule = pick('sched', SCHEDULES, DEFAULT_CONFIG.schedule);
  c.loss = pick('loss', LOSSES, DEFAULT_CONFIG.loss);
  c.augment = pick('aug', AUGMENTS, DEFAULT_CONFIG.augment);
  c.warmup = checkWarmup(r.num('warmup', DEFAULT_CONFIG.warmup), c, r.noteFor('warmup', r.get('warmup') ?? ''));
  const subsetRaw = r.get('subset');
  c.subset = subsetRaw === null || subsetRaw === '' ? null : num('subset', LIMITS.maxSubset);
  const seedRaw = r.get('seed');
  const seedGiven = seedRaw !== null && parseNumber(seedRaw) !== null;
  c.seed = num('seed', seedGiven ? NaN : makeSeed() >>> 0);
  return seedGiven;
}

/**
 * Decodes a query string (`?layers=32,32&epochs=5` or without the `?`) into a complete config.
 * Missing parameters take the article's defaults; `makeSeed` draws a seed when none is given.
 */
export function decodeConfig(search: string, makeSeed: () => number = () => DEFAULT_CONFIG.seed): Decoded {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const r = reader(params);
  noteUnknown(params, r);
  const { layers, budget } = decodeBudget(r, decodeLayers(r));
  const c: Mutable<TrainConfig> = { ...DEFAULT_CONFIG };
  c.layers = layers;
  const seedGiven = decodeSettings(r, c, makeSeed);
  const experimentRaw = r.get('experiment');
  const experiment =
    experimentRaw === null || experimentRaw === ''
      ? null
      : pickExperiment(experimentRaw, r.noteFor('experiment', experimentRaw));
  return { config: c, notices: r.notices, seedGiven, experiment, budget };
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
  if (config.l2 !== DEFAULT_CONFIG.l2) p.set('l2', String(config.l2));
  if (config.l1 !== DEFAULT_CONFIG.l1) p.set('l1', String(config.l1));
  if (config.maxNorm !== DEFAULT_CONFIG.maxNorm) p.set('maxnorm', String(config.maxNorm));
  const dropout = encodeDropouts(config.layers);
  if (dropout !== null) p.set('dropout', dropout);
  const bn = encodeBatchNorms(config.layers);
  if (bn !== null) p.set('bn', bn);
  if (config.inputDropout !== DEFAULT_CONFIG.inputDropout) p.set('indrop', String(config.inputDropout));
  if (config.earlyPatience !== null) p.set('early', String(config.earlyPatience));
  if (config.earlyMonitor !== DEFAULT_CONFIG.earlyMonitor) p.set('monitor', config.earlyMonitor);
  if (config.schedule !== DEFAULT_CONFIG.schedule) p.set('sched', config.schedule);
  if (config.warmup !== DEFAULT_CONFIG.warmup) p.set('warmup', String(config.warmup));
  if (config.loss !== DEFAULT_CONFIG.loss) p.set('loss', config.loss);
  if (config.augment !== DEFAULT_CONFIG.augment) p.set('aug', config.augment);
  return p.toString().replace(/%2C/g, ',');
}

export { describeNotice } from './noticeText';
