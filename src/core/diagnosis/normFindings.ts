/**
 * The diagnosis's rule on batch normalization's moving statistics. Validation, the test and a
 * drawing pass through them; Keras's momentum 0.99 moves them 1 % of the way to each batch's
 * statistics, so after n batches 0.99ⁿ of their starting values (mean 0, variance 1) is left.
 * Early in a run of few batches validation then falls far behind training, which normalizes each
 * batch by its own statistics, though the network has learnt: said so, rather than "at chance".
 */
import { BN_MOMENTUM, hasBatchNorm } from '../network/batchNorm';
import { kerasSplit } from '../dataset/split';
import { LIMITS } from '../network/spec';
import { fix } from './fixes';
import { finding, type Context, type Finding } from './finding';
import { fromEpochs, say, type Quantity } from './numbers';
import { NORM_GAP, NORM_STALE_SHARE, SETTLED_BATCHES } from './thresholds';

/** A share to one decimal: "4.9 %" (percent() would round it to "5 %", next to "less than 5 %"). */
const share = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Batches per epoch of the run (Keras's split of its images), or null where the config gives none. */
function batchesPerEpoch(c: Context['input']['config']): number | null {
  try {
    return kerasSplit(c.subset ?? LIMITS.maxSubset, c.validationSplit ?? 0.1, c.batchSize ?? 128).batchesPerEpoch;
  } catch {
    return null;
  }
}

export function movingStatsFinding(ctx: Context): Finding | null {
  const c = ctx.input.config;
  const last = ctx.last;
  if (!hasBatchNorm(c) || !last || last.valAcc === null) return null;
  const batches = batchesPerEpoch(c);
  if (batches === null) return null;
  const steps = last.epoch * batches;
  const left = BN_MOMENTUM ** steps;
  if (left < NORM_STALE_SHARE || last.acc - last.valAcc < NORM_GAP) return null;
  const stepsQ: Quantity = {
    text: steps.toLocaleString('en-US'),
    source: `${last.epoch} epoch${last.epoch === 1 ? '' : 's'} × ${batches} batches per epoch`,
  };
  const leftQ: Quantity = { text: share(left), source: `0.99 to the power ${steps}` };
  const epochs = Math.min(LIMITS.maxEpochs, Math.ceil(SETTLED_BATCHES / batches));
  const after = BN_MOMENTUM ** (epochs * batches);
  const fixes =
    epochs > c.epochs
      ? [
          fix('more-epochs', {
            label: `Train for ${epochs} epochs`,
            epochs,
            evidence: `computed: after ${(epochs * batches).toLocaleString('en-US')} batches ${share(after)} of the starting values is left (0.99 to that power)`,
          }),
        ]
      : [];
  return finding(
    'moving-stats',
    ctx.atChance ? 'fails' : 'holds-back',
    say`Training accuracy after epoch ${last.epoch} is ${fromEpochs.metric(last, 'acc')}, validation only ${fromEpochs.metric(last, 'valAcc')}. Validation, the test and your drawings go through batch normalization's moving statistics, and after ${stepsQ} batches they still hold ${leftQ} of their starting values (mean 0, variance 1): Keras's momentum 0.99 moves them 1 % of the way to each batch's. Training normalizes each batch by its own statistics, so it does not suffer from this. After ${SETTLED_BATCHES} batches less than 5 % is left: more epochs, smaller batches or more images get there.`,
    fixes,
  );
}
