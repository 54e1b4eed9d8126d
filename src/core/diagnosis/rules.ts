/**
 * The diagnosis: rules that read a run's newest layer-health sample (the one the Layer health
 * table shows), its Epochs table and its loss samples, and say what holds the run back, in plain
 * words, with the numbers as those tables write them (numbers.ts), each with changes to try and the
 * pair of recorded runs that measured each (fixes.ts). Pure; the thresholds are named constants, and tests/truth/ holds
 * real runs on which each rule must fire, or not.
 *
 * Three levels: `fails` (the run falls short: chance, stuck, NaN), `holds-back` (it learns, but
 * measurably slower or worse than it could) and `note` (an observation on a run that may learn
 * well, said as an explanation, not an alarm).
 */
import { smoothSamples, type HealthSample, type TrainSample } from './health';
import { DEFAULT_LR, LIMITS, type Activation, type TrainConfig } from '../network/spec';
import { setupKey, type EpochLog } from '../runs/runs';
import { applyFix, evidenceText, fix, type Fix, type PairName } from './fixes';
import {
  fromEpochs,
  fromHealth,
  layerName,
  metricText,
  percent,
  plainText,
  say,
  type Part,
  type Quantity,
} from './numbers';

/** A sigmoid/tanh layer with at least this share of outputs at its limits is called saturated. */
export const SATURATED_SHARE = 0.5;
/** A ReLU layer with at least this share of dead units holds the run back ... */
export const DEAD_SHARE = 0.5;
/** ... and from this share on it is worth a note (below it, "what was checked" gives the share). */
export const DEAD_NOTE_SHARE = 0.25;
/**
 * The gradient "vanishes" at a hidden layer when its gradient RMS is below this fraction of the
 * output layer's and one step moves its weights by less than VANISHED_UPDATE of their size.
 * (Measured: the collapsing 4×32 sigmoid network's layer 2 gets about 1/60 of the output layer's
 * gradient and moves 2e-5 per step; layers that learn move 1e-4 to 1e-2.)
 */
export const VANISHED_GRADIENT = 0.05;
export const VANISHED_UPDATE = 1e-4;
/**
 * The loss is "stuck" when it stays at least this high with this share of the batch clipped
 * (confidently wrong: those images give no gradient). Measured: 32 ReLU units on raw pixels stay
 * at loss 7.1 with 49 % clipped (0.59); Adam at 0.1 at 8.3 with 45 % (0.47).
 */
export const STUCK_LOSS = 4;
export const STUCK_CLIPPED = 0.25;
/** Validation (or training) accuracy at or below this after an epoch is no better than guessing. */
export const CHANCE_ACC = 0.2;
/**
 * Overfitting holds the run back when the validation accuracy of each of the last OVERFIT_EPOCHS
 * epochs is at least OVERFIT_DROP below its best epoch's. It is worth a note when the validation
 * loss has stayed at least OVERFIT_LOSS_RISE above its lowest for OVERFIT_EPOCHS epochs while the
 * training loss kept falling: the network grows over-confident on images it has not seen, though
 * its accuracy may hold (measured: 512 ReLU on 1,400 images, 40 epochs: val_loss up 9 % from
 * epoch 14, test accuracy 0.8988 against 0.8976 when stopped at epoch 14; so the note suggests
 * nothing).
 */
export const OVERFIT_EPOCHS = 3;
export const OVERFIT_DROP = 0.015;
export const OVERFIT_LOSS_RISE = 0.05;
/**
 * Still learning: in the last epoch validation accuracy rose at least STILL_GAIN (2 points) and
 * the training loss fell at least STILL_LOSS_DROP of itself: it holds the run back. From
 * STILL_GAIN_NOTE (half a point, the loss falling as much) it is worth a note. (Validation on 6,000
 * images measures an accuracy near 0.9 to about ±0.4 points; the training loss over 54,000 images
 * is far steadier, so it must fall too.)
 */
export const STILL_GAIN = 0.02;
export const STILL_LOSS_DROP = 0.01;
export const STILL_GAIN_NOTE = 0.005;
/**
 * Raw inputs: a ReLU or linear first layer whose mean output is above RAW_MEAN_OUTPUT, or a first
 * loss above RAW_FIRST_LOSS. It holds the run back while the output stays swamped: at least
 * RAW_CLIPPED of the batch confidently wrong in the newest sample; else the network recovered,
 * and it is a note.
 */
export const RAW_MEAN_OUTPUT = 10;
export const RAW_FIRST_LOSS = 5;
export const RAW_CLIPPED = 0.1;
/**
 * Learning rate too low: at most LOW_LR_FACTOR of the optimizer's usual rate, no layer moving by
 * LOW_LR_STEP of its weights a step, and the loss still falling.
 */
export const LOW_LR_FACTOR = 0.1;
export const LOW_LR_STEP = 1e-3;
/**
 * Learning rate too high (above the optimizer's usual rate): the training loss of the last epoch
 * is above the best epoch's by HIGH_LR_RISE, or has not fallen below HIGH_LR_FLAT of the first
 * epoch's, or the newest 2 × RECENT_SAMPLES loss samples swing around their straight-line trend by
 * more than HIGH_LR_SWING of their mean (swingAroundTrend).
 */
export const HIGH_LR_RISE = 1.2;
export const HIGH_LR_FLAT = 0.95;
export const HIGH_LR_SWING = 0.5;
/** The lr-high swing rule reads the newest 2 × RECENT_SAMPLES loss samples. */
export const RECENT_SAMPLES = 3;

export type FindingId =
  | 'chance'
  | 'stuck'
  | 'lr-high'
  | 'vanishing'
  | 'raw-inputs'
  | 'dead'
  | 'lr-low'
  | 'still-learning'
  | 'overfitting'
  | 'saturated';
export type Level = 'fails' | 'holds-back' | 'note';

export interface Finding {
  readonly id: FindingId;
  readonly level: Level;
  /** One or two sentences, the numbers as quantities with their sources. */
  readonly parts: readonly Part[];
  /** The same as plain text. */
  readonly text: string;
  readonly fixes: readonly Fix[];
}

/** What the rules read: the run's own config, its health samples, finished epochs and loss samples. */
export interface DiagnosisInput {
  readonly config: Pick<TrainConfig, 'layers' | 'preprocessing' | 'optimizer' | 'learningRate' | 'epochs'>;
  readonly health: readonly HealthSample[];
  readonly epochs: readonly EpochLog[];
  /** The loss samples the loss chart draws, smoothed (the first, the smoothed curve's end, and the newest six are read). */
  readonly samples: readonly TrainSample[];
  /** The run has ended (all its epochs, or stopped): only then is it "still learning when it ended". */
  readonly finished: boolean;
}

const LEVEL_ORDER: Readonly<Record<Level, number>> = { fails: 0, 'holds-back': 1, note: 2 };

const finding = (id: FindingId, level: Level, parts: Part[], fixes: Fix[] = []): Finding => ({
  id,
  level,
  parts,
  text: plainText(parts),
  fixes,
});

const saturating = (a: Activation) => a === 'sigmoid' || a === 'tanh';

/** ReLU everywhere, scaled inputs and Adam at its usual rate: the setup that learns well (batch size aside). */
function alreadyLearnsWell(c: DiagnosisInput['config']): boolean {
  return (
    c.layers.every((l) => l.activation === 'relu') &&
    c.preprocessing === 'scaled' &&
    c.optimizer === 'adam' &&
    c.learningRate === DEFAULT_LR.adam
  );
}

/** The recorded pair of a learning rate too high that is closest to this config. */
const lrPair = (c: DiagnosisInput['config']): PairName =>
  c.optimizer === 'adam' || c.optimizer === 'rmsprop' ? 'adam-0.1' : c.learningRate >= 5 ? 'sgd-10' : 'sgd-1';

/** The recorded pair of scaled inputs closest to this network: one hidden layer, or four (where scaling did not help). */
const scaledPair = (c: DiagnosisInput['config']): PairName => (c.layers.length >= 2 ? 'scaled-4x32' : 'scaled-32');

/** The recorded pair of longer training that is closest to this config. */
function longerPair(c: DiagnosisInput['config']): PairName {
  if (c.optimizer === 'adam') return 'longer-4x32-adam';
  return c.layers.length >= 3 ? 'longer-3x32' : 'longer-2x32';
}

/** The accuracy the run is judged by after an epoch: validation, else training. */
const judged = (e: EpochLog) => e.valAcc ?? e.acc;
const judgedKey = (e: EpochLog) => (e.valAcc !== null ? ('valAcc' as const) : ('acc' as const));

/** The loss where the loss chart's smoothed curve ends (the newest sample), as a quantity. */
function chartLoss(samples: readonly TrainSample[]): { value: number; q: Quantity } | null {
  const end = smoothSamples(samples).at(-1);
  if (!end) return null;
  return {
    value: end.loss,
    q: { text: metricText(end.loss), source: `Loss chart: the smoothed curve at its end (epoch ${end.x.toFixed(2)})` },
  };
}

interface Context {
  readonly input: DiagnosisInput;
  readonly latest: HealthSample | undefined;
  readonly hidden: number;
  readonly last: EpochLog | undefined;
  /** The run is at chance: findings that explain it are failures, not a drag. */
  readonly atChance: boolean;
}

function chanceFinding(ctx: Context): Finding | null {
  const last = ctx.last;
  if (!last || !ctx.atChance) return null;
  const which = last.valAcc !== null ? 'Validation' : 'Training';
  return finding(
    'chance',
    'fails',
    say`${which} accuracy after epoch ${last.epoch} is ${fromEpochs.metric(last, judgedKey(last))}: guessing among 10 classes gives 0.10. The network has learned next to nothing.`,
    alreadyLearnsWell(ctx.input.config) ? [] : [fix('learns-well')],
  );
}

function stuckFinding(ctx: Context): Finding | null {
  // The loss at the newest sample's moment, beside that sample's confidently wrong share.
  const loss = chartLoss(ctx.input.samples);
  const s = ctx.latest;
  if (!loss || !s || !(loss.value >= STUCK_LOSS) || s.clipped < STUCK_CLIPPED) return null;
  const c = ctx.input.config;
  const fixes: Fix[] = [];
  const usual = DEFAULT_LR[c.optimizer];
  if (c.learningRate > usual)
    fixes.push(fix('lower-lr', { label: `Use learning rate ${usual}`, learningRate: usual, pair: lrPair(c) }));
  if (c.preprocessing === 'raw' && c.layers.some((l) => l.activation === 'relu' || l.activation === 'linear'))
    fixes.push(fix('scaled', { pair: scaledPair(c) }));
  return finding(
    'stuck',
    ctx.atChance ? 'fails' : 'holds-back',
    say`The loss stays high, at ${loss.q} (a network that guesses evenly has 2.30; the clip's ceiling is 16.12): the network is confidently wrong on ${fromHealth.clipped(s)} of the batch, giving the true class a probability below 10⁻⁷, and the clipped cross-entropy gives those images no gradient.`,
    fixes,
  );
}

function lrHighFinding(ctx: Context): Finding | null {
  const { input } = ctx;
  const c = input.config;
  const usual = DEFAULT_LR[c.optimizer];
  const lower = fix('lower-lr', { label: `Use learning rate ${usual}`, learningRate: usual, pair: lrPair(c) });
  const bad = input.epochs.find((e) => !Number.isFinite(e.loss));
  if (bad) {
    return finding(
      'lr-high',
      'fails',
      say`The training loss of epoch ${bad.epoch} is ${fromEpochs.metric(bad, 'loss')}: the weights overflowed, and the network computes nothing useful after that. Learning rate ${c.learningRate} is too high for this network.`,
      c.learningRate > usual ? [lower] : [],
    );
  }
  if (!(c.learningRate > usual)) return null;
  const done = input.epochs.filter((e) => Number.isFinite(e.loss));
  const best = done.reduce<EpochLog | null>((m, e) => (m === null || e.loss < m.loss ? e : m), null);
  const last = done.at(-1);
  const level: Level = ctx.atChance ? 'fails' : 'holds-back';
  const firstEpoch = done[0];
  if (firstEpoch && last && last !== firstEpoch && last.loss >= firstEpoch.loss * HIGH_LR_FLAT) {
    const how =
      last.loss >= firstEpoch.loss
        ? 'has not fallen'
        : `has fallen only ${Number(((1 - last.loss / firstEpoch.loss) * 100).toPrecision(2))} %`;
    return finding(
      'lr-high',
      level,
      say`The training loss ${how}: ${fromEpochs.metric(firstEpoch, 'loss')} after epoch ${firstEpoch.epoch}, ${fromEpochs.metric(last, 'loss')} after epoch ${last.epoch}. Steps of learning rate ${c.learningRate}, ${Number((c.learningRate / usual).toPrecision(2))} times ${c.optimizer}'s usual ${usual}, throw the weights about instead of down the slope.`,
      [lower],
    );
  }
  if (best && last && last !== best && last.loss > best.loss * HIGH_LR_RISE) {
    return finding(
      'lr-high',
      level,
      say`The training loss rose from ${fromEpochs.metric(best, 'loss')} (epoch ${best.epoch}) to ${fromEpochs.metric(last, 'loss')} (epoch ${last.epoch}): steps of learning rate ${c.learningRate}, ${Number((c.learningRate / usual).toPrecision(2))} times ${c.optimizer}'s usual ${usual}, overshoot.`,
      [lower],
    );
  }
  const recent = input.samples.slice(-2 * RECENT_SAMPLES);
  const swing = swingAroundTrend(recent.map((x) => x.loss));
  if (recent.length >= 2 * RECENT_SAMPLES && swing !== null && swing > HIGH_LR_SWING) {
    const lo = Math.min(...recent.map((x) => x.loss));
    const hi = Math.max(...recent.map((x) => x.loss));
    const range: Quantity = {
      text: `${metricText(lo)} and ${metricText(hi)}`,
      source: `The newest ${recent.length} loss samples behind the loss chart, before it smooths them (to epoch ${(recent.at(-1) as TrainSample).x.toFixed(2)})`,
    };
    return finding(
      'lr-high',
      level,
      say`The loss jumps about instead of settling: the newest samples swing between ${range}, up and down around their trend. Steps of learning rate ${c.learningRate}, ${Number((c.learningRate / usual).toPrecision(2))} times ${c.optimizer}'s usual ${usual}, overshoot.`,
      [lower],
    );
  }
  return null;
}

/**
 * How much a run of losses swings around its straight-line trend: the standard deviation of the
 * residuals over the mean (a steadily falling loss does not swing; one that goes up and down does).
 */
export function swingAroundTrend(losses: readonly number[]): number | null {
  const n = losses.length;
  if (n < 3) return null;
  const mx = (n - 1) / 2;
  const my = losses.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  losses.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxy / sxx;
  const residuals = losses.map((y, x) => y - (my + slope * (x - mx)));
  const sd = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / (n - 2));
  return my > 0 ? sd / my : null;
}

function vanishingFinding(ctx: Context): Finding | null {
  const s = ctx.latest;
  const { hidden } = ctx;
  const out = s?.layers[hidden];
  if (!s || !out || !(out.gradRms > 0) || hidden < 2) return null;
  // The hidden layer that learns least, among those whose gradient is a small share of the output's.
  let worst = -1;
  s.layers.slice(0, hidden).forEach((l, i) => {
    if (
      l.gradRms / out.gradRms < VANISHED_GRADIENT &&
      l.updateRatio < VANISHED_UPDATE &&
      (worst < 0 || l.updateRatio < (s.layers[worst]?.updateRatio ?? Infinity))
    )
      worst = i;
  });
  if (worst < 0) return null;
  const c = ctx.input.config;
  const fixes: Fix[] = [];
  if (c.layers.some((l) => saturating(l.activation))) fixes.push(fix('relu'));
  if (c.optimizer === 'sgd') fixes.push(fix('adam'));
  const sigmoid = c.layers.some((l) => l.activation === 'sigmoid');
  return finding(
    'vanishing',
    ctx.atChance ? 'fails' : 'holds-back',
    say`The gradient fades on its way back: ${layerName(worst, hidden)} gets ${fromHealth.gradRatio(s, worst, hidden, hidden)} of the output layer's, and one step moves its weights by ${fromHealth.step(s, worst, hidden)} (the output layer's by ${fromHealth.step(s, hidden, hidden)}). The early layers barely learn${sigmoid ? ': each sigmoid passes back at most a quarter of the signal' : ''}.`,
    fixes,
  );
}

function rawInputsFinding(ctx: Context): Finding | null {
  const c = ctx.input.config;
  const first = c.layers[0];
  const s = ctx.latest;
  if (c.preprocessing !== 'raw' || !first || (first.activation !== 'relu' && first.activation !== 'linear') || !s)
    return null;
  const start = ctx.input.samples[0];
  const bigOutput = (s.layers[0]?.actMean ?? 0) > RAW_MEAN_OUTPUT;
  const bigLoss = start !== undefined && start.loss > RAW_FIRST_LOSS;
  if (!bigOutput && !bigLoss) return null;
  const swamped = s.clipped >= RAW_CLIPPED;
  const startQ: Quantity | null = start
    ? { text: metricText(start.loss), source: `Loss chart: the first sample (to epoch ${start.x.toFixed(2)})` }
    : null;
  const parts = say`Layer 1's ${first.activation} units take the raw pixel values 0..255 unscaled: their mean output is ${fromHealth.mean(s, 0, ctx.hidden)}`;
  if (startQ) parts.push(...say`, and the loss started at ${startQ} (a network that guesses evenly starts at 2.30)`);
  if (swamped) {
    parts.push(
      ...say`. The outputs are still swamped: the network is confidently wrong on ${fromHealth.clipped(s)} of the batch, where the clipped loss gives no gradient. Inputs scaled to 0..1 keep the first layer in a range the layers after it, and the softmax, can use.`,
    );
    return finding('raw-inputs', ctx.atChance ? 'fails' : 'holds-back', parts, [
      fix('scaled', { pair: scaledPair(c) }),
    ]);
  }
  parts.push(
    ...(s.clipped > 0
      ? say`. The layers after it have absorbed most of it: only ${fromHealth.clipped(s)} of the newest batch is confidently wrong.`
      : say`. The layers after it have absorbed the large values: no image of the newest batch is confidently wrong (${fromHealth.clipped(s)}).`),
    ...stillLearns(ctx),
  );
  return finding('raw-inputs', 'note', parts, [fix('scaled', { pair: scaledPair(c) })]);
}

/** "This run still learns: val_acc 0.9020 after epoch 5." when it is above chance. */
function stillLearns(ctx: Context): Part[] {
  const last = ctx.last;
  if (!last || ctx.atChance) return [];
  return say` This run still learns: ${last.valAcc !== null ? 'val_acc' : 'acc'} ${fromEpochs.metric(last, judgedKey(last))} after epoch ${last.epoch}.`;
}

function deadFinding(ctx: Context): Finding | null {
  const s = ctx.latest;
  if (!s) return null;
  const dead = s.layers
    .slice(0, ctx.hidden)
    .flatMap((l, i) => (l.dead !== null && l.dead >= DEAD_NOTE_SHARE ? [{ i, share: l.dead }] : []));
  const worst = [...dead].sort((a, b) => b.share - a.share)[0];
  if (!worst) return null;
  const c = ctx.input.config;
  const fixes: Fix[] = [];
  const usual = DEFAULT_LR[c.optimizer];
  if (c.learningRate > usual)
    fixes.push(
      fix('lower-lr', {
        label: `Use learning rate ${usual}`,
        learningRate: usual,
        pair: c.optimizer === 'sgd' ? 'sgd-1' : lrPair(c),
      }),
    );
  if (c.preprocessing === 'raw') fixes.push(fix('scaled', { pair: scaledPair(c) }));
  const level: Level = worst.share >= DEAD_SHARE ? (ctx.atChance ? 'fails' : 'holds-back') : 'note';
  const alive: Quantity = {
    text: percent(1 - worst.share),
    source: `100 % less the dead share in the Layer health table (${layerName(worst.i, ctx.hidden)})`,
  };
  const others = dead.filter((d) => d !== worst);
  const parts = say`${fromHealth.share(s, worst.i, ctx.hidden, 'dead')} of ${layerName(worst.i, ctx.hidden)}'s ReLU units are dead: they output 0 for every image of the batch, so they pass no gradient back and stop learning; the layer works with the other ${alive}.`;
  if (others.length) {
    parts.push(' Also dead: ');
    others.forEach((d, k) =>
      parts.push(
        ...(k ? [', '] : []),
        ...say`${layerName(d.i, ctx.hidden)} ${fromHealth.share(s, d.i, ctx.hidden, 'dead')}`,
      ),
    );
    parts.push('.');
  }
  if (level === 'note') parts.push(...stillLearns(ctx));
  return finding('dead', level, parts, fixes);
}

/** The change of the last epoch: validation accuracy gained and the training loss's relative drop. */
function lastEpochChange(
  epochs: readonly EpochLog[],
): { prev: EpochLog; last: EpochLog; gain: number; drop: number } | null {
  const last = epochs.at(-1);
  const prev = epochs.at(-2);
  if (!last || !prev) return null;
  return {
    prev,
    last,
    gain: judged(last) - judged(prev),
    drop: prev.loss > 0 ? (prev.loss - last.loss) / prev.loss : 0,
  };
}

function stillLearningParts(ch: NonNullable<ReturnType<typeof lastEpochChange>>): Part[] {
  const key = judgedKey(ch.last);
  const gain: Quantity = {
    text: `${(ch.gain * 100).toFixed(1)} points`,
    source: `Epochs table: ${key === 'valAcc' ? 'val_acc' : 'acc'} of epoch ${ch.last.epoch} less epoch ${ch.prev.epoch}'s`,
  };
  return say`In its last epoch ${key === 'valAcc' ? 'validation' : 'training'} accuracy still rose ${gain}, from ${fromEpochs.metric(ch.prev, key)} to ${fromEpochs.metric(ch.last, key)}, and the training loss fell from ${fromEpochs.metric(ch.prev, 'loss')} to ${fromEpochs.metric(ch.last, 'loss')}.`;
}

/** How much the last epoch still taught: 'holds-back', 'note', or null (it had about finished). */
function stillLearningLevel(ch: ReturnType<typeof lastEpochChange>): 'holds-back' | 'note' | null {
  if (ch === null) return null;
  if (ch.gain >= STILL_GAIN && ch.drop >= STILL_LOSS_DROP) return 'holds-back';
  if (ch.gain >= STILL_GAIN_NOTE && ch.drop >= STILL_LOSS_DROP) return 'note';
  return null;
}

function lrLowFinding(ctx: Context): Finding | null {
  const c = ctx.input.config;
  const usual = DEFAULT_LR[c.optimizer];
  const s = ctx.latest;
  const last = ctx.last;
  const prev = ctx.input.epochs.at(-2);
  if (
    !ctx.input.finished ||
    !(c.learningRate <= usual * LOW_LR_FACTOR) ||
    !s ||
    !last ||
    !prev ||
    !(last.loss < prev.loss)
  )
    return null;
  const steps = s.layers.map((l, i) => ({ i, v: l.updateRatio }));
  const fastest = steps.reduce((m, x) => (x.v > m.v ? x : m), steps[0] ?? { i: 0, v: 0 });
  if (!(fastest.v < LOW_LR_STEP)) return null;
  return finding(
    'lr-low',
    ctx.atChance ? 'fails' : 'holds-back',
    say`Learning rate ${c.learningRate} is ${Number((usual / c.learningRate).toPrecision(2))} times smaller than ${c.optimizer}'s usual ${usual}: one step moves no layer's weights by more than ${fromHealth.step(s, fastest.i, ctx.hidden)} (${layerName(fastest.i, ctx.hidden)}), and the loss creeps down, from ${fromEpochs.metric(prev, 'loss')} to ${fromEpochs.metric(last, 'loss')} in the last epoch.`,
    [fix('raise-lr', { label: `Use learning rate ${usual}`, learningRate: usual })],
  );
}

/** Longer runs of the same network that a learner can look at. */
const LONGER: readonly { layers: number; units: number; epochs: number; where: string }[] = [
  {
    layers: 3,
    units: 32,
    epochs: 40,
    where:
      'the article’s experiment 3 trains this very network (its setup, 3×32 sigmoid) for 40 epochs and reports 0.886',
  },
];

function stillLearningFinding(ctx: Context): Finding | null {
  const { input } = ctx;
  const ch = lastEpochChange(input.epochs);
  const level = stillLearningLevel(ch);
  if (!input.finished || ctx.atChance || ch === null || level === null) return null;
  const c = input.config;
  const article =
    c.preprocessing === 'raw' &&
    c.optimizer === 'sgd' &&
    c.learningRate === DEFAULT_LR.sgd &&
    c.layers.every((l) => l.activation === 'sigmoid');
  const longer = article
    ? LONGER.find(
        (l) => l.layers === c.layers.length && c.layers.every((x) => x.units === l.units) && l.epochs > c.epochs,
      )
    : undefined;
  const epochs = longer?.epochs ?? Math.min(LIMITS.maxEpochs, c.epochs * 4);
  const parts =
    level === 'holds-back'
      ? [
          ...say`Still learning when the run ended. `,
          ...stillLearningParts(ch),
          ` More epochs would likely add more${longer ? `: ${longer.where}` : ''}.`,
        ]
      : [
          ...say`Still learning a little when the run ended. `,
          ...stillLearningParts(ch),
          ' More epochs would likely add a little.',
        ];
  return finding('still-learning', level, parts, [
    fix('more-epochs', { label: `Train for ${epochs} epochs`, epochs, pair: longerPair(c) }),
  ]);
}

function overfittingFinding(ctx: Context): Finding | null {
  const e = ctx.input.epochs.filter((x) => x.valAcc !== null && x.valLoss !== null && Number.isFinite(x.valLoss));
  if (e.length < OVERFIT_EPOCHS + 1) return null;
  const last = e.at(-1) as EpochLog;
  const recent = e.slice(-OVERFIT_EPOCHS);
  const bestAcc = e.reduce((m, x) => ((x.valAcc as number) > (m.valAcc as number) ? x : m));
  const lowLoss = e.reduce((m, x) => ((x.valLoss as number) < (m.valLoss as number) ? x : m));
  const dropped =
    recent.every((x) => (bestAcc.valAcc as number) - (x.valAcc as number) >= OVERFIT_DROP) && !recent.includes(bestAcc);
  if (dropped) {
    return finding(
      'overfitting',
      'holds-back',
      say`Validation accuracy is down from its best, ${fromEpochs.metric(bestAcc, 'valAcc')} after epoch ${bestAcc.epoch}, to ${fromEpochs.metric(last, 'valAcc')} after epoch ${last.epoch}, while training accuracy reached ${fromEpochs.metric(last, 'acc')}: the network learns its training images rather than digits (overfitting).`,
      [
        fix('stop-early', {
          label: `Train for ${bestAcc.epoch} epochs`,
          epochs: bestAcc.epoch,
          evidence: `this run's validation accuracy was best after epoch ${bestAcc.epoch}`,
        }),
      ],
    );
  }
  const rising =
    recent.every((x) => (x.valLoss as number) >= (lowLoss.valLoss as number) * (1 + OVERFIT_LOSS_RISE)) &&
    last.loss < lowLoss.loss;
  if (!rising) return null;
  return finding(
    'overfitting',
    'note',
    say`Validation loss has risen from ${fromEpochs.metric(lowLoss, 'valLoss')} after epoch ${lowLoss.epoch} to ${fromEpochs.metric(last, 'valLoss')} after epoch ${last.epoch}, while the training loss kept falling, to ${fromEpochs.metric(last, 'loss')}: the network grows over-confident on images it has not seen, the first sign of overfitting. Its validation accuracy holds: ${fromEpochs.metric(last, 'valAcc')}, best ${fromEpochs.metric(bestAcc, 'valAcc')} after epoch ${bestAcc.epoch}. (Measured here, stopping where the validation loss was lowest did not help on the test images: ${evidenceText('stop-512')}.)`,
  );
}

function saturatedFinding(ctx: Context): Finding | null {
  const s = ctx.latest;
  if (!s) return null;
  const hot = s.layers
    .slice(0, ctx.hidden)
    .flatMap((l, i) => (l.saturated !== null && l.saturated >= SATURATED_SHARE ? [{ i }] : []));
  const first = hot[0];
  if (!first) return null;
  const c = ctx.input.config;
  const act = c.layers[first.i]?.activation ?? 'sigmoid';
  const limits = act === 'tanh' ? '-1 or 1' : '0 or 1';
  const cause =
    first.i === 0 && c.preprocessing === 'raw'
      ? ` (the raw pixel values 0..255 push its ${act}s to ${limits})`
      : ` (its ${act}s sit at ${limits})`;
  const parts = say`${layerName(first.i, ctx.hidden).replace(/^l/, 'L')} is ${fromHealth.share(s, first.i, ctx.hidden, 'saturated')} saturated${cause}: its units act as on/off switches, where a ${act}'s slope is almost zero, so little gradient passes back through them.`;
  const others = hot.slice(1);
  if (others.length) {
    parts.push(' Also saturated: ');
    others.forEach((h, k) =>
      parts.push(
        ...(k ? [', '] : []),
        ...say`${layerName(h.i, ctx.hidden)} ${fromHealth.share(s, h.i, ctx.hidden, 'saturated')}`,
      ),
    );
    parts.push('.');
  }
  parts.push(...stillLearns(ctx));
  return finding('saturated', 'note', parts);
}

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
  const all = [
    chanceFinding(ctx),
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
