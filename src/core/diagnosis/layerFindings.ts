/**
 * The diagnosis's rules on what the layers do, read from the newest layer-health sample: the
 * gradient vanishing on its way back, raw pixels swamping a ReLU or linear first layer, dead ReLU
 * units and saturated sigmoid or tanh units. Each returns its finding, or null.
 */
import { ACTIVATION_INFO, limitsText, saturates, unboundedAbove } from '../network/activations';
import { DEFAULT_LR } from '../network/spec';
import { fix, rawReachesLayers, type Fix } from './fixes';
import { layerNorm } from '../network/batchNorm';
import { fromHealth, layerName, metricText, percent, say, type Quantity } from './numbers';
import { finding, lrPair, scaledPair, stillLearns, type Context, type Finding, type Level } from './finding';
import {
  DEAD_NOTE_SHARE,
  DEAD_SHARE,
  RAW_CLIPPED,
  RAW_FIRST_LOSS,
  RAW_MEAN_OUTPUT,
  SATURATED_SHARE,
  VANISHED_GRADIENT,
  VANISHED_UPDATE,
} from './thresholds';

export function vanishingFinding(ctx: Context): Finding | null {
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
  if (c.layers.some((l) => saturates(l.activation))) fixes.push(fix('relu'));
  if (c.optimizer === 'sgd') fixes.push(fix('adam'));
  if (c.layers.some((l) => saturates(l.activation) && !layerNorm(l))) fixes.push(fix('bn'));
  const sigmoid = c.layers.some((l) => l.activation === 'sigmoid');
  return finding(
    'vanishing',
    ctx.atChance ? 'fails' : 'holds-back',
    say`The gradient fades on its way back: ${layerName(worst, hidden)} gets ${fromHealth.gradRatio(s, worst, hidden, hidden)} of the output layer's, and one step moves its weights by ${fromHealth.step(s, worst, hidden)} (the output layer's by ${fromHealth.step(s, hidden, hidden)}). The early layers barely learn${sigmoid ? ': each sigmoid passes back at most a quarter of the signal' : ''}.`,
    fixes,
  );
}

export function rawInputsFinding(ctx: Context): Finding | null {
  const c = ctx.input.config;
  const first = c.layers[0];
  const s = ctx.latest;
  if (!rawReachesLayers(c) || !first || !unboundedAbove(first.activation) || !s) return null;
  const start = ctx.input.samples[0];
  const bigOutput = (s.layers[0]?.actMean ?? 0) > RAW_MEAN_OUTPUT;
  // Cross-entropy's threshold (the squared error never exceeds 0.2).
  const mse = c.loss === 'mse';
  const bigLoss = !mse && start !== undefined && start.loss > RAW_FIRST_LOSS;
  if (!bigOutput && !bigLoss) return null;
  const swamped = s.clipped >= RAW_CLIPPED;
  const startQ: Quantity | null = start
    ? { text: metricText(start.loss), source: `Loss chart: the first sample (to epoch ${start.x.toFixed(2)})` }
    : null;
  const parts = say`Layer 1's ${ACTIVATION_INFO[first.activation].name} units take the raw pixel values 0..255 unscaled: their mean output is ${fromHealth.mean(s, 0, ctx.hidden)}`;
  if (startQ)
    parts.push(
      ...say`, and the loss started at ${startQ} (a network that guesses evenly starts at ${mse ? '0.09' : '2.30'})`,
    );
  if (swamped) {
    const noGradient = mse
      ? 'where the saturated softmax passes back almost no gradient'
      : 'where the clipped loss gives no gradient';
    parts.push(
      ...say`. The outputs are still swamped: the network is confidently wrong on ${fromHealth.clipped(s)} of the batch, ${noGradient}. Inputs scaled to 0..1 keep the first layer in a range the layers after it, and the softmax, can use.`,
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

export function deadFinding(ctx: Context): Finding | null {
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
  if (rawReachesLayers(c)) fixes.push(fix('scaled', { pair: scaledPair(c) }));
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

export function saturatedFinding(ctx: Context): Finding | null {
  const s = ctx.latest;
  if (!s) return null;
  const hot = s.layers
    .slice(0, ctx.hidden)
    .flatMap((l, i) => (l.saturated !== null && l.saturated >= SATURATED_SHARE ? [{ i }] : []));
  const first = hot[0];
  if (!first) return null;
  const c = ctx.input.config;
  const a = c.layers[first.i]?.activation ?? 'sigmoid';
  const act = ACTIVATION_INFO[a].name;
  // The ends of its range (a sigmoid's, should the layer's activation not saturate).
  const limits = limitsText(saturates(a) ? a : 'sigmoid');
  const cause =
    first.i === 0 && rawReachesLayers(c)
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
