/**
 * What a run with nothing failing or holding it back was checked on, in words, with the numbers
 * (so "nothing wrong" never contradicts a number on the page): the smallest step of any layer, the
 * largest dead or saturated share, how the loss went, and the last epoch's gain. It states the
 * numbers, not the rules' thresholds (which combine several of them).
 */
import type { HealthSample } from './health';
import type { EpochLog } from '../runs/runs';
import type { HiddenLayer } from '../network/spec';
import { fromEpochs, fromHealth, layerName, metricText, say, type Part } from './numbers';

export function checkedParts(
  layers: readonly HiddenLayer[],
  latest: HealthSample | undefined,
  epochs: readonly EpochLog[],
  firstLoss: number | null,
): Part[] {
  const items: Part[][] = [];
  const hidden = layers.length;
  if (latest) {
    const steps = latest.layers.map((l, i) => ({ i, v: l.updateRatio }));
    const slowest = steps.reduce((m, x) => (x.v < m.v ? x : m), steps[0] ?? { i: 0, v: 0 });
    items.push(
      say`the slowest layer (${layerName(slowest.i, hidden)}) moves its weights by ${fromHealth.step(latest, slowest.i, hidden)} a step`,
    );
    for (const kind of ['dead', 'saturated'] as const) {
      const shares = latest.layers
        .slice(0, hidden)
        .flatMap((l, i) => (l[kind] !== null ? [{ i, v: l[kind] as number }] : []));
      const most = shares.reduce<{ i: number; v: number } | null>((m, x) => (m === null || x.v > m.v ? x : m), null);
      if (most)
        items.push(
          say`${kind} units at most ${fromHealth.share(latest, most.i, hidden, kind)} (${layerName(most.i, hidden)})`,
        );
    }
  }
  const last = epochs.at(-1);
  if (last && firstLoss !== null) {
    const fell = last.loss < firstLoss;
    items.push(
      say`the loss ${fell ? 'fell' : 'went'} from ${{ text: metricText(firstLoss), source: 'Loss chart: the first sample' }} to ${fromEpochs.metric(last, 'loss')} (epoch ${last.epoch})`,
    );
  }
  const prev = epochs.at(-2);
  if (last && prev && last.valAcc !== null && prev.valAcc !== null) {
    const gain = last.valAcc - prev.valAcc;
    items.push(
      say`val_acc ${gain >= 0 ? 'rose' : 'fell'} ${{ text: `${Math.abs(gain * 100).toFixed(1)} points`, source: `Epochs table: val_acc of epoch ${last.epoch} less epoch ${prev.epoch}'s` }} in the last epoch`,
    );
  }
  const out: Part[] = [];
  items.forEach((item, k) => out.push(...(k === 0 ? [] : ['; ']), ...item));
  return out;
}
