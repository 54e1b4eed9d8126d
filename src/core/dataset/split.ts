/**
 * How Keras's `fit(validation_split=...)` divides the data and batches an epoch, as plain numbers.
 * Keras 2.2 (training_arrays): split_at = int(N * (1 - split)); the first split_at samples train,
 * the rest validate, before any shuffling. Batches of `batchSize`, the last one smaller.
 */
export interface SplitPlan {
  /** Samples used for training: indices [0, trainCount). */
  readonly trainCount: number;
  /** Held-out samples: indices [trainCount, total). */
  readonly valCount: number;
  readonly batchesPerEpoch: number;
  /** Size of the last batch of an epoch (equals batchSize when it divides evenly). */
  readonly lastBatchSize: number;
}

export function kerasSplit(total: number, validationSplit: number, batchSize: number): SplitPlan {
  if (!Number.isInteger(total) || total <= 0) throw new Error(`kerasSplit: bad sample count ${total}`);
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`kerasSplit: validation split must be in [0, 1), got ${validationSplit}`);
  }
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`kerasSplit: bad batch size ${batchSize}`);
  // Keras computes int(N * (1 - split)); rounding the product avoids 0.1 being 0.09999...
  const trainCount = Math.floor(Math.round(total * (1 - validationSplit) * 1e6) / 1e6);
  if (trainCount <= 0) throw new Error(`kerasSplit: no training samples left out of ${total}`);
  const batchesPerEpoch = Math.ceil(trainCount / batchSize);
  const lastBatchSize = trainCount - (batchesPerEpoch - 1) * batchSize;
  return { trainCount, valCount: total - trainCount, batchesPerEpoch, lastBatchSize };
}

/** [start, end) of batch `b` in an epoch's shuffled order. */
export function batchBounds(plan: SplitPlan, batchSize: number, b: number): [number, number] {
  const start = b * batchSize;
  return [start, Math.min(start + batchSize, plan.trainCount)];
}
