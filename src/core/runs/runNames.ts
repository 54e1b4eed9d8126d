/**
 * The names of networks and runs: an architecture in a few words, a config in one line, and names
 * that tell the runs of one chart apart.
 */
import type { HiddenLayer, TrainConfig } from '../network/spec';
import { describeDropout } from '../network/dropout';
import { describeBatchNorm } from '../network/batchNorm';
import { describeEarly } from './earlyStopping';
import { describeSchedule } from '../network/schedule';
import { describeLoss } from '../network/loss';
import { describeAugment } from '../dataset/augment';
import type { RunRecord } from './runs';

/**
 * The one name of a network everywhere (runs table, charts, experiments): "32 sigmoid", "2×32 sigmoid", "512-256 relu",
 * "32 relu, 16 tanh" when activations differ, "no hidden layer" for plain softmax regression.
 */
export function architectureLabel(layers: readonly HiddenLayer[]): string {
  if (layers.length === 0) return 'no hidden layer';
  const first = layers[0] as HiddenLayer;
  const sameActivation = layers.every((l) => l.activation === first.activation);
  if (!sameActivation) return layers.map((l) => `${l.units} ${l.activation}`).join(', ');
  const sameWidth = layers.every((l) => l.units === first.units);
  const widths =
    sameWidth && layers.length >= 2 ? `${layers.length}×${first.units}` : layers.map((l) => l.units).join('-');
  return `${widths} ${first.activation}`;
}

/** A config in one line: "4×32 sigmoid · raw inputs · sgd 0.01" (and " · L2 0.001" with weight decay, " · dropout 0.5"…). */
export function describeConfig(
  c: Pick<TrainConfig, 'layers' | 'preprocessing' | 'optimizer' | 'learningRate'> & Partial<TrainConfig>,
): string {
  const extra = [
    c.l2 ? `L2 ${c.l2}` : '',
    c.l1 ? `L1 ${c.l1}` : '',
    c.maxNorm ? `max-norm ${c.maxNorm}` : '',
    describeDropout({ layers: c.layers, inputDropout: c.inputDropout ?? 0 }),
    describeBatchNorm(c),
    describeEarly({ earlyPatience: c.earlyPatience ?? null, earlyMonitor: c.earlyMonitor ?? 'val_loss' }),
    describeSchedule({ schedule: c.schedule ?? 'const', warmup: c.warmup ?? 0, epochs: c.epochs ?? Infinity }),
    describeLoss(c),
    describeAugment(c),
  ]
    .filter((s) => s !== '')
    .map((s) => ` · ${s}`)
    .join('');
  return `${architectureLabel(c.layers)} · ${c.preprocessing} inputs · ${c.optimizer} ${c.learningRate}${extra}`;
}

/** Settings that can tell two runs of the same architecture apart, in the order a reader cares. */
const DISTINGUISHERS: readonly ((c: TrainConfig) => string)[] = [
  (c) => `${c.optimizer} ${c.learningRate}`,
  (c) => (c.preprocessing === 'raw' ? 'raw inputs' : 'scaled inputs'),
  (c) => `batch ${c.batchSize}`,
  (c) => `init ${c.init}`,
  (c) => (c.l2 ? `L2 ${c.l2}` : 'no L2'),
  (c) => (c.l1 ? `L1 ${c.l1}` : 'no L1'),
  (c) => (c.maxNorm ? `max-norm ${c.maxNorm}` : 'no max-norm'),
  (c) => describeDropout(c) || 'no dropout',
  (c) => describeBatchNorm(c) || 'no batch norm',
  (c) => describeEarly(c) || 'no early stopping',
  (c) => describeSchedule(c) || 'constant rate',
  (c) => describeLoss(c) || 'cross-entropy loss',
  (c) => describeAugment(c) || 'no augmentation',
  (c) => `${c.epochs} epochs`,
  (c) => (c.subset === null ? 'all images' : `${c.subset} images`),
  (c) => `val ${c.validationSplit}`,
  (c) => `seed ${c.seed}`,
  (c) => c.dataset,
];

/**
 * A legend name per run, by architecture; runs that share one get the settings in which they
 * differ, in DISTINGUISHERS order, until every name is unique ("32 sigmoid · seed 5"), and a
 * number if they differ in none.
 */
export function runNames(runs: readonly RunRecord[]): string[] {
  const base = runs.map((r) => architectureLabel(r.config.layers));
  const names = [...base];
  for (const arch of new Set(base)) {
    const twins = runs.map((r, i) => ({ r, i })).filter(({ i }) => base[i] === arch);
    if (twins.length === 1) continue;
    const parts = twins.map(() => [] as string[]);
    const label = (k: number) => [arch, ...(parts[k] as string[])].join(' · ');
    const unique = () => new Set(twins.map((_, k) => label(k))).size === twins.length;
    for (const d of DISTINGUISHERS) {
      if (unique()) break;
      if (new Set(twins.map(({ r }) => d(r.config))).size > 1)
        twins.forEach(({ r }, k) => (parts[k] as string[]).push(d(r.config)));
    }
    const seen = new Map<string, number>();
    twins.forEach(({ i }, k) => {
      const n = (seen.get(label(k)) ?? 0) + 1;
      seen.set(label(k), n);
      const dupes = twins.filter((_, j) => label(j) === label(k)).length;
      names[i] = dupes > 1 ? `${label(k)} · #${n}` : label(k);
    });
  }
  return names;
}
