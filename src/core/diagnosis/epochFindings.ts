/**
 * The diagnosis's rules on what the Epochs table says when the run has ended: still learning (more
 * epochs would add), and overfitting (validation accuracy down from its best, or validation loss
 * rising while the training loss falls). Each returns its finding, or null.
 */
import { DEFAULT_LR, LIMITS } from '../network/spec';
import type { EpochLog } from '../runs/runs';
import { evidenceText, fix, hasFixDropout, type Fix } from './fixes';
import { fromEpochs, say, type Part, type Quantity } from './numbers';
import { finding, judged, judgedKey, longerPair, type Context, type Finding } from './finding';
import {
  OVERFIT_DROP,
  OVERFIT_EPOCHS,
  OVERFIT_LOSS_RISE,
  STILL_GAIN,
  STILL_GAIN_NOTE,
  STILL_LOSS_DROP,
} from './thresholds';

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

export function stillLearningFinding(ctx: Context): Finding | null {
  const { input } = ctx;
  const ch = lastEpochChange(input.epochs);
  const level = stillLearningLevel(ch);
  if (!input.finished || ctx.atChance || ch === null || level === null) return null;
  const c = input.config;
  const article =
    c.preprocessing === 'raw' &&
    c.optimizer === 'sgd' &&
    c.learningRate === DEFAULT_LR.sgd &&
    c.layers.every((l) => l.activation === 'sigmoid' && l.batchNorm !== true);
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

/**
 * Dropout and augmentation against overfitting: dropout where the run drops less than the fix
 * would, augmentation where it distorts nothing (else it has tried them).
 */
const dropoutFix = (ctx: Context): Fix[] => [
  ...(hasFixDropout(ctx.input.config) ? [] : [fix('dropout')]),
  ...((ctx.input.config.augment ?? 'none') === 'none' ? [fix('augment')] : []),
];

export function overfittingFinding(ctx: Context): Finding | null {
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
        ...dropoutFix(ctx),
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
    dropoutFix(ctx),
  );
}
