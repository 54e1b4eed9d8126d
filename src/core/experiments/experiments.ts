/**
 * The article's experiments as data: what each asks, the configs of its runs and the test
 * accuracy the article reports for each (docs/article.md). Every run starts from the article's fixed
 * setup (DEFAULT_CONFIG: sigmoid, raw inputs, SGD 0.01, batch 128, 5 epochs, validation 0.1); the
 * equal-budget presets change only the widths, and experiment 9 (history.ts) each row's recipe.
 */
import { ARTICLE_BUDGET } from '../network/budget';
import { widthsForBudget } from '../network/params';
import {
  DEFAULT_CONFIG,
  type BackendChoice,
  type DatasetName,
  type HiddenLayer,
  type TrainConfig,
} from '../network/spec';
import { HISTORY } from './history';
import type { ExperimentId, ExperimentTag } from '../tags';
import { VARIANTS, type VariantId } from './variants';

export { EXPERIMENT_IDS, type ExperimentId, type ExperimentTag, type QueueKind } from '../tags';

/** How the results are charted: against depth, against width (log axis), or as a depth x width grid. */
export type ExperimentChart = 'none' | 'depth' | 'width' | 'grid';

/** What a config may change in the article's setup; its shape, epochs, batch, seed and data are its own fields. */
export type Recipe = Partial<
  Omit<TrainConfig, 'layers' | 'epochs' | 'batchSize' | 'seed' | 'dataset' | 'subset' | 'backend'>
>;

export interface ExperimentConfig {
  /** Stable key within the experiment, e.g. "d3" or "w512" or "w128d2". */
  readonly key: string;
  readonly depth: number;
  /** The first hidden layer's width (all of them, unless `widths` says otherwise). */
  readonly width: number;
  /** Each hidden layer's width where they differ (equal-budget configs), else absent. */
  readonly widths?: readonly number[];
  readonly epochs: number;
  readonly batchSize: number;
  /**
   * The article's test accuracy for this config; null where it reports none. In an experiment whose
   * `reference` is 'published', the paper's (`source`) published test accuracy.
   */
  readonly article: number | null;
  /** Who published `article` (experiment 9), e.g. "LeCun et al. 1998". */
  readonly source?: string;
  /** The row's name where its shape alone does not say it (experiment 9). */
  readonly label?: string;
  /** The hidden layers in full (activation, dropout), where they are not the article's sigmoid ones. */
  readonly layers?: readonly HiddenLayer[];
  /** What the row changes in the article's setup (optimizer, loss, regularizers, ...). */
  readonly setup?: Recipe;
  /** What differs from the paper's recipe, in words (experiment 9). */
  readonly differs?: string;
  /** How many weight updates the paper trained for, where it says (experiment 9). */
  readonly paperUpdates?: number;
}

export interface Experiment {
  readonly id: ExperimentId;
  readonly number: number;
  readonly title: string;
  /** One sentence: what the experiment asks. */
  readonly question: string;
  /** What the article reports, in words (its numbers are in `configs`). */
  readonly articleSays: string;
  readonly chart: ExperimentChart;
  /** The depth chart's x axis, where it is not "hidden layers of 32". */
  readonly xLabel?: string;
  readonly configs: readonly ExperimentConfig[];
  /** What the configs' `article` numbers are: the article's (default) or the papers' published ones. */
  readonly reference?: 'article' | 'published';
  /** The setup every run shares, in words, where it is not the article's. */
  readonly setupText?: string;
  /** False where the variants (flips of the article's assumptions) do not apply. */
  readonly variants?: boolean;
}

const cfg = (
  depth: number,
  width: number,
  epochs: number,
  article: number | null,
  batchSize = 128,
  key?: string,
): ExperimentConfig => ({
  key: key ?? `w${width}d${depth}`,
  depth,
  width,
  epochs,
  batchSize,
  article,
});

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'first',
    number: 1,
    title: 'The first network',
    question: 'How well does one hidden layer of 32 sigmoid units read digits after 5 epochs?',
    articleSays: 'Consistently between 87 % and 90 % (one run shown: 0.87).',
    chart: 'none',
    configs: [cfg(1, 32, 5, 0.87)],
  },
  {
    id: 'depth',
    number: 2,
    title: 'Depth',
    question: 'What happens as hidden layers of 32 are stacked, one to four deep, at 5 epochs?',
    articleSays: 'Accuracy falls with every layer: 0.888, 0.767, 0.438, 0.114 (four layers is chance).',
    chart: 'depth',
    configs: [cfg(1, 32, 5, 0.888), cfg(2, 32, 5, 0.767), cfg(3, 32, 5, 0.438), cfg(4, 32, 5, 0.114)],
  },
  {
    id: 'depth40',
    number: 3,
    title: 'Three layers, longer',
    question: 'Does the three-layer network of 32 catch up if it trains for 40 epochs instead of 5?',
    articleSays: 'Yes: 0.886 after 40 epochs.',
    chart: 'none',
    configs: [cfg(3, 32, 40, 0.886)],
  },
  {
    id: 'width',
    number: 4,
    title: 'Width',
    question: 'What does one hidden layer gain as it widens from 32 to 2048 units, at 5 epochs?',
    articleSays: 'Accuracy rises with width: 0.886, 0.904, 0.916, 0.926, 0.934, 0.950 (a hint of overfitting at 2048).',
    chart: 'width',
    configs: [32, 64, 128, 256, 512, 2048].map((w, i) =>
      cfg(1, w, 5, [0.886, 0.904, 0.916, 0.926, 0.934, 0.95][i] ?? null),
    ),
  },
  {
    id: 'grid',
    number: 5,
    title: 'Width × depth',
    question: 'Across 1 to 5 layers of 32, 128 and 512 units, with 10 epochs per layer, which shape wins?',
    articleSays:
      'One layer of 512 is best at 0.947; deeper is generally 1-2 points worse; four and five layers of 32 look bad.',
    chart: 'grid',
    configs: [32, 128, 512].flatMap((w) =>
      [1, 2, 3, 4, 5].map((d) => cfg(d, w, 10 * d, w === 512 && d === 1 ? 0.947 : null)),
    ),
  },
  {
    id: 'batch16',
    number: 6,
    title: 'Small batches, long training',
    question: 'Can five layers of 32 learn with batch size 16 and 50 epochs?',
    articleSays: '0.827, after about 30 minutes on the author\u2019s laptop.',
    chart: 'none',
    configs: [cfg(5, 32, 50, 0.827, 16)],
  },
];

/** `depth` hidden layers whose parameters total `budget` ± 1 % (widths within one unit). */
const budgetCfg = (depth: number, budget: number): ExperimentConfig => {
  const widths = widthsForBudget(depth, budget);
  const width = widths[0] as number;
  const equal = widths.every((w) => w === width);
  return {
    key: `b${budget}d${depth}`,
    depth,
    width,
    ...(equal ? {} : { widths }),
    epochs: 5,
    batchSize: 128,
    article: null,
  };
};

/** The equal-budget presets (issue 12): the depth experiment with the parameter count held. */
const BUDGET_EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'budget',
    number: 7,
    title: 'Depth at equal budget',
    question:
      'With the parameter count held at 25,450 (the first network’s), does depth still hurt? 1 to 5 hidden layers, widths solved for the budget, 5 epochs.',
    articleSays: 'Nothing: its deeper networks also had more parameters. This separates the two.',
    chart: 'depth',
    xLabel: 'hidden layers (25,450 parameters)',
    configs: [1, 2, 3, 4, 5].map((d) => budgetCfg(d, ARTICLE_BUDGET)),
  },
  {
    id: 'budget100k',
    number: 8,
    title: 'Depth at about 100,000 parameters',
    question: 'The same at about 100,000 parameters (one layer of 126): does a bigger budget change the answer?',
    articleSays: 'Nothing: its deeper networks also had more parameters.',
    chart: 'depth',
    xLabel: 'hidden layers (about 100,000 parameters)',
    configs: [1, 2, 3, 4, 5].map((d) => budgetCfg(d, 100_000)),
  },
];

export const ALL_EXPERIMENTS: readonly Experiment[] = [...EXPERIMENTS, ...BUDGET_EXPERIMENTS, HISTORY];

export function experimentById(id: ExperimentId): Experiment {
  const e = ALL_EXPERIMENTS.find((x) => x.id === id);
  if (!e) throw new Error(`unknown experiment ${id}`);
  return e;
}

/** Quick mode trains on this many of the 60,000 training images. */
export const QUICK_SUBSET = 6000;

export interface ExperimentOptions {
  /** Runs per config, each with its own seed (1, 2, 3, ...). */
  readonly repeats: number;
  /** Train on QUICK_SUBSET images only: the shape of the result, not the article's numbers. */
  readonly quick: boolean;
  readonly dataset: DatasetName;
  /** The backend the person chose (auto unless named): where it trains does not change the setup. */
  readonly backend?: BackendChoice;
  /** Variants queued beside the article's setup, each with the same configs and seeds. */
  readonly variants?: readonly VariantId[];
}

/** The full config of one experiment run: the article's setup with the config's shape and setup. */
export function experimentRunConfig(
  c: ExperimentConfig,
  repeat: number,
  options: Pick<ExperimentOptions, 'quick' | 'dataset' | 'backend'>,
): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    ...c.setup,
    layers:
      c.layers ??
      Array.from({ length: c.depth }, (_, i) => ({
        units: c.widths?.[i] ?? c.width,
        activation: 'sigmoid' as const,
      })),
    epochs: c.epochs,
    batchSize: c.batchSize,
    seed: repeat,
    dataset: options.dataset,
    subset: options.quick ? QUICK_SUBSET : null,
    backend: options.backend ?? DEFAULT_CONFIG.backend,
  };
}

/**
 * Every run of an experiment, config by config: the article's setup's repeats, then each
 * variant's with the same seeds (so a config's comparison is complete as soon as its runs are).
 */
export function experimentPlan(
  e: Experiment,
  options: ExperimentOptions,
): { config: TrainConfig; tag: ExperimentTag }[] {
  const repeats = Number.isFinite(options.repeats) ? Math.max(1, Math.min(10, Math.floor(options.repeats))) : 1;
  const setups: (VariantId | null)[] = [null, ...new Set(e.variants === false ? [] : (options.variants ?? []))];
  return e.configs.flatMap((c) =>
    setups.flatMap((variant) =>
      Array.from({ length: repeats }, (_, r) => {
        const base = experimentRunConfig(c, r + 1, options);
        const tag: ExperimentTag = { experiment: e.id, key: c.key, repeat: r + 1, quick: options.quick };
        return variant === null
          ? { config: base, tag }
          : { config: VARIANTS[variant].apply(base), tag: { ...tag, variant } };
      }),
    ),
  );
}

/** "2×32", "512": the hidden layers of a config in a few characters. */
export function configLabel(c: ExperimentConfig): string {
  if (c.label) return c.label;
  if (c.widths) return c.widths.join('-');
  return c.depth === 1 ? `${c.width}` : `${c.depth}×${c.width}`;
}
