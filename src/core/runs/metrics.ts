/** What a trained model got right and wrong on the test set, as plain numbers. */
import { NUM_CLASSES } from '../network/spec';

/** Per test image: its label, the predicted class and the probability given to that class. */
export interface TestPredictions {
  readonly labels: Uint8Array;
  readonly preds: Uint8Array;
  readonly probs: Float32Array;
}

/** counts[true][predicted], 10 x 10. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  preds: ArrayLike<number>,
  classes = NUM_CLASSES,
): number[][] {
  if (labels.length !== preds.length)
    throw new Error(`confusionMatrix: ${labels.length} labels, ${preds.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = m[labels[i] as number];
    const p = preds[i] as number;
    if (row && p >= 0 && p < classes) row[p] = (row[p] as number) + 1;
  }
  return m;
}

export interface Mistake {
  /** Index into the test set. */
  readonly index: number;
  readonly label: number;
  readonly pred: number;
  readonly prob: number;
}

/**
 * The misclassified test images, most confident mistakes first; `cell` keeps only those of one
 * true label and one predicted class.
 */
export function mistakes(t: TestPredictions, cell?: { readonly label: number; readonly pred: number }): Mistake[] {
  const out: Mistake[] = [];
  for (let i = 0; i < t.labels.length; i++) {
    const label = t.labels[i] as number;
    const pred = t.preds[i] as number;
    if (label === pred) continue;
    if (cell && (cell.label !== label || cell.pred !== pred)) continue;
    out.push({ index: i, label, pred, prob: t.probs[i] as number });
  }
  return out.sort((a, b) => b.prob - a.prob || a.index - b.index);
}

/** Index of the largest value (the first, on ties); -1 for an empty array. */
export function argMax(xs: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (best < 0 || (xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}
