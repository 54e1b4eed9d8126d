/**
 * What a finding of the diagnosis is, what its rules read, and the helpers they share: the run's
 * judged accuracy, the loss where the loss chart ends, and the recorded pairs of runs (fixes.ts)
 * closest to a config. Pure.
 */
import { smoothSamples, type HealthSample, type TrainSample } from './health';
import { DEFAULT_LR, type TrainConfig } from '../network/spec';
import type { EpochLog } from '../runs/runs';
import type { Fix, PairName } from './fixes';
import { fromEpochs, metricText, plainText, say, type Part, type Quantity } from './numbers';

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
  | 'saturated'
  | 'moving-stats';
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
  readonly config: Pick<TrainConfig, 'layers' | 'preprocessing' | 'optimizer' | 'learningRate' | 'epochs'> &
    Partial<Pick<TrainConfig, 'inputDropout' | 'loss' | 'augment' | 'batchSize' | 'validationSplit' | 'subset'>>;
  readonly health: readonly HealthSample[];
  readonly epochs: readonly EpochLog[];
  /** The loss samples the loss chart draws, smoothed (the first, the smoothed curve's end, and the newest six are read). */
  readonly samples: readonly TrainSample[];
  /** The run has ended (all its epochs, or stopped): only then is it "still learning when it ended". */
  readonly finished: boolean;
}

export const finding = (id: FindingId, level: Level, parts: Part[], fixes: Fix[] = []): Finding => ({
  id,
  level,
  parts,
  text: plainText(parts),
  fixes,
});

/** ReLU everywhere, scaled inputs and Adam at its usual rate: the setup that learns well (batch size aside). */
export function alreadyLearnsWell(c: DiagnosisInput['config']): boolean {
  return (
    c.layers.every((l) => l.activation === 'relu') &&
    c.preprocessing === 'scaled' &&
    c.optimizer === 'adam' &&
    c.learningRate === DEFAULT_LR.adam
  );
}

/** The recorded pair of a learning rate too high that is closest to this config. */
export const lrPair = (c: DiagnosisInput['config']): PairName =>
  c.optimizer === 'adam' || c.optimizer === 'rmsprop' ? 'adam-0.1' : c.learningRate >= 5 ? 'sgd-10' : 'sgd-1';

/** The recorded pair of scaled inputs closest to this network: one hidden layer, or four (where scaling did not help). */
export const scaledPair = (c: DiagnosisInput['config']): PairName =>
  c.layers.length >= 2 ? 'scaled-4x32' : 'scaled-32';

/** The recorded pair of longer training that is closest to this config. */
export function longerPair(c: DiagnosisInput['config']): PairName {
  if (c.optimizer === 'adam') return 'longer-4x32-adam';
  return c.layers.length >= 3 ? 'longer-3x32' : 'longer-2x32';
}

/** The accuracy the run is judged by after an epoch: validation, else training. */
export const judged = (e: EpochLog) => e.valAcc ?? e.acc;
export const judgedKey = (e: EpochLog) => (e.valAcc !== null ? ('valAcc' as const) : ('acc' as const));

/** The loss where the loss chart's smoothed curve ends (the newest sample), as a quantity. */
export function chartLoss(samples: readonly TrainSample[]): { value: number; q: Quantity } | null {
  const end = smoothSamples(samples).at(-1);
  if (!end) return null;
  return {
    value: end.loss,
    q: { text: metricText(end.loss), source: `Loss chart: the smoothed curve at its end (epoch ${end.x.toFixed(2)})` },
  };
}

/** What every rule reads: the input, and what several of them need from it. */
export interface Context {
  readonly input: DiagnosisInput;
  readonly latest: HealthSample | undefined;
  readonly hidden: number;
  readonly last: EpochLog | undefined;
  /** The run is at chance: findings that explain it are failures, not a drag. */
  readonly atChance: boolean;
}

/** "This run still learns: val_acc 0.9020 after epoch 5." when it is above chance. */
export function stillLearns(ctx: Context): Part[] {
  const last = ctx.last;
  if (!last || ctx.atChance) return [];
  return say` This run still learns: ${last.valAcc !== null ? 'val_acc' : 'acc'} ${fromEpochs.metric(last, judgedKey(last))} after epoch ${last.epoch}.`;
}
