/**
 * The diagnosis's rules on how the loss goes: at chance, stuck high with the batch confidently
 * wrong, a learning rate too high (the loss overflows, stays flat, rises or swings) or too low (it
 * creeps down). Each returns its finding, or null.
 */
import { DEFAULT_LR } from '../network/spec';
import { unboundedAbove } from '../network/activations';
import type { EpochLog } from '../runs/runs';
import type { TrainSample } from './health';
import { fix, rawReachesLayers, type Fix } from './fixes';
import { fromEpochs, fromHealth, layerName, metricText, say, type Quantity } from './numbers';
import {
  alreadyLearnsWell,
  chartLoss,
  finding,
  judgedKey,
  lrPair,
  scaledPair,
  type Context,
  type Finding,
  type Level,
} from './finding';
import {
  HIGH_LR_FLAT,
  HIGH_LR_RISE,
  HIGH_LR_SWING,
  LOW_LR_FACTOR,
  LOW_LR_STEP,
  RECENT_SAMPLES,
  STUCK_CLIPPED,
  STUCK_LOSS,
} from './thresholds';

export function chanceFinding(ctx: Context): Finding | null {
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

export function stuckFinding(ctx: Context): Finding | null {
  // The loss at the newest sample's moment, beside that sample's confidently wrong share.
  const loss = chartLoss(ctx.input.samples);
  const s = ctx.latest;
  const c = ctx.input.config;
  // Cross-entropy's rule, in its numbers: the squared error never exceeds 0.2.
  if (c.loss === 'mse') return null;
  if (!loss || !s || !(loss.value >= STUCK_LOSS) || s.clipped < STUCK_CLIPPED) return null;
  const fixes: Fix[] = [];
  const usual = DEFAULT_LR[c.optimizer];
  if (c.learningRate > usual)
    fixes.push(fix('lower-lr', { label: `Use learning rate ${usual}`, learningRate: usual, pair: lrPair(c) }));
  if (rawReachesLayers(c) && c.layers.some((l) => unboundedAbove(l.activation)))
    fixes.push(fix('scaled', { pair: scaledPair(c) }));
  return finding(
    'stuck',
    ctx.atChance ? 'fails' : 'holds-back',
    say`The loss stays high, at ${loss.q} (a network that guesses evenly has 2.30; the clip's ceiling is 16.12): the network is confidently wrong on ${fromHealth.clipped(s)} of the batch, giving the true class a probability below 10⁻⁷, and the clipped cross-entropy gives those images no gradient.`,
    fixes,
  );
}

export function lrHighFinding(ctx: Context): Finding | null {
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

export function lrLowFinding(ctx: Context): Finding | null {
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
