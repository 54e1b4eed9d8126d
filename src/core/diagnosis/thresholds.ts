/**
 * The diagnosis's thresholds, named: where each rule (rules.ts) says a measurement is worth a
 * finding, with what was measured to choose it. tests/truth/ holds real runs on which each rule
 * must fire, or not.
 */
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
/**
 * Batch normalization's moving statistics are "still settling" while at least this share of their
 * starting values is left (0.99ⁿ after n batches: n ≤ 229) and training accuracy is at least
 * NORM_GAP above validation's. After SETTLED_BATCHES batches 4.9 % is left. (Measured: 64 ReLU
 * units with batch normalization on 1,800 images, batches of 128: validation far behind training
 * after 3 epochs, 42 batches; tests/truth/ case bn-settling.)
 */
export const NORM_STALE_SHARE = 0.1;
export const NORM_GAP = 0.1;
export const SETTLED_BATCHES = 300;
