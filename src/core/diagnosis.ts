/**
 * The diagnosis: rules that read the layer-health samples and the epoch log of a run and name,
 * in plain words and with the measured numbers, what is going wrong, each with the changes the lab
 * has seen help (FIXES, with the measurement behind each). Pure functions; the thresholds are
 * named constants so the tests can pin them.
 */
import type { HealthSample, LayerHealth } from './health';
import type { EpochLog } from './runs';
import { learnsWellSetup } from './presets';
import { DEFAULT_LR, type TrainConfig } from './spec';

/** A sigmoid/tanh layer with at least this share of outputs at its limits is called saturated. */
export const SATURATED_SHARE = 0.5;
/** A ReLU layer with at least this share of units silent for a whole batch is called dead. */
export const DEAD_SHARE = 0.5;
/**
 * The gradient "vanishes" at a hidden layer when its gradient RMS is below this fraction of the
 * output layer's and one step moves its weights by less than VANISHED_UPDATE of their size.
 * (Measured: the collapsing 4×32 sigmoid network's layer 2 gets 1/60 of the output layer's
 * gradient and moves 2e-5 per step; healthy layers move 1e-3 to 1e-2.)
 */
export const VANISHED_GRADIENT = 0.05;
export const VANISHED_UPDATE = 1e-4;
/** The loss is "stuck" when it stays at least this high with this share of the batch clipped. */
export const STUCK_LOSS = 8;
export const STUCK_CLIPPED = 0.5;
/** Validation (or training) accuracy at or below this after an epoch is no better than guessing. */
export const CHANCE_ACC = 0.2;
/** Overfitting: validation accuracy fell this many epochs in a row while training accuracy rose. */
export const OVERFIT_EPOCHS = 3;
/** The rules read the mean of this many most recent health samples. */
export const RECENT_SAMPLES = 3;

export type FindingId = 'chance' | 'stuck' | 'vanishing' | 'saturated' | 'dead' | 'overfitting';
export type FixId = 'relu' | 'adam' | 'scaled' | 'lower-lr' | 'learns-well' | 'stop-early';

export interface Fix {
  readonly id: FixId;
  /** A button label: "Use ReLU". */
  readonly label: string;
  /** What the lab measured that makes this worth trying. */
  readonly evidence: string;
  /** For stop-early: the epoch count to set. */
  readonly epochs?: number;
  /** For lower-lr: the learning rate to set (else a tenth of the current one). */
  readonly learningRate?: number;
}

export interface Finding {
  readonly id: FindingId;
  /** One or two sentences, with the numbers. */
  readonly text: string;
  readonly fixes: readonly Fix[];
}

/** What the rules read: the run's own config, its health samples and finished epochs. */
export interface DiagnosisInput {
  readonly config: Pick<TrainConfig, 'layers' | 'preprocessing' | 'optimizer' | 'learningRate' | 'epochs'>;
  readonly health: readonly HealthSample[];
  readonly epochs: readonly EpochLog[];
  /** Recent training loss (the newest few batch samples), if any. */
  readonly recentLoss: number | null;
}

/**
 * Changes the lab has seen help, with the measurement: 4×32 numbers are test accuracies on the full
 * data (5 epochs, seed 1; docs/issue9-4x32-setups.txt), the others validation accuracies on the
 * first 6,000 training images (seed 1), all from this lab's engine.
 */
const FIX_TEXT: Readonly<Record<FixId, Omit<Fix, 'id'>>> = {
  relu: { label: 'Use ReLU', evidence: '4×32 with ReLU reached 0.927 test accuracy in this lab, with sigmoid 0.1135' },
  adam: { label: 'Use Adam', evidence: '4×32 sigmoid with Adam reached 0.859 in this lab, with plain SGD 0.1135' },
  scaled: { label: 'Scale inputs to 0..1', evidence: '4×32 ReLU on 6,000 images, 5 epochs: raw inputs stuck at loss 14.5 (0.11), scaled 0.53' },
  'lower-lr': { label: 'Lower the learning rate', evidence: '2×64 ReLU on 6,000 images: learning rate 1 left 72 % of layer 1 dead (0.69); 0.1 reached 0.81' },
  'learns-well': { label: 'Use the setup that learns well', evidence: 'ReLU, inputs scaled to 0..1 and Adam: 4×32 reached 0.959 in this lab' },
  'stop-early': { label: 'Train for fewer epochs', evidence: 'the validation accuracy of this run was best at that epoch' },
};

const fix = (id: FixId, evidence?: string): Fix => ({ id, ...FIX_TEXT[id], ...(evidence ? { evidence } : {}) });

/** "97 %"; with one decimal below 1 % and above 99 % (never "100 %" or "0 %" for a part). */
export function percent(share: number): string {
  const p = share * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  if (p > 99.9 && p < 100) return '> 99.9 %';
  return `${(p > 0 && p < 1) || (p > 99 && p < 100) ? p.toFixed(1) : Math.round(p)} %`;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** A ratio of two sizes in words: "0.4×", "1/60", "10⁻⁶", "none". */
export function ratioText(r: number): string {
  if (!(r > 0)) return 'none';
  if (r >= 0.1) return `${Number(r.toPrecision(2))}×`;
  if (r >= 1e-3) return `1/${Number((1 / r).toPrecision(2))}`;
  const e = Math.round(Math.log10(r));
  return `10⁻${String(-e)
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('')}`;
}

/** A per-step update ratio as a percentage with two significant digits: "0.0024 %". */
export function stepText(r: number): string {
  return `${Number((r * 100).toPrecision(2))} %`;
}

/** Mean of each layer's numbers over the most recent samples (null shares stay null). */
export function recentHealth(samples: readonly HealthSample[], n = RECENT_SAMPLES): { layers: LayerHealth[]; clipped: number } | null {
  const recent = samples.slice(-n);
  const first = recent[0];
  if (!first) return null;
  const mean = (f: (s: HealthSample) => number) => recent.reduce((a, s) => a + f(s), 0) / recent.length;
  const meanShare = (i: number, key: 'saturated' | 'dead') => (first.layers[i]?.[key] === null ? null : mean((s) => s.layers[i]?.[key] ?? 0));
  return {
    layers: first.layers.map((_, i) => ({
      gradRms: mean((s) => s.layers[i]?.gradRms ?? 0),
      updateRatio: mean((s) => s.layers[i]?.updateRatio ?? 0),
      actMean: mean((s) => s.layers[i]?.actMean ?? 0),
      saturated: meanShare(i, 'saturated'),
      dead: meanShare(i, 'dead'),
    })),
    clipped: mean((s) => s.clipped),
  };
}

function chanceFinding(input: DiagnosisInput, others: number): Finding | null {
  const last = input.epochs.at(-1);
  if (!last) return null;
  const acc = last.valAcc ?? last.acc;
  if (acc > CHANCE_ACC) return null;
  const which = last.valAcc !== null ? 'Validation' : 'Training';
  return {
    id: 'chance',
    text: `${which} accuracy after epoch ${last.epoch} is ${percent(acc)}: guessing among 10 classes gives 10 %. The network has learned next to nothing${
      others > 0 ? '; the findings below say why.' : ' yet. Nothing else looks wrong: if its loss is still falling, it may only be slow.'
    }`,
    // Offered only where it changes something: a run already in that setup gets no fix.
    fixes: alreadyLearnsWell(input.config) ? [] : [fix('learns-well')],
  };
}

/** ReLU everywhere, scaled inputs and Adam: the setup that learns well (batch size aside). */
function alreadyLearnsWell(c: DiagnosisInput['config']): boolean {
  return c.layers.every((l) => l.activation === 'relu') && c.preprocessing === 'scaled' && c.optimizer === 'adam';
}

function stuckFinding(input: DiagnosisInput, recent: { clipped: number } | null): Finding | null {
  if (!recent || input.recentLoss === null || input.recentLoss < STUCK_LOSS || recent.clipped < STUCK_CLIPPED) return null;
  const fixes: Fix[] = [];
  const usual = DEFAULT_LR[input.config.optimizer];
  if (input.config.learningRate > usual) {
    fixes.push({
      ...fix('lower-lr', '32 sigmoid units on 6,000 images: learning rate 10 stuck at loss 14.6 (0.10); 0.01 reached 0.44 in 2 epochs; 1 stayed at chance (0.10)'),
      label: `Use learning rate ${usual}`,
      learningRate: usual,
    });
  }
  if (input.config.preprocessing === 'raw' && input.config.layers.some((l) => l.activation === 'relu')) fixes.push(fix('scaled'));
  return {
    id: 'stuck',
    text: `The loss is stuck near ${input.recentLoss.toFixed(1)} (the clip's ceiling is 16.1): the network is confidently wrong on ${percent(recent.clipped)} of the batch, giving the true class a probability below 10⁻⁷, and the clipped cross-entropy gives those images no gradient.`,
    fixes,
  };
}

function vanishingFinding(input: DiagnosisInput, layers: readonly LayerHealth[]): Finding | null {
  const out = layers.at(-1);
  if (!out || !(out.gradRms > 0) || layers.length < 3) return null;
  // The hidden layer that learns least, among those whose gradient is a small share of the output's.
  let worst = -1;
  layers.slice(0, -1).forEach((l, i) => {
    if (l.gradRms / out.gradRms < VANISHED_GRADIENT && l.updateRatio < VANISHED_UPDATE && (worst < 0 || l.updateRatio < (layers[worst] as LayerHealth).updateRatio)) worst = i;
  });
  if (worst < 0) return null;
  const w = layers[worst] as LayerHealth;
  const fixes: Fix[] = [];
  const saturating = input.config.layers.some((l) => l.activation === 'sigmoid' || l.activation === 'tanh');
  const sigmoid = input.config.layers.some((l) => l.activation === 'sigmoid');
  if (saturating) fixes.push(fix('relu'));
  if (input.config.optimizer === 'sgd') fixes.push(fix('adam'));
  return {
    id: 'vanishing',
    text: `The gradient fades on its way back: layer ${worst + 1} gets ${ratioText(w.gradRms / out.gradRms)} of the output layer's, and one step moves its weights by ${stepText(w.updateRatio)} (the output layer's by ${stepText(out.updateRatio)}). The early layers barely learn${sigmoid ? ': each sigmoid passes back at most a quarter of the signal' : ''}.`,
    fixes,
  };
}

function saturatedFinding(input: DiagnosisInput, layers: readonly LayerHealth[]): Finding | null {
  const hot = layers.slice(0, -1).flatMap((l, i) => (l.saturated !== null && l.saturated >= SATURATED_SHARE ? [{ i, share: l.saturated }] : []));
  const first = hot[0];
  if (!first) return null;
  const act = input.config.layers[first.i]?.activation ?? 'sigmoid';
  const limits = act === 'tanh' ? '-1 or 1' : '0 or 1';
  const cause = first.i === 0 && input.config.preprocessing === 'raw' ? ` (the raw pixel values 0..255 push its ${act}s to ${limits})` : ` (its ${act}s sit at ${limits})`;
  const others = hot.slice(1).map((h) => `layer ${h.i + 1} ${percent(h.share)}`);
  return {
    id: 'saturated',
    text: `Layer ${first.i + 1} is ${percent(first.share)} saturated${cause}, where their slope is almost zero: its units act as on/off switches.${others.length ? ` Also saturated: ${others.join(', ')}.` : ''}`,
    fixes: [],
  };
}

function deadFinding(input: DiagnosisInput, layers: readonly LayerHealth[]): Finding | null {
  const dead = layers.slice(0, -1).flatMap((l, i) => (l.dead !== null && l.dead >= DEAD_SHARE ? [{ i, share: l.dead }] : []));
  const worst = dead.sort((a, b) => b.share - a.share)[0];
  if (!worst) return null;
  const fixes = input.config.learningRate > DEFAULT_LR[input.config.optimizer] ? [fix('lower-lr')] : [];
  return {
    id: 'dead',
    text: `${percent(worst.share)} of layer ${worst.i + 1}'s ReLU units are dead: they output 0 for every image of the batch, so they pass no gradient back and stop learning.`,
    fixes,
  };
}

function overfittingFinding(input: DiagnosisInput): Finding | null {
  const e = input.epochs;
  if (e.length < OVERFIT_EPOCHS + 1) return null;
  for (let k = e.length - OVERFIT_EPOCHS; k < e.length; k++) {
    const a = e[k - 1] as EpochLog;
    const b = e[k] as EpochLog;
    if (a.valAcc === null || b.valAcc === null || !(b.valAcc < a.valAcc) || !(b.acc > a.acc)) return null;
  }
  const best = e.reduce((m, x) => ((x.valAcc ?? -1) > (m.valAcc ?? -1) ? x : m));
  return {
    id: 'overfitting',
    text: `Validation accuracy has fallen for ${OVERFIT_EPOCHS} epochs while training accuracy rises: the network is learning its training images rather than digits (overfitting). It was best after epoch ${best.epoch} (${best.valAcc?.toFixed(4) ?? '–'}).`,
    fixes: [{ ...fix('stop-early', `this run's validation accuracy was best after epoch ${best.epoch}`), epochs: best.epoch }],
  };
}

/** Everything the measurements show that is going wrong, most fundamental first; [] when healthy. */
export function diagnose(input: DiagnosisInput): Finding[] {
  const recent = recentHealth(input.health);
  const layers = recent?.layers ?? [];
  const rest = [stuckFinding(input, recent), vanishingFinding(input, layers), saturatedFinding(input, layers), deadFinding(input, layers), overfittingFinding(input)].filter(
    (f): f is Finding => f !== null,
  );
  const chance = chanceFinding(input, rest.length);
  return chance ? [chance, ...rest] : rest;
}

/** The config a fix asks for, applied to `config` (the controls'). */
export function applyFix(config: TrainConfig, f: Pick<Fix, 'id' | 'epochs' | 'learningRate'>): TrainConfig {
  switch (f.id) {
    case 'relu':
      return { ...config, layers: config.layers.map((l) => (l.activation === 'sigmoid' || l.activation === 'tanh' ? { ...l, activation: 'relu' } : l)) };
    case 'adam':
      return { ...config, optimizer: 'adam', learningRate: DEFAULT_LR.adam };
    case 'scaled':
      return { ...config, preprocessing: 'scaled' };
    case 'lower-lr':
      return { ...config, learningRate: f.learningRate ?? Math.max(1e-6, Number((config.learningRate / 10).toPrecision(2))) };
    case 'learns-well':
      return learnsWellSetup(config);
    case 'stop-early':
      return f.epochs !== undefined && f.epochs >= 1 ? { ...config, epochs: Math.round(f.epochs) } : config;
  }
}

/**
 * What a run with no findings was checked for, in words, from the checks that could run on its
 * network: "no saturated or dead units, every layer's weights move at each step, the loss is not stuck".
 */
export function healthyText(layers: readonly { readonly activation: string }[]): string {
  const checked: string[] = [];
  const saturating = layers.some((l) => l.activation === 'sigmoid' || l.activation === 'tanh');
  const relu = layers.some((l) => l.activation === 'relu');
  if (saturating || relu) checked.push(`no ${[saturating ? 'saturated' : '', relu ? 'dead' : ''].filter(Boolean).join(' or ')} units`);
  if (layers.length >= 2) checked.push("every layer's weights move at each step");
  checked.push('the loss is not stuck');
  return checked.join(', ');
}
