/**
 * The changes the diagnosis suggests, each with the measurement that makes it worth trying, and
 * the config each one asks for. Every evidence sentence is a pair of runs of tests/truth/ (a run
 * and its counterfactual, recorded in this lab by scripts/record-truth.mjs), named in it; a
 * learner's own network is then measured by the Check button.
 */
import { saturates } from '../network/activations';
import { layerDropout, setDropout } from '../network/dropout';
import { layerNorm, setBatchNorm } from '../network/batchNorm';
import { learnsWellSetup } from '../network/presets';
import { DEFAULT_LR, LIMITS, type TrainConfig } from '../network/spec';
import EVIDENCE from './evidence.json' with { type: 'json' };

interface EvidenceConfig {
  readonly subset: number | null;
  readonly seed: number;
  readonly epochs: number;
}
interface EvidenceEntry {
  readonly config: EvidenceConfig;
  readonly testAcc: number;
  readonly counterfactual: { readonly change: string; readonly testAcc: number };
}

export type FixId =
  | 'relu'
  | 'adam'
  | 'scaled'
  | 'lower-lr'
  | 'raise-lr'
  | 'learns-well'
  | 'stop-early'
  | 'more-epochs'
  | 'dropout'
  | 'augment'
  | 'bn';

export interface Fix {
  readonly id: FixId;
  /** A button label: "Use ReLU". */
  readonly label: string;
  /** What the lab measured that makes this worth trying. */
  readonly evidence: string;
  /** For stop-early and more-epochs: the epoch count to set. */
  readonly epochs?: number;
  /** For lower-lr and raise-lr: the learning rate to set (else a tenth or ten times the current one). */
  readonly learningRate?: number;
}

/** A recorded run: truth run `run` itself, or its counterfactual. */
type Side = { readonly run: string } | { readonly cf: string };

/**
 * Pairs of recorded runs, before and after one change (src/core/diagnosis/evidence.json, written
 * by scripts/record-truth.mjs from the recordings, never by hand), with how the sentence names
 * each side.
 */
const PAIRS = {
  'relu-4x32': {
    before: { run: 'article-4x32' },
    after: { cf: 'article-4x32' },
    beforeText: '4×32 sigmoid',
    afterText: 'with ReLU',
  },
  'adam-4x32': {
    before: { run: 'article-4x32' },
    after: { run: 'sigmoid-adam-4x32' },
    beforeText: '4×32 sigmoid with plain SGD',
    afterText: 'with Adam',
  },
  'scaled-32': {
    before: { run: 'relu-raw-32' },
    after: { cf: 'relu-raw-32' },
    beforeText: '32 ReLU on raw pixels',
    afterText: 'on inputs scaled to 0..1',
  },
  'scaled-4x32': {
    before: { run: 'relu-raw-4x32' },
    after: { cf: 'relu-raw-4x32' },
    beforeText: '4×32 ReLU on raw pixels',
    afterText: 'on inputs scaled to 0..1',
  },
  'sgd-1': {
    before: { run: 'dead-lr1' },
    after: { cf: 'dead-lr1' },
    beforeText: '2×64 ReLU, SGD at 1',
    afterText: 'at 0.1',
  },
  'sgd-10': {
    before: { run: 'stuck-lr10' },
    after: { cf: 'stuck-lr10' },
    beforeText: '32 sigmoid, SGD at 10',
    afterText: 'at 0.01',
  },
  'adam-0.1': {
    before: { run: 'lr-high-adam' },
    after: { cf: 'lr-high-adam' },
    beforeText: '128 ReLU, Adam at 0.1',
    afterText: 'at 0.001',
  },
  'sgd-0.0005': {
    before: { run: 'lr-low-sgd' },
    after: { cf: 'lr-low-sgd' },
    beforeText: '64 ReLU, SGD at 0.0005',
    afterText: 'at 0.01',
  },
  'learns-well-4x32': {
    before: { run: 'article-4x32' },
    after: { run: 'learns-well-4x32' },
    beforeText: '4×32 in the article’s setup',
    afterText: 'with ReLU, scaled inputs and Adam',
  },
  'stop-512': {
    before: { run: 'overfit-512' },
    after: { cf: 'overfit-512' },
    beforeText: '512 ReLU on 1,400 images, 40 epochs',
    afterText: 'stopped where its validation loss was lowest',
  },
  'dropout-512': {
    before: { run: 'overfit-512-dropout' },
    after: { cf: 'overfit-512-dropout' },
    beforeText: '512 ReLU on 1,400 images, 40 epochs',
    afterText: 'with dropout (0.2 on the input, 0.5 after the layer)',
  },
  'augment-512': {
    before: { run: 'overfit-512-affine' },
    after: { cf: 'overfit-512-affine' },
    beforeText: '512 ReLU on 1,400 images, 40 epochs',
    afterText: 'with its training images shifted, turned and scaled at random',
  },
  'bn-4x32': {
    before: { run: 'article-4x32-bn' },
    after: { cf: 'article-4x32-bn' },
    beforeText: '4×32 sigmoid',
    afterText: 'with batch normalization in every hidden layer',
  },
  'longer-3x32': {
    before: { run: 'article-3x32' },
    after: { cf: 'article-3x32' },
    beforeText: '3×32 sigmoid, 5 epochs',
    afterText: '40 epochs',
  },
  'longer-2x32': {
    before: { run: 'article-2x32' },
    after: { cf: 'article-2x32' },
    beforeText: '2×32 sigmoid, 5 epochs',
    afterText: '20 epochs',
  },
  'longer-4x32-adam': {
    before: { run: 'sigmoid-adam-4x32' },
    after: { cf: 'sigmoid-adam-4x32' },
    beforeText: '4×32 sigmoid with Adam, 5 epochs',
    afterText: '20 epochs',
  },
} as const satisfies Record<string, { before: Side; after: Side; beforeText: string; afterText: string }>;

export type PairName = keyof typeof PAIRS;

/** What each fix is called, and the pair of runs it quotes unless the finding names a closer one. */
const FIXES: Readonly<Record<FixId, { label: string; pair: PairName }>> = {
  relu: { label: 'Use ReLU', pair: 'relu-4x32' },
  adam: { label: 'Use Adam', pair: 'adam-4x32' },
  scaled: { label: 'Scale inputs to 0..1', pair: 'scaled-32' },
  'lower-lr': { label: 'Lower the learning rate', pair: 'sgd-1' },
  'raise-lr': { label: 'Use the usual learning rate', pair: 'sgd-0.0005' },
  'learns-well': { label: 'Use the setup that learns well', pair: 'learns-well-4x32' },
  'stop-early': { label: 'Train for fewer epochs', pair: 'stop-512' },
  'more-epochs': { label: 'Train longer', pair: 'longer-2x32' },
  dropout: { label: 'Add dropout (0.2 on the input, 0.5 after each layer)', pair: 'dropout-512' },
  augment: { label: 'Distort the training images (affine augmentation)', pair: 'augment-512' },
  bn: { label: 'Add batch normalization to every hidden layer', pair: 'bn-4x32' },
};

/**
 * Whether the input range reaches the network: not when its first layer normalizes its sums
 * (training then sees the same numbers whatever the scale, ε's share aside: measured on the CPU,
 * 128,128 sigmoid with batch normalization, 2 epochs on 1,000 images, training accuracy 0.634 and
 * 0.858 raw and scaled alike; while the moving statistics settle, validation 0.540 raw, 0.500
 * scaled), nor with no hidden layer to speak of.
 */
export const rawReachesLayers = (c: Pick<TrainConfig, 'layers' | 'preprocessing'>): boolean =>
  c.preprocessing === 'raw' && !(c.layers[0] && layerNorm(c.layers[0]));

/** Srivastava et al.'s dropout, the dropout fix's: 0.2 on the input, 0.5 after each hidden layer. */
export const FIX_DROPOUT = { input: 0.2, hidden: 0.5 } as const;

/** Whether a config drops at least as much as the dropout fix would (the fix would change nothing it lacks). */
export const hasFixDropout = (c: Pick<TrainConfig, 'layers'> & Partial<Pick<TrainConfig, 'inputDropout'>>): boolean =>
  (c.inputDropout ?? 0) >= FIX_DROPOUT.input && c.layers.every((l) => layerDropout(l) >= FIX_DROPOUT.hidden);

/** What the data of a recorded run was, in words: "all 60,000 images, seed 1". */
function dataText(c: EvidenceConfig): string {
  const images = c.subset === null ? 'all 60,000 images' : `${c.subset.toLocaleString('en-US')} images`;
  return `${images}, seed ${c.seed}`;
}

const entry = (name: string): EvidenceEntry | undefined =>
  (EVIDENCE as Record<string, EvidenceEntry | undefined>)[name];
const sideName = (s: Side) => ('run' in s ? s.run : s.cf);
const sideAcc = (s: Side): number | null =>
  'run' in s ? (entry(s.run)?.testAcc ?? null) : (entry(s.cf)?.counterfactual.testAcc ?? null);

/** The measurement behind a change, in one sentence, from a recorded pair. */
export function evidenceText(pair: PairName): string {
  const p: { before: Side; after: Side; beforeText: string; afterText: string } = PAIRS[pair];
  const before = sideAcc(p.before);
  const after = sideAcc(p.after);
  const data = entry(sideName(p.before));
  if (before === null || after === null || !data) return 'not measured in this lab yet';
  const runs = [...new Set([sideName(p.before), sideName(p.after)])].join(' and ');
  return `measured here: ${p.beforeText} ${before.toFixed(4)}, ${p.afterText} ${after.toFixed(4)} (test accuracy; ${dataText(data.config)}; truth run ${runs})`;
}

/**
 * A fix with its label and evidence; `pair` names a recorded pair closer to the finding's case,
 * `evidence` a measurement of the run itself.
 */
export const fix = (id: FixId, extra: Partial<Omit<Fix, 'id'>> & { pair?: PairName } = {}): Fix => {
  const { pair, ...rest } = extra;
  return { id, label: FIXES[id].label, evidence: evidenceText(pair ?? FIXES[id].pair), ...rest };
};

/** The config a fix asks for, applied to `config`. */
export function applyFix(config: TrainConfig, f: Pick<Fix, 'id' | 'epochs' | 'learningRate'>): TrainConfig {
  switch (f.id) {
    case 'relu':
      return {
        ...config,
        layers: config.layers.map((l) => (saturates(l.activation) ? { ...l, activation: 'relu' } : l)),
      };
    case 'adam':
      return { ...config, optimizer: 'adam', learningRate: DEFAULT_LR.adam };
    case 'scaled':
      return { ...config, preprocessing: 'scaled' };
    case 'lower-lr':
      return {
        ...config,
        learningRate: f.learningRate ?? Math.max(LIMITS.minLr, Number((config.learningRate / 10).toPrecision(2))),
      };
    case 'raise-lr':
      return {
        ...config,
        learningRate: f.learningRate ?? Math.min(LIMITS.maxLr, Number((config.learningRate * 10).toPrecision(2))),
      };
    case 'learns-well':
      return learnsWellSetup(config);
    case 'dropout':
      return { ...setDropout(config, FIX_DROPOUT.hidden), inputDropout: FIX_DROPOUT.input };
    case 'augment':
      return { ...config, augment: 'affine' };
    case 'bn':
      return setBatchNorm(config, true);
    case 'stop-early':
    case 'more-epochs':
      return f.epochs !== undefined && f.epochs >= 1
        ? { ...config, epochs: Math.min(LIMITS.maxEpochs, Math.round(f.epochs)) }
        : config;
  }
}
