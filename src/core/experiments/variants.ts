/**
 * Issue 12's "flip one assumption" variants and the findings they support, pure. A variant is a
 * change to the shared config, so every run it makes is an ordinary run (with a share link). A
 * finding is one sentence computed from the numbers and their intervals (core/experiments/stats.ts), never
 * written by hand.
 */
import { setDropout } from '../network/dropout';
import { setBatchNorm } from '../network/batchNorm';
import { boundedInterval, intervalsApart, type Interval } from './stats';
import { DEFAULT_LR, type TrainConfig } from '../network/spec';
import { signedFixed } from '../words';

import { VARIANT_IDS, type VariantId } from '../tags';
export { VARIANT_IDS, type VariantId };

export interface Variant {
  readonly id: VariantId;
  /** "With ReLU", as the findings say it. */
  readonly phrase: string;
  /** "ReLU": its column in the variant table and its checkbox. */
  readonly label: string;
  /** What of the article's setup it flips, as the findings name it: "the sigmoids". */
  readonly assumption: string;
  /** The one change it makes. */
  apply(config: TrainConfig): TrainConfig;
}

export const VARIANTS: Readonly<Record<VariantId, Variant>> = {
  relu: {
    id: 'relu',
    phrase: 'With ReLU',
    label: 'ReLU instead of sigmoid',
    assumption: 'the sigmoids',
    apply: (c) => ({ ...c, layers: c.layers.map((l) => ({ ...l, activation: 'relu' })) }),
  },
  scaled: {
    id: 'scaled',
    phrase: 'With inputs scaled to 0..1',
    label: 'inputs scaled to 0..1',
    assumption: 'the raw 0..255 inputs',
    apply: (c) => ({ ...c, preprocessing: 'scaled' }),
  },
  adam: {
    id: 'adam',
    phrase: 'With Adam',
    label: 'Adam instead of SGD',
    assumption: 'plain SGD',
    apply: (c) => ({ ...c, optimizer: 'adam', learningRate: DEFAULT_LR.adam }),
  },
  momentum: {
    id: 'momentum',
    phrase: 'With SGD and momentum',
    label: 'SGD with momentum',
    assumption: 'SGD without momentum',
    apply: (c) => ({ ...c, optimizer: 'momentum', learningRate: DEFAULT_LR.momentum }),
  },
  // He uniform: the same distribution as Glorot uniform, only the scale flips (2 / fan_in).
  he: {
    id: 'he',
    phrase: 'With He initialisation',
    label: 'He initialisation',
    assumption: 'the Glorot-uniform initialisation',
    apply: (c) => ({ ...c, init: 'he_uniform' }),
  },
  batch32: {
    id: 'batch32',
    phrase: 'With batches of 32',
    label: 'batch 32 instead of 128',
    assumption: 'the batches of 128',
    apply: (c) => ({ ...c, batchSize: 32 }),
  },
  l2: {
    id: 'l2',
    phrase: 'With L2 weight decay 0.0005',
    label: 'L2 weight decay 0.0005',
    assumption: 'no weight decay',
    apply: (c) => ({ ...c, l2: 0.0005 }),
  },
  dropout: {
    id: 'dropout',
    phrase: 'With dropout 0.2 after every hidden layer',
    label: 'dropout 0.2',
    assumption: 'no dropout',
    apply: (c) => setDropout(c, 0.2),
  },
  cosine: {
    id: 'cosine',
    phrase: 'With the learning rate on a cosine decay',
    label: 'cosine rate',
    assumption: 'a constant learning rate',
    apply: (c) => ({ ...c, schedule: 'cos', warmup: 0 }),
  },
  affine: {
    id: 'affine',
    phrase: 'With the training images shifted, turned and scaled at random',
    label: 'affine augmentation',
    assumption: 'the training images as they are',
    apply: (c) => ({ ...c, augment: 'affine' }),
  },
  // The classic answer to "why can't deep sigmoid networks train?" (Ioffe and Szegedy 2015).
  bn: {
    id: 'bn',
    phrase: 'With batch normalization in every hidden layer',
    label: 'batch normalization',
    assumption: 'no batch normalization',
    apply: (c) => setBatchNorm(c, true),
  },
};

/** Accuracies as the variant table writes them. */
export const acc3 = (x: number) => x.toFixed(3);
const seeds = (a: Interval, b: Interval) => (a.n === b.n ? `${a.n} seeds` : `${a.n} and ${b.n} seeds`);

/**
 * One sentence comparing a variant's test accuracies with the article setup's on one network
 * (`label`, e.g. "4×32"), in the table's numbers: the change and its direction when the 95 %
 * intervals are apart, "within noise" when they overlap, and no claim on one seed.
 */
export function variantFinding(
  variant: VariantId,
  label: string,
  baseline: readonly number[],
  flipped: readonly number[],
): string {
  const a: Interval = boundedInterval(baseline);
  const b: Interval = boundedInterval(flipped);
  const phrase = VARIANTS[variant].phrase;
  if (a.n === 0 || b.n === 0) return `${phrase}, ${label}: no finished runs to compare yet.`;
  // The difference of the means as the table shows them, so the sentence and the table agree.
  const d = Number(acc3(b.mean)) - Number(acc3(a.mean));
  const moved = `${phrase}, ${label} ${d > 0 ? 'rises' : d < 0 ? 'drops' : 'stays'} from ${acc3(a.mean)} to ${acc3(b.mean)} (${signedFixed(d, 3)})`;
  if (a.n < 2 || b.n < 2)
    return `${moved}: one seed ${a.n < 2 && b.n < 2 ? 'each' : 'on one side'}, so no claim yet (repeat it to know whether the difference is more than chance).`;
  if (intervalsApart(a, b)) return `${moved}; the 95 % intervals over ${seeds(a, b)} are apart.`;
  return `${phrase}, ${label}: ${acc3(b.mean)} against ${acc3(a.mean)}, within noise (the 95 % intervals over ${seeds(a, b)} overlap).`;
}
