/**
 * Early stopping as Keras 3's `EarlyStopping(monitor, patience, restore_best_weights=True)` does
 * it, epoch by epoch: the first epoch with a value is the best so far; an epoch is better only
 * when strictly better (lower loss, higher accuracy; min_delta 0); after `patience` epochs in a row
 * without one (and not on the first epoch) training stops; at the end the weights of the best
 * epoch are put back, whether it stopped or ran every epoch. An epoch without the value (no
 * validation split) changes nothing, as in Keras (which warns). The training loop asks it after
 * each epoch; the page replays it over a run's logged epochs (earlyStopOf), so what the charts
 * mark is what the run did.
 */
import type { Monitor, TrainConfig } from '../network/spec';
import type { EpochLog } from './runs';

/** What an epoch's end means for the run: the best so far (keep its weights), go on, or stop. */
export type EarlyDecision = 'best' | 'wait' | 'stop';

export class EarlyStopping {
  private best: number | null = null;
  private wait = 0;
  /** The 1-based epoch whose weights the run will end with (0: none yet). */
  bestEpoch = 0;

  constructor(
    private readonly patience: number,
    private readonly monitor: Monitor,
  ) {}

  /** After epoch `log.epoch` (1-based). */
  update(log: EpochLog): EarlyDecision {
    const value = this.monitor === 'val_loss' ? log.valLoss : log.valAcc;
    if (value === null) return 'wait';
    this.wait += 1;
    const better = this.best === null || (this.monitor === 'val_loss' ? value < this.best : value > this.best);
    if (better) {
      this.best = value;
      this.bestEpoch = log.epoch;
      this.wait = 0;
      return 'best';
    }
    return this.wait >= this.patience && log.epoch > 1 ? 'stop' : 'wait';
  }
}

/** A config's early stopping, or null when it has none. */
export function earlyStoppingOf(c: Pick<TrainConfig, 'earlyPatience' | 'earlyMonitor'>): EarlyStopping | null {
  return c.earlyPatience === null ? null : new EarlyStopping(c.earlyPatience, c.earlyMonitor);
}

/** What early stopping did in a run: the epoch it stopped after (null: it ran them all) and the epoch whose weights it kept. */
export interface EarlyStop {
  readonly stoppedAfter: number | null;
  readonly restored: number;
}

/**
 * Early stopping replayed over a run's logged epochs; null when the config has none or no epoch
 * had the value it watches (then nothing was restored).
 */
export function earlyStopOf(
  c: Pick<TrainConfig, 'earlyPatience' | 'earlyMonitor'>,
  epochs: readonly EpochLog[],
): EarlyStop | null {
  const early = earlyStoppingOf(c);
  if (!early) return null;
  let stoppedAfter: number | null = null;
  for (const e of epochs) {
    if (early.update(e) === 'stop') {
      stoppedAfter = e.epoch;
      break;
    }
  }
  return early.bestEpoch === 0 ? null : { stoppedAfter, restored: early.bestEpoch };
}

/** How it reads in a run's name: "early stopping 3 (val_loss)"; '' when off. */
export function describeEarly(c: Pick<TrainConfig, 'earlyPatience' | 'earlyMonitor'>): string {
  return c.earlyPatience === null ? '' : `early stopping ${c.earlyPatience} (${c.earlyMonitor})`;
}

const MONITOR_WORDS: Readonly<Record<Monitor, string>> = { val_loss: 'val_loss', val_accuracy: 'val_acc' };

/**
 * What early stopping did (`finished`) or is doing, in a sentence for the epoch table, or null when the run has none:
 * "Early stopping (patience 3, on val_loss) stopped the run after epoch 7: val_loss had not gone
 * below epoch 4's for 3 epochs. The network kept epoch 4's weights; the test result is theirs."
 */
export function earlyStopText(
  c: Pick<TrainConfig, 'earlyPatience' | 'earlyMonitor' | 'validationSplit'>,
  epochs: readonly EpochLog[],
  finished: boolean,
): string | null {
  if (c.earlyPatience === null) return null;
  const what = MONITOR_WORDS[c.earlyMonitor];
  const head = `Early stopping (patience ${c.earlyPatience}, on ${what})`;
  if (c.validationSplit === 0) return `${head} has nothing to watch: it needs a validation split. Every epoch runs.`;
  const stop = earlyStopOf(c, epochs);
  if (!stop) return null;
  if (!finished) return `${head}: the best ${what} so far is epoch ${stop.restored}'s.`;
  const kept = `The network kept epoch ${stop.restored}'s weights`;
  const better = c.earlyMonitor === 'val_loss' ? 'gone below' : 'risen above';
  if (stop.stoppedAfter === null)
    return `${head} did not stop the run. ${kept}, its best ${what}; the test result is theirs.`;
  const waited = stop.stoppedAfter - stop.restored;
  return `${head} stopped the run after epoch ${stop.stoppedAfter}: ${what} had not ${better} epoch ${stop.restored}'s for ${waited} epoch${waited === 1 ? '' : 's'}. ${kept}; the test result is theirs.`;
}
