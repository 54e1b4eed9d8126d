/**
 * Experiment 9, "The MLP on MNIST, 1998–2014": published fully connected results, each beside the
 * lab's closest recipe and what differs from the paper's. Its last config is the lab's best recipe
 * (docs/guide.md). Published test errors as LeCun's MNIST page and the papers give them.
 */
import type { HiddenLayer } from '../network/spec';
import type { Experiment, ExperimentConfig, Recipe } from './experiments';

const layersOf = (widths: readonly number[], activation: HiddenLayer['activation'], dropout = 0): HiddenLayer[] =>
  widths.map((units) => ({ units, activation, ...(dropout ? { dropout } : {}) }));

/** A published row: `error` is the paper's test error in percent. */
const row = (
  key: string,
  label: string,
  source: string,
  error: number | null,
  layers: HiddenLayer[],
  epochs: number,
  setup: Recipe,
  differs: string,
  paperUpdates?: number,
): ExperimentConfig => ({
  key,
  label,
  source,
  depth: layers.length,
  width: layers[0]?.units ?? 0,
  layers,
  setup,
  epochs,
  batchSize: 128,
  // 1.6 % error is 0.984 accuracy (rounded off float noise: 1 - 0.016 is 0.9840000000000001).
  article: error === null ? null : Math.round((100 - error) * 100) / 10_000,
  differs,
  ...(paperUpdates ? { paperUpdates } : {}),
});

/** Every row trains on all 60,000 images (as LeCun's and Srivastava's did; Simard's used 50,000), inputs scaled to 0..1, Adam. */
const MODERN: Recipe = { preprocessing: 'scaled', optimizer: 'adam', learningRate: 0.001, validationSplit: 0 };

const LECUN = 'LeCun et al. 1998';
const LECUN_RATES =
  'Adam’s per-weight rates stand in for the paper’s second-order per-weight rates; tanh (the paper names no activation for these nets)';
const LECUN_MSE = `${LECUN_RATES}; the squared error of a softmax against 0/1 targets (the paper does not give its targets); batches of 128, not one image at a time; 10 epochs.`;
const LECUN_DIFFERS = `${LECUN_RATES}; cross-entropy on a softmax (neither the paper nor the table names this net’s loss); batches of 128, not one image at a time; 10 epochs.`;
const SIMARD = 'Simard et al. 2003';
const SIMARD_DIFFERS =
  'Adam, not plain SGD; logistic, as Srivastava et al. list this net (the paper names no activation); all 60,000 images, not 50,000 with 10,000 held out; batches of 128; 10 epochs, not hundreds';
const SRIVASTAVA = 'Srivastava et al. 2014';
const SRIVASTAVA_DIFFERS =
  '3 epochs (1,407 updates) against a million updates in the paper; Adam, not SGD with momentum ending at 0.95.';
/** Srivastava et al. trained their MNIST networks for a million weight updates (their appendix B.1). */
const SRIVASTAVA_UPDATES = 1_000_000;
const DROPOUT: Recipe = { ...MODERN, inputDropout: 0.2 };

const ROWS: readonly ExperimentConfig[] = [
  row('lecun300', '300, squared error', LECUN, 4.7, layersOf([300], 'tanh'), 10, { ...MODERN, loss: 'mse' }, LECUN_MSE),
  row('lecun1000', '1000', LECUN, 4.5, layersOf([1000], 'tanh'), 10, MODERN, LECUN_DIFFERS),
  row('lecun300-100', '300-100', LECUN, 3.05, layersOf([300, 100], 'tanh'), 10, MODERN, LECUN_DIFFERS),
  row('lecun500-150', '500-150', LECUN, 2.95, layersOf([500, 150], 'tanh'), 10, MODERN, LECUN_DIFFERS),
  row('simard800', '800, cross-entropy', SIMARD, 1.6, layersOf([800], 'sigmoid'), 10, MODERN, `${SIMARD_DIFFERS}.`),
  row(
    'simard800-affine',
    '800, affine distortions',
    SIMARD,
    1.1,
    layersOf([800], 'sigmoid'),
    10,
    { ...MODERN, augment: 'affine' },
    `${SIMARD_DIFFERS}; the lab’s shifts, turns and scalings, drawn its own way.`,
  ),
  row(
    'simard800-elastic',
    '800, elastic distortions',
    SIMARD,
    0.7,
    layersOf([800], 'sigmoid'),
    10,
    { ...MODERN, augment: 'elastic' },
    `${SIMARD_DIFFERS}; the paper’s elastic field (α 34, σ 4) on 28×28 images, not 29×29.`,
  ),
  row(
    'hinton500-300',
    '500-300, weight decay',
    'Hinton, in LeCun’s table (2005)',
    1.53,
    layersOf([500, 300], 'sigmoid'),
    10,
    { ...MODERN, l2: 1e-5 },
    'Adam; L2 of 1e-5 (the table names weight decay, not its size); sigmoid (the table names no activation); batches of 128; 10 epochs.',
  ),
  row(
    'dropout-logistic',
    '3×1024 logistic, dropout',
    SRIVASTAVA,
    1.35,
    layersOf([1024, 1024, 1024], 'sigmoid', 0.5),
    3,
    DROPOUT,
    SRIVASTAVA_DIFFERS,
    SRIVASTAVA_UPDATES,
  ),
  row(
    'dropout-relu',
    '3×1024 ReLU, dropout',
    SRIVASTAVA,
    1.25,
    layersOf([1024, 1024, 1024], 'relu', 0.5),
    3,
    DROPOUT,
    SRIVASTAVA_DIFFERS,
    SRIVASTAVA_UPDATES,
  ),
  row(
    'dropout-maxnorm',
    '3×1024 ReLU, dropout, max-norm',
    SRIVASTAVA,
    1.06,
    layersOf([1024, 1024, 1024], 'relu', 0.5),
    3,
    { ...DROPOUT, maxNorm: 2 },
    SRIVASTAVA_DIFFERS,
    SRIVASTAVA_UPDATES,
  ),
  // The lab's best recipe, exactly docs/guide.md's link (tests/unit/core/experiments/history.test.ts).
  row(
    'best',
    '1024-1024 ReLU, the lab’s best recipe',
    'this lab',
    null,
    layersOf([1024, 1024], 'relu', 0.4),
    30,
    { ...MODERN, learningRate: 0.002, schedule: 'onecycle', inputDropout: 0.2 },
    'Dropout 0.2 on the input and 0.4 after each layer, a one-cycle rate peaking at 0.002, 30 epochs: the lab’s own recipe, with nothing published to set it against.',
  ),
];

export const HISTORY: Experiment = {
  id: 'history',
  number: 9,
  title: 'The MLP on MNIST, 1998–2014',
  question:
    'How close does the browser come to the published fully connected networks, from LeCun’s 1998 table to dropout in 2014, and to what it can reach itself?',
  articleSays: 'Nothing: it stops at plain sigmoid networks, and its best is 0.95 (one layer of 2048).',
  reference: 'published',
  setupText:
    'Every run: its row’s network and recipe, inputs scaled to 0..1, Adam at 0.001 unless the row says otherwise, no validation split,',
  variants: false,
  chart: 'none',
  configs: ROWS,
};
