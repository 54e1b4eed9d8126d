// The diagnosis (src/core/diagnosis/) on made-up measurements in the shapes of core/diagnosis/health.ts and
// core/runs/runs.ts: every rule at its threshold and just on the other side of it, the levels and
// their order, the newest health sample as the only one the rules read, every quoted number as
// the cell its table shows, the fixes each finding offers, and the number formats.
// tests/unit/core/diagnosis/truth.test.ts runs the same rules on recorded real runs.
import { describe, expect, test } from 'vitest';
import {
  applyFix,
  CHANCE_ACC,
  checkedParts,
  DEAD_NOTE_SHARE,
  DEAD_SHARE,
  diagnose,
  epochCells,
  evidenceText,
  fix,
  gradText,
  healthCells,
  HIGH_LR_FLAT,
  HIGH_LR_RISE,
  HIGH_LR_SWING,
  layerName,
  learnsWell,
  LOW_LR_FACTOR,
  LOW_LR_STEP,
  meanText,
  metricText,
  OVERFIT_DROP,
  OVERFIT_EPOCHS,
  OVERFIT_LOSS_RISE,
  percent,
  plainText,
  RAW_CLIPPED,
  RAW_FIRST_LOSS,
  RAW_MEAN_OUTPUT,
  ratioText,
  RECENT_SAMPLES,
  SATURATED_SHARE,
  say,
  STILL_GAIN,
  STILL_GAIN_NOTE,
  STILL_LOSS_DROP,
  stepText,
  STUCK_CLIPPED,
  STUCK_LOSS,
  swingAroundTrend,
  VANISHED_GRADIENT,
  VANISHED_UPDATE,
  withUsefulFixes,
  type DiagnosisInput,
  type Finding,
  type FindingId,
  type FixId,
  type PairName,
  type Part,
  type Quantity,
} from '../../../../src/core/diagnosis';
import {
  smoothSamples,
  type HealthSample,
  type LayerHealth,
  type TrainSample,
} from '../../../../src/core/diagnosis/health';
import type { EpochLog } from '../../../../src/core/runs/runs';
import {
  DEFAULT_CONFIG,
  DEFAULT_LR,
  LIMITS,
  type Activation,
  type HiddenLayer,
  type TrainConfig,
} from '../../../../src/core/network/spec';

// ---- Made-up measurements, in the shapes core/diagnosis/health.ts and core/runs/runs.ts define ----

/** One layer's health; shares default to null (a linear layer or the output layer). */
const layer = (
  gradRms: number,
  updateRatio: number,
  shares: { saturated?: number; dead?: number } = {},
  actMean = 0.5,
): LayerHealth => ({
  gradRms,
  updateRatio,
  actMean,
  saturated: shares.saturated ?? null,
  dead: shares.dead ?? null,
});

const sample = (x: number, layers: readonly LayerHealth[], clipped = 0): HealthSample => ({ x, layers, clipped });

const epoch = (n: number, loss: number, acc: number, valLoss: number | null, valAcc: number | null): EpochLog => ({
  epoch: n,
  loss,
  acc,
  valLoss,
  valAcc,
  seconds: 3,
});

/** Loss-chart samples, 0.4 epochs apart. */
const lossSamples = (losses: readonly number[]): TrainSample[] =>
  losses.map((loss, i) => ({ x: Number(((i + 1) * 0.4).toFixed(2)), loss, acc: 0.5 }));

const hidden = (units: number, ...acts: Activation[]): HiddenLayer[] =>
  acts.map((activation) => ({ units, activation }));

/** What the rules read, with the full config (so a fix can be applied to it). */
interface Run extends DiagnosisInput {
  readonly config: TrainConfig;
}

// A quiet run: 2×64 ReLU, scaled inputs, Adam at its usual rate, five finished epochs that have
// about settled (the last added 0.1 points), a loss that fell from 2.2 and now holds near 0.1.
const QUIET_CONFIG: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: hidden(64, 'relu', 'relu'),
  preprocessing: 'scaled',
  optimizer: 'adam',
  learningRate: DEFAULT_LR.adam,
};
const OUT = layer(1.2e-2, 5e-3, {}, 0.95);
const QUIET_LAYERS = [layer(3e-3, 1e-2, { dead: 0.02 }, 0.8), layer(4e-3, 8e-3, { dead: 0.05 }, 0.6), OUT];
const QUIET_EPOCHS = [
  epoch(1, 0.35, 0.9, 0.25, 0.93),
  epoch(2, 0.18, 0.95, 0.17, 0.95),
  epoch(3, 0.11, 0.97, 0.14, 0.96),
  epoch(4, 0.1, 0.975, 0.13, 0.962),
  epoch(5, 0.095, 0.98, 0.128, 0.963),
];
const QUIET_SAMPLES = lossSamples([2.2, 1.0, 0.6, 0.4, 0.3, 0.2, 0.12, 0.1, 0.09, 0.11, 0.1, 0.095]);
const QUIET: Run = {
  config: QUIET_CONFIG,
  health: [sample(2.5, QUIET_LAYERS), sample(4.98, QUIET_LAYERS)],
  epochs: QUIET_EPOCHS,
  samples: QUIET_SAMPLES,
  finished: true,
};

/** The quiet run with some of it replaced. */
const run = (
  over: {
    config?: Partial<TrainConfig>;
    health?: readonly HealthSample[];
    epochs?: readonly EpochLog[];
    samples?: readonly TrainSample[];
    finished?: boolean;
  } = {},
): Run => ({ ...QUIET, ...over, config: { ...QUIET.config, ...over.config } });

/** An older quiet sample, then the newest one (the one the Layer health table shows). */
const newest = (layers: readonly LayerHealth[], clipped = 0): HealthSample[] => [
  sample(2.5, QUIET_LAYERS),
  sample(4.98, layers, clipped),
];

/** Two epochs at chance, the loss still creeping down. */
const CHANCE_EPOCHS = [epoch(1, 2.31, 0.1, 2.31, 0.1), epoch(2, 2.3, 0.11, 2.3, 0.11)];

const SIGMOID: Partial<TrainConfig> = {
  layers: hidden(32, 'sigmoid', 'sigmoid'),
  preprocessing: 'scaled',
  optimizer: 'sgd',
  learningRate: DEFAULT_LR.sgd,
};
const sigmoidLayers = (s1: number, s2: number): LayerHealth[] => [
  layer(3e-3, 1e-2, { saturated: s1 }),
  layer(4e-3, 8e-3, { saturated: s2 }),
  OUT,
];

const summary = (i: DiagnosisInput): string[] => diagnose(i).map((f) => `${f.id} (${f.level})`);
const ids = (i: DiagnosisInput): FindingId[] => diagnose(i).map((f) => f.id);
const find = (i: DiagnosisInput, id: FindingId): Finding | undefined => diagnose(i).find((f) => f.id === id);
const fixIds = (i: DiagnosisInput, id: FindingId): FixId[] | undefined => find(i, id)?.fixes.map((f) => f.id);
const quantities = (parts: readonly Part[]): Quantity[] => parts.filter((p): p is Quantity => typeof p !== 'string');

/** `value`, as floating point computes it, is the threshold itself: not below it, and not above by more than rounding. */
function expectAt(value: number, threshold: number): void {
  expect(value).toBeGreaterThanOrEqual(threshold);
  expect(value - threshold).toBeLessThan(1e-12);
}

// ---- Scenarios, one per rule (the threshold tests below vary them) ----

/**
 * Stuck: three epochs ending at training loss `loss`, loss samples that hold at `loss` (so the
 * loss chart's smoothed curve ends there too), the newest health sample with `clipped` of the
 * batch confidently wrong.
 */
const stuckRun = (loss: number, clipped: number, config: Partial<TrainConfig> = {}, valAcc = 0.6): Run =>
  run({
    config,
    epochs: [
      epoch(1, loss + 2, valAcc, loss + 2, valAcc),
      epoch(2, loss + 1, valAcc, loss + 1, valAcc),
      epoch(3, loss, valAcc, loss, valAcc),
    ],
    samples: lossSamples(Array.from({ length: 2 * RECENT_SAMPLES }, () => loss)),
    health: newest(QUIET_LAYERS, clipped),
  });
/** The stuck run with a first loss sample of 2.2, as a network that guesses evenly starts (raw inputs did not swamp it). */
const stuckFromGuess = (loss: number, clipped: number, config: Partial<TrainConfig> = {}): Run => {
  const i = stuckRun(loss, clipped, config);
  return { ...i, samples: lossSamples([2.2, ...i.samples.map((x) => x.loss)]) };
};
/** Where the loss chart's smoothed curve ends. */
const chartEnd = (samples: readonly TrainSample[]): number => smoothSamples(samples).at(-1)?.loss ?? NaN;

/** Learning rate too high, flat: the training loss goes from 1 to `last` in two epochs, accuracy flat. */
const flatRun = (last: number, config: Partial<TrainConfig> = { learningRate: 0.002 }, valAcc = 0.6): Run =>
  run({ config, epochs: [epoch(1, 1, valAcc, 1, valAcc), epoch(2, last, valAcc, last, valAcc)] });

/** Learning rate too high, rising: the training loss goes 1, 0.5, then `last`. */
const riseRun = (last: number, config: Partial<TrainConfig> = { learningRate: 0.002 }): Run =>
  run({ config, epochs: [epoch(1, 1, 0.6, 1, 0.6), epoch(2, 0.5, 0.6, 0.5, 0.6), epoch(3, last, 0.6, last, 0.6)] });

/**
 * Learning rate too high, swinging: the newest six loss samples alternate 2(1 − d), 2(1 + d): mean
 * 2, and around their least-squares line (slope 12d/35 a sample) residuals whose squares sum to
 * 4d² · 192/35, so over n − 2 = 4 a standard deviation of 2d·√(48/35), a swing of d·√(48/35).
 */
const swinging = (d: number): number[] =>
  Array.from({ length: 2 * RECENT_SAMPLES }, (_, k) => 2 * (k % 2 ? 1 + d : 1 - d));
const swingRun = (d: number, config: Partial<TrainConfig> = { learningRate: 0.002 }): Run =>
  run({ config, samples: lossSamples([...QUIET_SAMPLES.slice(0, 6).map((x) => x.loss), ...swinging(d)]) });

/** Vanishing: two sigmoid layers, the first as given, the second learning, the output layer's gradient RMS 1e-2. */
const VAN_OUT = layer(1e-2, 1e-3, {}, 0.9);
const vanRun = (
  first: LayerHealth,
  config: Partial<TrainConfig> = SIGMOID,
  epochs: readonly EpochLog[] = QUIET_EPOCHS,
): Run => run({ config, epochs, health: newest([first, layer(4e-3, 1e-3), VAN_OUT]) });

/** Dead: the two ReLU layers' dead shares. */
const deadRun = (
  d1: number,
  d2: number,
  config: Partial<TrainConfig> = {},
  epochs: readonly EpochLog[] = QUIET_EPOCHS,
): Run =>
  run({
    config,
    epochs,
    health: newest([layer(3e-3, 1e-2, { dead: d1 }, 0.8), layer(4e-3, 8e-3, { dead: d2 }, 0.6), OUT]),
  });

/** Raw inputs: 2×64 ReLU on raw pixels, layer 1's mean output, the newest clipped share and the first loss sample as given. */
const rawRun = (
  o: {
    actMean?: number;
    clipped?: number;
    firstLoss?: number;
    config?: Partial<TrainConfig>;
    epochs?: readonly EpochLog[];
  } = {},
): Run =>
  run({
    config: { preprocessing: 'raw', ...o.config },
    epochs: o.epochs ?? QUIET_EPOCHS,
    health: newest(
      [layer(3e-3, 1e-2, { dead: 0.02 }, o.actMean ?? 0.8), layer(4e-3, 8e-3, { dead: 0.05 }, 0.6), OUT],
      o.clipped ?? 0,
    ),
    samples: [...lossSamples([o.firstLoss ?? 2.2]), ...QUIET_SAMPLES.slice(1)],
  });

/** Learning rate too low: plain SGD at `lr`, the output layer the fastest, moving `fastest` a step. */
const lowRun = (
  lr: number,
  fastest = 5e-4,
  o: { config?: Partial<TrainConfig>; epochs?: readonly EpochLog[]; finished?: boolean } = {},
): Run =>
  run({
    config: { optimizer: 'sgd', learningRate: lr, ...o.config },
    health: newest([layer(3e-3, 2e-4, { dead: 0.02 }), layer(4e-3, 3e-4, { dead: 0.05 }), layer(1.2e-2, fastest)]),
    ...(o.epochs ? { epochs: o.epochs } : {}),
    ...(o.finished !== undefined ? { finished: o.finished } : {}),
  });

/** Still learning: validation accuracy 0.9 → `valAcc` and training loss 0.247 → `loss` in the last epoch. */
const stillRun = (
  valAcc: number,
  loss: number,
  o: { config?: Partial<TrainConfig>; finished?: boolean; health?: readonly HealthSample[] } = {},
): Run =>
  run({
    ...o,
    epochs: [epoch(1, 0.4, 0.8, 0.35, 0.85), epoch(2, 0.247, 0.85, 0.3, 0.9), epoch(3, loss, 0.87, 0.29, valAcc)],
  });
// A training loss whose drop from 0.247 is, in floating point, exactly STILL_LOSS_DROP (both levels need it).
const DROP_1 = 0.24453;

/** Overfitting: one epoch per validation accuracy, with these validation and training losses (training accuracy 0.99). */
const overRun = (
  valAcc: readonly number[],
  valLoss: readonly number[],
  loss: readonly number[],
  config: Partial<TrainConfig> = {},
): Run => run({ config, epochs: valAcc.map((a, k) => epoch(k + 1, loss[k] as number, 0.99, valLoss[k] ?? null, a)) });
const OVER_LOSS = [0.5, 0.3, 0.2, 0.15, 0.1];

// The collapsing 4×32 sigmoid network on raw inputs with plain SGD, as this lab measured it.
const COLLAPSE: Run = run({
  config: {
    layers: hidden(32, 'sigmoid', 'sigmoid', 'sigmoid', 'sigmoid'),
    preprocessing: 'raw',
    optimizer: 'sgd',
    learningRate: DEFAULT_LR.sgd,
  },
  health: newest([
    layer(5.4e-4, 1.1e-4, { saturated: 0.97 }),
    layer(4.1e-4, 2.4e-5, { saturated: 0 }),
    layer(1.3e-3, 7.4e-5, { saturated: 0 }),
    layer(5.6e-3, 3.2e-4, { saturated: 0 }),
    layer(2.5e-2, 1.1e-3, {}, 0.12),
  ]),
  epochs: [1, 2, 3, 4, 5].map((n) => epoch(n, 2.3, 0.112, 2.3, 0.1135)),
  samples: lossSamples(Array.from({ length: 12 }, () => 2.3)),
});

describe('a run with nothing to say', () => {
  test('the quiet run gets no finding, and learns well', () => {
    expect(diagnose(QUIET)).toEqual([]);
    expect(learnsWell(diagnose(QUIET))).toBe(true);
  });

  test('a run that has measured nothing yet gets no finding', () => {
    expect(diagnose(run({ health: [], epochs: [], samples: [], finished: false }))).toEqual([]);
    expect(diagnose({ ...COLLAPSE, health: [], epochs: [], samples: [] })).toEqual([]);
  });
});

describe('chance', () => {
  test(`fires at validation accuracy CHANCE_ACC (${CHANCE_ACC}), as a failure`, () => {
    const i = run({ epochs: [epoch(1, 2.3, 0.3, 2.3, CHANCE_ACC)] });
    expect(summary(i)).toEqual(['chance (fails)']);
    expect(find(i, 'chance')?.text).toMatch(
      /^Validation accuracy after epoch 1 is 0\.2000: guessing among 10 classes gives 0\.10\./,
    );
  });

  test('does not fire just above it', () => {
    expect(summary(run({ epochs: [epoch(1, 2.3, 0.3, 2.3, CHANCE_ACC + 0.001)] }))).toEqual([]);
  });

  test('reads the training accuracy when there is no validation set', () => {
    const i = run({ epochs: [epoch(1, 2.3, CHANCE_ACC, null, null)] });
    expect(summary(i)).toEqual(['chance (fails)']);
    expect(find(i, 'chance')?.text).toMatch(/^Training accuracy after epoch 1 is 0\.2000/);
    expect(summary(run({ epochs: [epoch(1, 2.3, CHANCE_ACC + 0.001, null, null)] }))).toEqual([]);
  });

  test('only the last epoch counts', () => {
    expect(ids(run({ epochs: [epoch(1, 2.3, 0.1, 2.3, 0.1), epoch(2, 2.2, 0.9, 2.2, 0.9)] }))).not.toContain('chance');
    expect(ids(run({ epochs: [epoch(1, 0.3, 0.9, 0.3, 0.9), epoch(2, 2.2, 0.1, 2.2, 0.1)] }))).toContain('chance');
  });

  test('offers the setup that learns well, except to a run already in it (ReLU, scaled inputs, Adam)', () => {
    const offered = (config: Partial<TrainConfig>) => fixIds(run({ config, epochs: CHANCE_EPOCHS }), 'chance');
    expect(offered({})).toEqual([]);
    expect(offered({ optimizer: 'sgd', learningRate: DEFAULT_LR.sgd })).toEqual(['learns-well']);
    expect(offered({ preprocessing: 'raw' })).toEqual(['learns-well']);
    expect(offered({ layers: [...hidden(64, 'relu'), ...hidden(64, 'tanh')] })).toEqual(['learns-well']);
    expect(offered({ layers: hidden(64, 'sigmoid', 'sigmoid') })).toEqual(['learns-well']);
  });
});

describe('stuck', () => {
  test(`fires when the loss chart's smoothed curve ends at exactly STUCK_LOSS (${STUCK_LOSS}) with STUCK_CLIPPED (${STUCK_CLIPPED}) of the batch clipped`, () => {
    const i = stuckRun(STUCK_LOSS, STUCK_CLIPPED);
    expectAt(chartEnd(i.samples), STUCK_LOSS);
    expect(summary(i)).toEqual(['stuck (holds-back)']);
    expect(find(i, 'stuck')?.text).toMatch(/^The loss stays high, at 4\.0000 .*confidently wrong on 25 % of the batch/);
  });

  test('does not fire just below either threshold, or without a health sample or loss samples', () => {
    expect(chartEnd(stuckRun(STUCK_LOSS - 0.001, 0.9).samples)).toBeLessThan(STUCK_LOSS);
    expect(summary(stuckRun(STUCK_LOSS - 0.001, 0.9))).toEqual([]);
    expect(summary(stuckRun(14.6, STUCK_CLIPPED - 0.001))).toEqual([]);
    expect(summary({ ...stuckRun(14.6, 0.9), health: [] })).toEqual([]);
    expect(summary({ ...stuckRun(14.6, 0.9), samples: [] })).toEqual([]);
  });

  test("reads the loss chart's smoothed curve at its end, not the Epochs table", () => {
    // The last epoch's loss is 14.6, the chart ends at 2: nothing.
    expect(summary({ ...stuckRun(14.6, 0.9), samples: stuckRun(2, 0.9).samples })).toEqual([]);
    // The last epoch's loss is 2, the chart ends at 14.6: stuck, at the chart's number.
    const chart = { ...stuckRun(2, 0.9), samples: stuckRun(14.6, 0.9).samples };
    expect(summary(chart)).toEqual(['stuck (holds-back)']);
    expect(find(chart, 'stuck')?.text).toMatch(/^The loss stays high, at 14\.6000 /);
  });

  test('at chance it fails', () => {
    expect(summary(stuckRun(8, 0.5, {}, 0.1))).toEqual(['chance (fails)', 'stuck (fails)']);
  });

  test('the smoothed end (moving average, alpha 0.3) counts: not the newest sample alone, nor the mean of the newest few', () => {
    const early = (losses: number[]) =>
      run({ epochs: [], samples: lossSamples(losses), health: newest(QUIET_LAYERS, 0.5) });
    // 10, 10, 10, then 1: the newest sample is 1 and the newest three average 7; the curve ends at 0.3 · 1 + 0.7 · 10 = 7.3.
    expect(chartEnd(lossSamples([10, 10, 10, 1]))).toBeCloseTo(7.3, 12);
    expect(summary(early([10, 10, 10, 1]))).toEqual(['stuck (holds-back)']);
    expect(find(early([10, 10, 10, 1]), 'stuck')?.text).toContain('at 7.3000 ');
    // 1, 1, 1, then 10: the newest sample is 10 and the newest three average 4; the curve ends at 3.7.
    expect(chartEnd(lossSamples([1, 1, 1, 10]))).toBeCloseTo(3.7, 12);
    expect(summary(early([1, 1, 1, 10]))).toEqual([]);
    // At the threshold and just below it, before the first epoch ends.
    expect(summary(early([4, 4, 4]))).toEqual(['stuck (holds-back)']);
    expect(summary(early([4, 4, 3.999]))).toEqual([]);
  });

  test('quotes the number and where it comes from: the smoothed curve at its end, with its epoch', () => {
    const i = run({ epochs: [], samples: lossSamples([10, 10, 10, 1]), health: newest(QUIET_LAYERS, 0.5) });
    const q = quantities(find(i, 'stuck')?.parts ?? [])[0];
    expect(q?.text).toBe(metricText(chartEnd(i.samples)));
    expect(q?.source).toBe('Loss chart: the smoothed curve at its end (epoch 1.60)');
  });

  test('fixes: the usual learning rate only above it, scaled inputs only for raw inputs into ReLU or linear units', () => {
    const raw = { preprocessing: 'raw' as const };
    // The loss starts as a guessing network's, so raw inputs did not swamp it: stuck is said on its own.
    expect(ids(stuckFromGuess(8, 0.5, { ...raw, optimizer: 'sgd', learningRate: 1 }))).toEqual(['stuck']);
    expect(chartEnd(stuckFromGuess(8, 0.5).samples)).toBeGreaterThan(STUCK_LOSS);
    expect(fixIds(stuckFromGuess(8, 0.5), 'stuck')).toEqual([]);
    const both = stuckFromGuess(8, 0.5, { ...raw, optimizer: 'sgd', learningRate: 1 });
    expect(summary(both)).toEqual(['stuck (holds-back)']);
    expect(find(both, 'stuck')?.fixes[0]).toMatchObject({
      id: 'lower-lr',
      label: 'Use learning rate 0.01',
      learningRate: 0.01,
    });
    expect(fixIds(both, 'stuck')).toEqual(['lower-lr', 'scaled']);
    expect(find(both, 'stuck')?.fixes[0]?.evidence).toContain('SGD at 1');
    // Scaled inputs with the recorded pair closest to the depth: 2×64 is nearer the 4×32 pair.
    expect(find(both, 'stuck')?.fixes[1]?.evidence).toBe(evidenceText('scaled-4x32'));
    expect(
      find(stuckFromGuess(8, 0.5, { ...raw, layers: hidden(64, 'relu') }), 'stuck')?.fixes.map((f) => [
        f.id,
        f.evidence,
      ]),
    ).toEqual([['scaled', evidenceText('scaled-32')]]);
    expect(
      fixIds(stuckFromGuess(8, 0.5, { ...raw, layers: [...hidden(64, 'sigmoid'), ...hidden(64, 'linear')] }), 'stuck'),
    ).toEqual(['scaled']);
    expect(
      fixIds(stuckFromGuess(8, 0.5, { ...raw, layers: [...hidden(64, 'tanh'), ...hidden(64, 'relu')] }), 'stuck'),
    ).toEqual(['scaled']);
    const sigmoid = { ...SIGMOID, ...raw };
    expect(fixIds(stuckFromGuess(8, 0.5, sigmoid), 'stuck')).toEqual([]);
    expect(fixIds(stuckFromGuess(8, 0.5, { ...sigmoid, learningRate: 10 }), 'stuck')).toEqual(['lower-lr']);
    expect(find(stuckFromGuess(8, 0.5, { ...sigmoid, learningRate: 10 }), 'stuck')?.fixes[0]?.evidence).toContain(
      'SGD at 10',
    );
    expect(fixIds(stuckFromGuess(8, 0.5, { optimizer: 'adam', learningRate: 0.1 }), 'stuck')).toEqual(['lower-lr']);
    expect(find(stuckFromGuess(8, 0.5, { optimizer: 'adam', learningRate: 0.1 }), 'stuck')?.fixes[0]).toMatchObject({
      learningRate: DEFAULT_LR.adam,
    });
  });

  test('raw inputs that swamp the output say it once, with their cause: no separate stuck finding', () => {
    const high = stuckRun(8, 0.5);
    const i = { ...rawRun({ actMean: 40, clipped: 0.5, epochs: high.epochs }), samples: high.samples };
    expect(summary(i)).toEqual(['raw-inputs (holds-back)']);
    // The same numbers on scaled inputs: stuck, said on its own.
    expect(
      summary({
        ...rawRun({ actMean: 40, clipped: 0.5, epochs: high.epochs, config: { preprocessing: 'scaled' } }),
        samples: high.samples,
      }),
    ).toEqual(['stuck (holds-back)']);
  });
});

describe('learning rate too high', () => {
  test('a NaN training loss fails, whatever the learning rate; the usual rate is offered only above it', () => {
    const nan = (config: Partial<TrainConfig>, valAcc = 0.8) =>
      run({ config, epochs: [epoch(1, 0.5, 0.8, 0.5, 0.8), epoch(2, NaN, valAcc, NaN, valAcc)] });
    expect(summary(nan({}))).toEqual(['lr-high (fails)']);
    expect(find(nan({}), 'lr-high')?.text).toMatch(/^The training loss of epoch 2 is NaN: the weights overflowed/);
    expect(fixIds(nan({}), 'lr-high')).toEqual([]);
    const high = nan({ learningRate: 0.01 });
    expect(fixIds(high, 'lr-high')).toEqual(['lower-lr']);
    expect(find(high, 'lr-high')?.fixes[0]).toMatchObject({ label: 'Use learning rate 0.001', learningRate: 0.001 });
    expect(summary(nan({}, 0.098))).toEqual(['chance (fails)', 'lr-high (fails)']);
    const inf = run({ epochs: [epoch(1, 0.5, 0.8, 0.5, 0.8), epoch(2, Infinity, 0.8, 0.5, 0.8)] });
    expect(find(inf, 'lr-high')?.text).toContain('epoch 2 is ∞');
  });

  test(`flat: fires when the last loss is still HIGH_LR_FLAT (${HIGH_LR_FLAT}) of the first epoch's, not just below`, () => {
    expect(summary(flatRun(HIGH_LR_FLAT))).toEqual(['lr-high (holds-back)']);
    expect(find(flatRun(HIGH_LR_FLAT), 'lr-high')?.text).toMatch(
      /^The training loss has fallen only 5 %: 1\.0000 after epoch 1, 0\.9500 after epoch 2\. Steps of learning rate 0\.002, 2 times adam's usual 0\.001/,
    );
    expect(summary(flatRun(HIGH_LR_FLAT - 0.001))).toEqual([]);
    // One epoch is no trend.
    expect(summary(run({ config: { learningRate: 0.002 }, epochs: [epoch(1, 1, 0.6, 1, 0.6)] }))).toEqual([]);
  });

  test('flat: "has not fallen" only when the last loss is not below the first epoch\'s; else how little it fell', () => {
    expect(find(flatRun(1), 'lr-high')?.text).toMatch(
      /^The training loss has not fallen: 1\.0000 after epoch 1, 1\.0000 after epoch 2\./,
    );
    expect(find(flatRun(1.3), 'lr-high')?.text).toMatch(
      /^The training loss has not fallen: 1\.0000 after epoch 1, 1\.3000 after epoch 2\./,
    );
    expect(find(flatRun(0.999), 'lr-high')?.text).not.toContain('has not fallen');
    expect(find(flatRun(0.97), 'lr-high')?.text).toMatch(
      /^The training loss has fallen only 3 %: 1\.0000 after epoch 1, 0\.9700 after epoch 2\./,
    );
  });

  test(`rise: fires when the last loss is above HIGH_LR_RISE (${HIGH_LR_RISE}) × the best epoch's ("above": not at it)`, () => {
    expect(summary(riseRun(0.5 * HIGH_LR_RISE + 0.001))).toEqual(['lr-high (holds-back)']);
    expect(find(riseRun(0.601), 'lr-high')?.text).toBe(
      "The training loss rose from 0.5000 (epoch 2) to 0.6010 (epoch 3): steps of learning rate 0.002, 2 times adam's usual 0.001, overshoot.",
    );
    expect(summary(riseRun(0.5 * HIGH_LR_RISE))).toEqual([]);
    expect(summary(riseRun(0.59))).toEqual([]);
  });

  test(`swing: fires when the newest 2 × RECENT_SAMPLES losses swing around their trend by more than HIGH_LR_SWING (${HIGH_LR_SWING}) of their mean`, () => {
    // The swing is d·√(48/35): 0.504 at d = 0.43, 0.492 at d = 0.42.
    expect(swingAroundTrend(swinging(0.43))).toBeCloseTo(0.43 * Math.sqrt(48 / 35), 12);
    expect(swingAroundTrend(swinging(0.42))).toBeCloseTo(0.42 * Math.sqrt(48 / 35), 12);
    expect(0.43 * Math.sqrt(48 / 35)).toBeGreaterThan(HIGH_LR_SWING);
    expect(0.42 * Math.sqrt(48 / 35)).toBeLessThan(HIGH_LR_SWING);
    expect(summary(swingRun(0.43))).toEqual(['lr-high (holds-back)']);
    expect(find(swingRun(0.43), 'lr-high')?.text).toMatch(
      /swing between 1\.1400 and 2\.8600, up and down around their trend\. Steps of learning rate 0\.002, 2 times adam's usual 0\.001, overshoot\.$/,
    );
    expect(summary(swingRun(0.42))).toEqual([]);
    // Fewer samples than that in all: no verdict.
    expect(summary(run({ config: { learningRate: 0.002 }, samples: lossSamples([0.1, 1.9, 0.1, 1.9, 0.1]) }))).toEqual(
      [],
    );
    expect(
      summary(run({ config: { learningRate: 0.002 }, samples: lossSamples([0.1, 1.9, 0.1, 1.9, 0.1, 1.9]) })),
    ).toEqual(['lr-high (holds-back)']);
    // Before the first epoch ends, the swing is all there is to go by.
    expect(summary(run({ config: { learningRate: 0.002 }, epochs: [], samples: lossSamples(swinging(0.43)) }))).toEqual(
      ['lr-high (holds-back)'],
    );
    expect(summary(run({ config: { learningRate: 0.002 }, epochs: [], samples: lossSamples(swinging(0.42)) }))).toEqual(
      [],
    );
    // Only the newest six: a swing before them does not count.
    expect(
      summary(
        run({
          config: { learningRate: 0.002 },
          epochs: [],
          samples: lossSamples([...swinging(0.9), 1, 1, 1, 1, 1, 1]),
        }),
      ),
    ).toEqual([]);
  });

  test('swing: a loss that falls steadily, however fast, does not swing (Adam at 0.003, 2.3 down to 0.5)', () => {
    const falling = [2.3, 1.5, 0.9, 0.7, 0.6, 0.5];
    // Its standard deviation over its mean is 0.64, above HIGH_LR_SWING: the fall itself, not a swing.
    const mean = falling.reduce((a, b) => a + b, 0) / falling.length;
    const sd = Math.sqrt(falling.reduce((a, x) => a + (x - mean) ** 2, 0) / (falling.length - 1));
    expect(sd / mean).toBeGreaterThan(HIGH_LR_SWING);
    expect(swingAroundTrend(falling)).toBeLessThan(HIGH_LR_SWING);
    const i = run({ config: { optimizer: 'adam', learningRate: 0.003 }, epochs: [], samples: lossSamples(falling) });
    expect(summary(i)).toEqual([]);
    expect(summary({ ...i, epochs: QUIET_EPOCHS })).toEqual([]);
    // The same losses going up and down do swing.
    const alternating = [2.3, 0.5, 1.5, 0.6, 0.9, 0.7];
    expect(swingAroundTrend(alternating)).toBeGreaterThan(HIGH_LR_SWING);
    expect(summary({ ...i, samples: lossSamples(alternating) })).toEqual(['lr-high (holds-back)']);
  });

  test("swingAroundTrend: the residuals' standard deviation around the least-squares line (over n − 2), over the mean", () => {
    // 0, 1, 0: a flat line at 1/3, residuals −1/3, 2/3, −1/3: √((6/9) / 1) / (1/3) = √6 (over n − 1 it would be √3).
    expect(swingAroundTrend([0, 1, 0])).toBeCloseTo(Math.sqrt(6), 12);
    // A straight line, rising or falling, does not swing.
    expect(swingAroundTrend([1, 2, 3, 4, 5, 6])).toBeCloseTo(0, 12);
    expect(swingAroundTrend([3, 2.5, 2, 1.5, 1, 0.5])).toBeCloseTo(0, 12);
    // Fewer than three losses, or a mean not above zero: no measure.
    expect(swingAroundTrend([1, 2])).toBeNull();
    expect(swingAroundTrend([])).toBeNull();
    expect(swingAroundTrend([0, 0, 0])).toBeNull();
  });

  test("none of the three fire at or below the optimizer's usual rate", () => {
    for (const lr of [DEFAULT_LR.adam, DEFAULT_LR.adam / 2]) {
      expect(summary(flatRun(1, { learningRate: lr }))).toEqual([]);
      expect(summary(riseRun(0.9, { learningRate: lr }))).toEqual([]);
      expect(summary(swingRun(0.9, { learningRate: lr }))).toEqual([]);
    }
    // The usual rate is the optimizer's: 0.005 is above Adam's, below SGD's.
    expect(summary(flatRun(1, { learningRate: 0.005 }))).toEqual(['lr-high (holds-back)']);
    expect(summary(flatRun(1, { optimizer: 'sgd', learningRate: 0.005 }))).toEqual([]);
  });

  test('at chance it fails', () => {
    expect(summary(flatRun(1, { learningRate: 0.002 }, 0.1))).toEqual(['chance (fails)', 'lr-high (fails)']);
  });

  test('each of the three offers the usual rate', () => {
    for (const i of [flatRun(1), riseRun(0.9), swingRun(0.43)]) {
      expect(find(i, 'lr-high')?.fixes.map((f) => [f.id, f.label, f.learningRate])).toEqual([
        ['lower-lr', 'Use learning rate 0.001', 0.001],
      ]);
    }
  });

  test('the usual rate is offered, with the recorded pair closest to the optimizer and rate', () => {
    const evidence = (config: Partial<TrainConfig>) =>
      find(flatRun(1, config), 'lr-high')?.fixes.map((f) => [
        f.id,
        f.learningRate,
        f.evidence.split(':')[1]?.split(',')[0]?.trim(),
      ]);
    expect(evidence({ learningRate: 0.1 })).toEqual([['lower-lr', 0.001, '128 ReLU']]);
    expect(evidence({ optimizer: 'rmsprop', learningRate: 0.1 })).toEqual([['lower-lr', 0.001, '128 ReLU']]);
    expect(evidence({ optimizer: 'sgd', learningRate: 1 })).toEqual([['lower-lr', 0.01, '2×64 ReLU']]);
    expect(evidence({ optimizer: 'momentum', learningRate: 0.5 })).toEqual([['lower-lr', 0.01, '2×64 ReLU']]);
    expect(evidence({ optimizer: 'sgd', learningRate: 5 })).toEqual([['lower-lr', 0.01, '32 sigmoid']]);
  });
});

describe('vanishing', () => {
  test('fires when a hidden layer gets below VANISHED_GRADIENT of the output gradient and moves below VANISHED_UPDATE', () => {
    const i = vanRun(layer(1e-2 * VANISHED_GRADIENT * 0.99, VANISHED_UPDATE * 0.99, { saturated: 0 }));
    expect(summary(i)).toEqual(['vanishing (holds-back)']);
    expect(find(i, 'vanishing')?.text).toMatch(
      /^The gradient fades on its way back: layer 1 gets 1\/20 of the output layer's/,
    );
    expect(find(i, 'vanishing')?.text).toContain("moves its weights by 0.0099 % (the output layer's by 0.1 %)");
  });

  test('does not fire at either threshold itself (both are "below")', () => {
    expect((1e-2 * VANISHED_GRADIENT) / 1e-2).toBe(VANISHED_GRADIENT);
    expect(summary(vanRun(layer(1e-2 * VANISHED_GRADIENT, 1e-6, { saturated: 0 })))).toEqual([]);
    expect(summary(vanRun(layer(1e-6, VANISHED_UPDATE, { saturated: 0 })))).toEqual([]);
  });

  test('needs both: a small gradient that still moves the weights, or a tiny step with a healthy gradient, is not vanishing', () => {
    expect(summary(vanRun(layer(1e-6, 2e-4, { saturated: 0 })))).toEqual([]);
    expect(summary(vanRun(layer(4e-3, 1e-7, { saturated: 0 })))).toEqual([]);
  });

  test('of two vanishing layers it names the one whose weights move least, first or last', () => {
    const i = run({
      config: SIGMOID,
      health: newest([layer(1e-4, 5e-5, { saturated: 0 }), layer(2e-4, 1e-5, { saturated: 0 }), VAN_OUT]),
    });
    expect(find(i, 'vanishing')?.text).toContain('layer 2 gets 1/50');
    expect(find(i, 'vanishing')?.text).toContain('moves its weights by 0.001 %');
    const j = run({
      config: SIGMOID,
      health: newest([layer(2e-4, 1e-5, { saturated: 0 }), layer(1e-4, 5e-5, { saturated: 0 }), VAN_OUT]),
    });
    expect(find(j, 'vanishing')?.text).toContain('layer 1 gets 1/50');
  });

  test('a network with one hidden layer is not diagnosed with it', () => {
    expect(
      summary(
        run({
          config: { ...SIGMOID, layers: hidden(32, 'sigmoid') },
          health: newest([layer(1e-6, 1e-7, { saturated: 0 }), VAN_OUT]),
        }),
      ),
    ).toEqual([]);
  });

  test('at chance it fails', () => {
    expect(summary(vanRun(layer(1e-5, 1e-6), SIGMOID, CHANCE_EPOCHS))).toEqual(['chance (fails)', 'vanishing (fails)']);
  });

  test('fixes: ReLU only for sigmoid or tanh layers, Adam only for plain SGD, batch normalization where a saturating layer has none', () => {
    const tiny = layer(1e-5, 1e-6);
    expect(fixIds(vanRun(tiny), 'vanishing')).toEqual(['relu', 'adam', 'bn']);
    expect(
      fixIds(vanRun(tiny, { ...SIGMOID, layers: [...hidden(32, 'relu'), ...hidden(32, 'tanh')] }), 'vanishing'),
    ).toEqual(['relu', 'adam', 'bn']);
    expect(fixIds(vanRun(tiny, { ...SIGMOID, layers: hidden(32, 'relu', 'relu') }), 'vanishing')).toEqual(['adam']);
    expect(fixIds(vanRun(tiny, { ...SIGMOID, optimizer: 'momentum' }), 'vanishing')).toEqual(['relu', 'bn']);
    // Every sigmoid layer already normalized: nothing to add.
    const normed = (SIGMOID.layers ?? []).map((l) => ({ ...l, batchNorm: true }));
    expect(fixIds(vanRun(tiny, { ...SIGMOID, layers: normed }), 'vanishing')).toEqual(['relu', 'adam']);
    expect(
      fixIds(
        vanRun(tiny, {
          ...SIGMOID,
          layers: hidden(32, 'relu', 'linear'),
          optimizer: 'adam',
          learningRate: DEFAULT_LR.adam,
        }),
        'vanishing',
      ),
    ).toEqual([]);
  });

  test('only a network with sigmoids is told about sigmoids', () => {
    const tiny = layer(1e-5, 1e-6);
    expect(find(vanRun(tiny), 'vanishing')?.text).toMatch(
      /: each sigmoid passes back at most a quarter of the signal\.$/,
    );
    expect(
      find(vanRun(tiny, { ...SIGMOID, layers: [...hidden(32, 'tanh'), ...hidden(32, 'sigmoid')] }), 'vanishing')?.text,
    ).toContain('each sigmoid passes back');
    expect(find(vanRun(tiny, { ...SIGMOID, layers: hidden(32, 'tanh', 'tanh') }), 'vanishing')?.text).toMatch(
      /\. The early layers barely learn\.$/,
    );
    expect(find(vanRun(tiny, { ...SIGMOID, layers: hidden(32, 'relu', 'relu') }), 'vanishing')?.text).not.toContain(
      'sigmoid',
    );
  });
});

describe('saturated', () => {
  const satRun = (s1: number, s2 = 0.1, config: Partial<TrainConfig> = SIGMOID) =>
    run({ config, health: newest(sigmoidLayers(s1, s2)) });

  test(`fires at SATURATED_SHARE (${SATURATED_SHARE}) as a note, not just below`, () => {
    expect(summary(satRun(SATURATED_SHARE))).toEqual(['saturated (note)']);
    expect(find(satRun(SATURATED_SHARE), 'saturated')?.text).toMatch(
      /^Layer 1 is 50 % saturated \(its sigmoids sit at 0 or 1\)/,
    );
    expect(summary(satRun(SATURATED_SHARE - 0.001))).toEqual([]);
    expect(find(satRun(SATURATED_SHARE), 'saturated')?.text).not.toContain('Also');
  });

  test('the first saturated layer, its cause and limits, then the others; no fix', () => {
    const tanh = run({
      config: { ...SIGMOID, layers: [...hidden(64, 'relu'), ...hidden(32, 'tanh', 'tanh')] },
      health: newest([
        layer(3e-3, 1e-2, { dead: 0.1 }),
        layer(3e-3, 1e-2, { saturated: 0.8 }),
        layer(3e-3, 1e-2, { saturated: 0.6 }),
        OUT,
      ]),
    });
    expect(summary(tanh)).toEqual(['saturated (note)']);
    expect(find(tanh, 'saturated')?.text).toMatch(
      /^Layer 2 is 80 % saturated \(its tanhs sit at -1 or 1\).* Also saturated: layer 3 60 %\./,
    );
    expect(find(tanh, 'saturated')?.fixes).toEqual([]);
    expect(find(satRun(0.9, 0.1, { ...SIGMOID, preprocessing: 'raw' }), 'saturated')?.text).toMatch(
      /^Layer 1 is 90 % saturated \(the raw pixel values 0\.\.255 push its sigmoids to 0 or 1\)/,
    );
    // Only the first layer takes the pixels.
    expect(find(satRun(0.1, 0.9, { ...SIGMOID, preprocessing: 'raw' }), 'saturated')?.text).toMatch(
      /^Layer 2 is 90 % saturated \(its sigmoids sit at 0 or 1\)/,
    );
  });

  test('on a run that learns, it says so', () => {
    expect(find(satRun(0.9), 'saturated')?.text).toMatch(/ This run still learns: val_acc 0\.9630 after epoch 5\.$/);
  });
});

describe('dead', () => {
  test(`from DEAD_NOTE_SHARE (${DEAD_NOTE_SHARE}) it is a note, not just below`, () => {
    expect(summary(deadRun(DEAD_NOTE_SHARE, 0))).toEqual(['dead (note)']);
    expect(summary(deadRun(DEAD_NOTE_SHARE - 0.001, DEAD_NOTE_SHARE - 0.001))).toEqual([]);
  });

  test(`from DEAD_SHARE (${DEAD_SHARE}) it holds the run back; just below it is a note`, () => {
    expect(summary(deadRun(DEAD_SHARE, 0))).toEqual(['dead (holds-back)']);
    expect(summary(deadRun(DEAD_SHARE - 0.001, 0))).toEqual(['dead (note)']);
  });

  test('at chance, a large share fails; a small one stays a note', () => {
    expect(summary(deadRun(DEAD_SHARE, 0, {}, CHANCE_EPOCHS))).toEqual(['chance (fails)', 'dead (fails)']);
    expect(summary(deadRun(0.3, 0, {}, CHANCE_EPOCHS))).toEqual(['chance (fails)', 'dead (note)']);
  });

  test('names the layer with the most dead units, the share alive, and the other dead layers', () => {
    const f = find(deadRun(0.55, 0.72), 'dead');
    expect(f?.text).toMatch(
      /^72 % of layer 2's ReLU units are dead: .*the layer works with the other 28 %\. Also dead: layer 1 55 %\.$/,
    );
    expect(find(deadRun(0.72, 0.1), 'dead')?.text).not.toContain('Also dead');
    const three = run({
      config: { layers: hidden(64, 'relu', 'relu', 'relu') },
      health: newest([
        layer(3e-3, 1e-2, { dead: 0.55 }),
        layer(3e-3, 1e-2, { dead: 0.72 }),
        layer(3e-3, 1e-2, { dead: 0.4 }),
        OUT,
      ]),
    });
    expect(find(three, 'dead')?.text).toMatch(/ Also dead: layer 1 55 %, layer 3 40 %\.$/);
  });

  test('a note says the run still learns, by the accuracy it is judged by; not at chance, nor before an epoch', () => {
    expect(find(deadRun(0.3, 0), 'dead')?.text).toMatch(/ This run still learns: val_acc 0\.9630 after epoch 5\.$/);
    const noVal = QUIET_EPOCHS.map((e) => ({ ...e, valAcc: null, valLoss: null }));
    expect(find(deadRun(0.3, 0, {}, noVal), 'dead')?.text).toMatch(
      / This run still learns: acc 0\.9800 after epoch 5\.$/,
    );
    expect(find(deadRun(0.3, 0, {}, CHANCE_EPOCHS), 'dead')?.text).toMatch(/the layer works with the other 70 %\.$/);
    expect(find(deadRun(0.3, 0, {}, []), 'dead')?.text).toMatch(/the layer works with the other 70 %\.$/);
  });

  test('fixes: a lower learning rate only above the usual one, scaled inputs only on raw inputs', () => {
    expect(fixIds(deadRun(0.72, 0), 'dead')).toEqual([]);
    expect(fixIds(deadRun(0.72, 0, { learningRate: 0.01 }), 'dead')).toEqual(['lower-lr']);
    expect(fixIds(deadRun(0.72, 0, { preprocessing: 'raw' }), 'dead')).toEqual(['scaled']);
    expect(fixIds(deadRun(0.72, 0, { preprocessing: 'raw', optimizer: 'sgd', learningRate: 1 }), 'dead')).toEqual([
      'lower-lr',
      'scaled',
    ]);
    expect(fixIds(deadRun(0.72, 0, { optimizer: 'sgd', learningRate: DEFAULT_LR.sgd }), 'dead')).toEqual([]);
  });

  test('scaled inputs come with the recorded pair closest to the depth: one hidden layer, or two and more', () => {
    const scaled = (config: Partial<TrainConfig>) =>
      find(deadRun(0.72, 0, { preprocessing: 'raw', ...config }), 'dead')?.fixes.find((f) => f.id === 'scaled')
        ?.evidence;
    expect(scaled({})).toBe(evidenceText('scaled-4x32'));
    expect(scaled({ layers: hidden(64, 'relu', 'relu', 'relu') })).toBe(evidenceText('scaled-4x32'));
    const one = run({
      config: { preprocessing: 'raw', layers: hidden(64, 'relu') },
      health: newest([layer(3e-3, 1e-2, { dead: 0.72 }), OUT]),
    });
    expect(find(one, 'dead')?.fixes.map((f) => [f.id, f.evidence])).toEqual([['scaled', evidenceText('scaled-32')]]);
  });
});

describe('raw inputs', () => {
  test(`fires when layer 1's mean output is above RAW_MEAN_OUTPUT (${RAW_MEAN_OUTPUT}), not at it`, () => {
    expect(summary(rawRun({ actMean: RAW_MEAN_OUTPUT + 0.01 }))).toEqual(['raw-inputs (note)']);
    expect(find(rawRun({ actMean: RAW_MEAN_OUTPUT + 0.01 }), 'raw-inputs')?.text).toMatch(
      /^Layer 1's relu units take the raw pixel values 0\.\.255 unscaled: their mean output is 10\.01, and the loss started at 2\.2000 .*\. The layers after it have absorbed the large values/,
    );
    expect(summary(rawRun({ actMean: RAW_MEAN_OUTPUT }))).toEqual([]);
  });

  test('not when layer 1 normalizes its sums (batch normalization): scaling the inputs would change nothing', () => {
    const normed = { config: { layers: [{ units: 32, activation: 'relu' as const, batchNorm: true }] } };
    expect(summary(rawRun({ ...normed, actMean: 40, clipped: 0.5, firstLoss: 9 }))).toEqual([]);
    expect(summary(rawRun({ actMean: 40, clipped: 0.5, firstLoss: 9 }))).toEqual(['raw-inputs (holds-back)']);
  });

  test(`fires when the first loss sample is above RAW_FIRST_LOSS (${RAW_FIRST_LOSS}), not at it`, () => {
    expect(summary(rawRun({ firstLoss: RAW_FIRST_LOSS + 0.01 }))).toEqual(['raw-inputs (note)']);
    expect(find(rawRun({ firstLoss: 5.01 }), 'raw-inputs')?.text).toContain('the loss started at 5.0100');
    expect(summary(rawRun({ firstLoss: RAW_FIRST_LOSS }))).toEqual([]);
  });

  test("under the squared error it gives that loss's guessing score and says the saturated softmax passes back almost nothing", () => {
    const mse = { config: { loss: 'mse' as const } };
    const swamped = rawRun({ ...mse, actMean: 40, clipped: 0.5, firstLoss: 0.18 });
    expect(summary(swamped)).toEqual(['raw-inputs (holds-back)']);
    expect(find(swamped, 'raw-inputs')?.text).toContain(
      'and the loss started at 0.1800 (a network that guesses evenly starts at 0.09). The outputs are still swamped: the network is confidently wrong on 50 % of the batch, where the saturated softmax passes back almost no gradient.',
    );
    // Cross-entropy's first-loss threshold does not apply to it (a squared error of 5 cannot happen).
    expect(summary(rawRun({ ...mse, firstLoss: 9 }))).toEqual([]);
    // Nor is it "stuck" in cross-entropy's numbers.
    expect(summary(stuckRun(14.6, 0.9, { loss: 'mse' }))).toEqual([]);
  });

  test('without loss samples it goes by the mean output alone', () => {
    const i = { ...rawRun({ actMean: 40 }), samples: [] };
    expect(summary(i)).toEqual(['raw-inputs (note)']);
    expect(find(i, 'raw-inputs')?.text).toMatch(
      /^Layer 1's relu units take the raw pixel values 0\.\.255 unscaled: their mean output is 40\.00\. The layers after/,
    );
  });

  test(`holds the run back while the newest sample has RAW_CLIPPED (${RAW_CLIPPED}) of the batch confidently wrong; below, a note`, () => {
    const swamped = rawRun({ actMean: 40, clipped: RAW_CLIPPED });
    expect(summary(swamped)).toEqual(['raw-inputs (holds-back)']);
    expect(find(swamped, 'raw-inputs')?.text).toContain('confidently wrong on 10 % of the batch');
    expect(summary(rawRun({ actMean: 40, clipped: RAW_CLIPPED - 0.001 }))).toEqual(['raw-inputs (note)']);
    expect(find(rawRun({ actMean: 40 }), 'raw-inputs')?.text).toMatch(
      / This run still learns: val_acc 0\.9630 after epoch 5\.$/,
    );
  });

  test('only for raw inputs into a ReLU or linear first layer', () => {
    const big = { actMean: 40, firstLoss: 9 };
    expect(summary(rawRun({ ...big, config: { preprocessing: 'scaled' } }))).toEqual([]);
    expect(summary(rawRun({ ...big, config: { layers: [...hidden(64, 'sigmoid'), ...hidden(64, 'relu')] } }))).toEqual(
      [],
    );
    expect(summary(rawRun({ ...big, config: { layers: [...hidden(64, 'tanh'), ...hidden(64, 'relu')] } }))).toEqual([]);
    expect(summary(rawRun({ ...big, config: { layers: [...hidden(64, 'linear'), ...hidden(64, 'relu')] } }))).toEqual([
      'raw-inputs (note)',
    ]);
    expect(
      find(rawRun({ ...big, config: { layers: [...hidden(64, 'linear'), ...hidden(64, 'relu')] } }), 'raw-inputs')
        ?.text,
    ).toMatch(/^Layer 1's linear units take the raw pixel values/);
  });

  test('at chance: swamped, it fails; recovered, it stays a note; it always offers scaled inputs', () => {
    expect(summary(rawRun({ actMean: 40, clipped: 0.5, epochs: CHANCE_EPOCHS }))).toEqual([
      'chance (fails)',
      'raw-inputs (fails)',
    ]);
    expect(summary(rawRun({ actMean: 40, clipped: 0, epochs: CHANCE_EPOCHS }))).toEqual([
      'chance (fails)',
      'raw-inputs (note)',
    ]);
    expect(find(rawRun({ actMean: 40, clipped: 0, epochs: CHANCE_EPOCHS }), 'raw-inputs')?.text).not.toContain(
      'still learns',
    );
    expect(fixIds(rawRun({ actMean: 40, clipped: 0.5 }), 'raw-inputs')).toEqual(['scaled']);
    expect(fixIds(rawRun({ actMean: 40 }), 'raw-inputs')).toEqual(['scaled']);
  });

  test('scaled inputs come with the recorded pair closest to the depth, swamped or recovered', () => {
    const evidence = (o: Parameters<typeof rawRun>[0]) => find(rawRun(o), 'raw-inputs')?.fixes.map((f) => f.evidence);
    for (const clipped of [0.5, 0]) {
      expect(evidence({ actMean: 40, clipped })).toEqual([evidenceText('scaled-4x32')]);
      expect(evidence({ actMean: 40, clipped, config: { layers: hidden(64, 'relu') } })).toEqual([
        evidenceText('scaled-32'),
      ]);
    }
    expect(evidenceText('scaled-4x32')).toContain('4×32 ReLU on raw pixels');
    expect(evidenceText('scaled-32')).toMatch(/^measured here: 32 ReLU on raw pixels/);
  });

  // Below RAW_CLIPPED the note quotes the share, and says "no image" only when there is none.
  test('the note does not say that no image is confidently wrong when some are', () => {
    const text = find(rawRun({ actMean: 40, clipped: 0.05 }), 'raw-inputs')?.text ?? '';
    expect(text).toContain('only 5 % of the newest batch is confidently wrong');
    expect(text).not.toContain('no image of the newest batch is confidently wrong');
    expect(find(rawRun({ actMean: 40, clipped: 0 }), 'raw-inputs')?.text).toContain(
      'no image of the newest batch is confidently wrong (0 %)',
    );
  });
});

describe('learning rate too low', () => {
  const lowest = DEFAULT_LR.sgd * LOW_LR_FACTOR;

  test(`fires at LOW_LR_FACTOR (${LOW_LR_FACTOR}) of the usual rate with no layer moving LOW_LR_STEP (${LOW_LR_STEP}) a step`, () => {
    const i = lowRun(lowest, LOW_LR_STEP * 0.99);
    expect(summary(i)).toEqual(['lr-low (holds-back)']);
    expect(find(i, 'lr-low')?.text).toMatch(
      /^Learning rate 0\.001 is 10 times smaller than sgd's usual 0\.01: one step moves no layer's weights by more than 0\.099 % \(output layer\), and the loss creeps down, from 0\.1000 to 0\.0950 in the last epoch\.$/,
    );
  });

  test('does not fire just above the rate, or with a layer moving LOW_LR_STEP', () => {
    expect(summary(lowRun(0.0011))).toEqual([]);
    expect(summary(lowRun(lowest, LOW_LR_STEP))).toEqual([]);
    // The fastest layer counts, hidden or not.
    const moving = run({
      config: { optimizer: 'sgd', learningRate: lowest },
      health: newest([layer(3e-3, 2e-3, { dead: 0.02 }), layer(4e-3, 3e-4, { dead: 0.05 }), layer(1.2e-2, 1e-4)]),
    });
    expect(summary(moving)).toEqual([]);
  });

  test("the usual rate is the optimizer's", () => {
    expect(summary(lowRun(DEFAULT_LR.adam * LOW_LR_FACTOR, 5e-4, { config: { optimizer: 'adam' } }))).toEqual([
      'lr-low (holds-back)',
    ]);
    expect(summary(lowRun(1.1e-4, 5e-4, { config: { optimizer: 'adam' } }))).toEqual([]);
  });

  test('only while the loss still falls, and only once the run has finished', () => {
    const flat = [...QUIET_EPOCHS.slice(0, 4), epoch(5, 0.1, 0.98, 0.128, 0.963)];
    expect(summary(lowRun(lowest, 5e-4, { epochs: flat }))).toEqual([]);
    expect(summary(lowRun(lowest, 5e-4, { finished: false }))).toEqual([]);
  });

  test('at chance it fails', () => {
    expect(summary(lowRun(lowest, 5e-4, { epochs: CHANCE_EPOCHS }))).toEqual(['chance (fails)', 'lr-low (fails)']);
  });

  test('offers the usual rate, and stands in for still learning (the same slowness, with its cause)', () => {
    const f = find(lowRun(lowest), 'lr-low')?.fixes;
    expect(f?.map((x) => [x.id, x.label, x.learningRate])).toEqual([['raise-lr', 'Use learning rate 0.01', 0.01]]);
    const slow = stillRun(0.95, 0.2, {
      config: { optimizer: 'sgd', learningRate: lowest },
      health: lowRun(lowest).health,
    });
    expect(summary(slow)).toEqual(['lr-low (holds-back)']);
    expect(summary({ ...slow, config: { ...slow.config, learningRate: DEFAULT_LR.sgd } })).toEqual([
      'still-learning (holds-back)',
    ]);
  });
});

describe('still learning', () => {
  test(`holds the run back from STILL_GAIN (${STILL_GAIN}) with the loss falling STILL_LOSS_DROP (${STILL_LOSS_DROP})`, () => {
    expectAt(0.92 - 0.9, STILL_GAIN);
    expect((0.247 - DROP_1) / 0.247).toBe(STILL_LOSS_DROP);
    const i = stillRun(0.92, DROP_1);
    expect(summary(i)).toEqual(['still-learning (holds-back)']);
    expect(find(i, 'still-learning')?.text).toBe(
      'Still learning when the run ended. In its last epoch validation accuracy still rose 2.0 points, from 0.9000 to 0.9200, and the training loss fell from 0.2470 to 0.2445. More epochs would likely add more.',
    );
  });

  test('just below the gain for holding back it is a note; just below the loss drop, nothing', () => {
    expect(summary(stillRun(0.919, DROP_1))).toEqual(['still-learning (note)']);
    expect(summary(stillRun(0.92, 0.2446))).toEqual([]);
  });

  test(`a note from STILL_GAIN_NOTE (${STILL_GAIN_NOTE}) with the loss falling STILL_LOSS_DROP (${STILL_LOSS_DROP}), not just below either`, () => {
    expectAt(0.905 - 0.9, STILL_GAIN_NOTE);
    expect(summary(stillRun(0.905, DROP_1))).toEqual(['still-learning (note)']);
    expect(find(stillRun(0.905, DROP_1), 'still-learning')?.text).toMatch(
      /^Still learning a little when the run ended\. .* More epochs would likely add a little\.$/,
    );
    expect(summary(stillRun(0.904, DROP_1))).toEqual([]);
    expect(summary(stillRun(0.905, 0.2446))).toEqual([]);
  });

  test('only once the run has finished, and not at chance', () => {
    expect(summary(stillRun(0.95, 0.2, { finished: false }))).toEqual([]);
    expect(summary(run({ epochs: [epoch(1, 2.3, 0.1, 2.3, 0.1), epoch(2, 2, 0.2, 2, CHANCE_ACC)] }))).toEqual([
      'chance (fails)',
    ]);
  });

  test('reads the training accuracy without a validation set', () => {
    const i = run({ epochs: [epoch(1, 1, 0.9, null, null), epoch(2, 0.98, 0.92, null, null)] });
    expect(summary(i)).toEqual(['still-learning (holds-back)']);
    expect(find(i, 'still-learning')?.text).toContain('training accuracy still rose 2.0 points, from 0.9000 to 0.9200');
  });

  test('offers four times the epochs (at most 500), with the recorded pair closest to the network', () => {
    const more = (config: Partial<TrainConfig>) => find(stillRun(0.95, 0.2, { config }), 'still-learning')?.fixes;
    expect(more({})?.map((f) => [f.id, f.label, f.epochs])).toEqual([['more-epochs', 'Train for 20 epochs', 20]]);
    expect(more({})?.[0]?.evidence).toContain('4×32 sigmoid with Adam, 5 epochs');
    expect(more({ ...SIGMOID })?.[0]?.evidence).toContain('2×32 sigmoid, 5 epochs');
    expect(more({ ...SIGMOID, layers: hidden(32, 'sigmoid', 'sigmoid', 'sigmoid') })?.[0]?.evidence).toContain(
      '3×32 sigmoid, 5 epochs',
    );
    expect(more({ epochs: 200 })?.[0]?.epochs).toBe(LIMITS.maxEpochs);
  });

  test("the article's 3×32 network is pointed at its 40-epoch run", () => {
    const article = {
      layers: hidden(32, 'sigmoid', 'sigmoid', 'sigmoid'),
      preprocessing: 'raw',
      optimizer: 'sgd',
      learningRate: DEFAULT_LR.sgd,
      epochs: 5,
    } as const;
    const health = newest([
      layer(3e-3, 1e-2, { saturated: 0.1 }),
      layer(3e-3, 1e-2, { saturated: 0.1 }),
      layer(3e-3, 1e-2, { saturated: 0.1 }),
      OUT,
    ]);
    const f = find(stillRun(0.95, 0.2, { config: article, health }), 'still-learning');
    expect(f?.text).toContain('experiment 3 trains this very network');
    expect(f?.fixes[0]).toMatchObject({ id: 'more-epochs', label: 'Train for 40 epochs', epochs: 40 });
    // Any other network or setup: four times its epochs.
    const others: Partial<TrainConfig>[] = [
      { learningRate: 0.02 },
      { preprocessing: 'scaled' },
      { optimizer: 'momentum' },
      { layers: [...hidden(32, 'sigmoid', 'sigmoid'), ...hidden(32, 'tanh')] },
      { layers: hidden(64, 'sigmoid', 'sigmoid', 'sigmoid') },
      { layers: [...hidden(32, 'sigmoid', 'sigmoid'), ...hidden(64, 'sigmoid')] },
    ];
    for (const o of others)
      expect(
        find(stillRun(0.95, 0.2, { config: { ...article, ...o }, health }), 'still-learning')?.fixes[0]?.epochs,
        JSON.stringify(o),
      ).toBe(20);
    expect(
      find(stillRun(0.95, 0.2, { config: { ...article, layers: hidden(32, 'sigmoid', 'sigmoid') } }), 'still-learning')
        ?.fixes[0]?.epochs,
    ).toBe(20);
    expect(
      find(stillRun(0.95, 0.2, { config: { ...article, epochs: 40 }, health }), 'still-learning')?.fixes[0]?.epochs,
    ).toBe(160);
  });
});

describe('overfitting', () => {
  const flatLoss = [0.3, 0.2, 0.2, 0.2, 0.2];

  test(`holds the run back when each of the last OVERFIT_EPOCHS (${OVERFIT_EPOCHS}) validation accuracies is OVERFIT_DROP (${OVERFIT_DROP}) below the best`, () => {
    expect(OVERFIT_EPOCHS).toBe(3);
    expectAt(0.96 - 0.945, OVERFIT_DROP);
    const i = overRun([0.9, 0.96, 0.945, 0.945, 0.945], flatLoss, OVER_LOSS);
    expect(summary(i)).toEqual(['overfitting (holds-back)']);
    expect(find(i, 'overfitting')?.text).toMatch(
      /^Validation accuracy is down from its best, 0\.9600 after epoch 2, to 0\.9450 after epoch 5, while training accuracy reached 0\.9900/,
    );
    expect(find(i, 'overfitting')?.fixes.map((f) => [f.id, f.label, f.epochs, f.evidence])).toEqual([
      ['stop-early', 'Train for 2 epochs', 2, "this run's validation accuracy was best after epoch 2"],
      ['dropout', 'Add dropout (0.2 on the input, 0.5 after each layer)', undefined, evidenceText('dropout-512')],
      ['augment', 'Distort the training images (affine augmentation)', undefined, evidenceText('augment-512')],
    ]);
  });

  test('not when one of them is just less below, or the best is among them', () => {
    expect(summary(overRun([0.9, 0.96, 0.9451, 0.945, 0.945], flatLoss, OVER_LOSS))).toEqual([]);
    expect(summary(overRun([0.9, 0.96, 0.945, 0.945, 0.9451], flatLoss, OVER_LOSS))).toEqual([]);
    expect(summary(overRun([0.9, 0.92, 0.96, 0.94, 0.94], flatLoss, OVER_LOSS))).toEqual([]);
  });

  test(`OVERFIT_EPOCHS falls after the best are enough; fewer epochs cannot tell`, () => {
    expect(summary(overRun([0.96, 0.94, 0.94, 0.94], flatLoss, OVER_LOSS))).toEqual(['overfitting (holds-back)']);
    expect(summary(overRun([0.96, 0.94, 0.94], flatLoss, OVER_LOSS))).toEqual([]);
  });

  test(`a note when the validation loss stayed OVERFIT_LOSS_RISE (${OVERFIT_LOSS_RISE}) above its lowest while the training loss fell`, () => {
    const low = 0.5;
    expect(low * (1 + OVERFIT_LOSS_RISE)).toBe(0.525);
    const i = overRun([0.9, 0.95, 0.951, 0.951, 0.951], [0.6, low, 0.525, 0.525, 0.525], [0.6, 0.4, 0.3, 0.25, 0.2]);
    expect(summary(i)).toEqual(['overfitting (note)']);
    expect(find(i, 'overfitting')?.text).toMatch(
      /^Validation loss has risen from 0\.5000 after epoch 2 to 0\.5250 after epoch 5, while the training loss kept falling, to 0\.2000/,
    );
    expect(find(i, 'overfitting')?.text).toContain(
      ' Its validation accuracy holds: 0.9510, best 0.9510 after epoch 3. ',
    );
    // Stopping where the validation loss was lowest was measured not to help on the test images;
    // dropout and augmentation were measured to help, and are offered.
    const tail = ` (Measured here, stopping where the validation loss was lowest did not help on the test images: ${evidenceText('stop-512')}.)`;
    expect(find(i, 'overfitting')?.text.slice(-tail.length)).toBe(tail);
    expect(find(i, 'overfitting')?.fixes.map((f) => f.id)).toEqual(['dropout', 'augment']);
  });

  test('dropout is offered to a run that drops less than Srivastava et al., augmentation to one that distorts nothing; the fixes set them', () => {
    const losses = [0.6, 0.5, 0.525, 0.525, 0.525];
    const with_ = (c: Partial<TrainConfig>) =>
      find(overRun([0.9, 0.95, 0.951, 0.951, 0.951], losses, [0.6, 0.4, 0.3, 0.25, 0.2], c), 'overfitting')?.fixes.map(
        (f) => f.id,
      );
    const dropped = { inputDropout: 0.2, layers: [{ units: 512, activation: 'relu' as const, dropout: 0.5 }] };
    expect(with_(dropped)).toEqual(['augment']);
    expect(with_({ ...dropped, augment: 'elastic' })).toEqual([]);
    expect(with_({ ...dropped, augment: 'affine', inputDropout: 0.1 })).toEqual(['dropout']);
    expect(with_({ inputDropout: 0.2, layers: [{ units: 512, activation: 'relu', dropout: 0.3 }] })).toEqual([
      'dropout',
      'augment',
    ]);
    const fixed = applyFix({ ...DEFAULT_CONFIG, layers: [{ units: 64, activation: 'relu' }] }, { id: 'dropout' });
    expect([fixed.inputDropout, fixed.layers[0]?.dropout]).toEqual([0.2, 0.5]);
    expect(applyFix(DEFAULT_CONFIG, { id: 'augment' }).augment).toBe('affine');
  });

  test('no note when one of the last validation losses is just less above, or the training loss did not fall', () => {
    expect(
      summary(overRun([0.9, 0.95, 0.951, 0.951, 0.951], [0.6, 0.5, 0.5249, 0.525, 0.525], [0.6, 0.4, 0.3, 0.25, 0.2])),
    ).toEqual([]);
    expect(
      summary(overRun([0.9, 0.95, 0.951, 0.951, 0.951], [0.6, 0.5, 0.525, 0.525, 0.525], [0.6, 0.4, 0.45, 0.42, 0.4])),
    ).toEqual([]);
  });

  test('not without a validation set', () => {
    const noVal = overRun([0.9, 0.96, 0.945, 0.945, 0.945], flatLoss, OVER_LOSS).epochs.map((e) => ({
      ...e,
      valAcc: null,
      valLoss: null,
    }));
    expect(summary(run({ epochs: noVal }))).toEqual([]);
  });
});

describe('levels and their order', () => {
  test('each finding that explains a run at chance fails', () => {
    const cases: [FindingId, DiagnosisInput][] = [
      ['stuck', stuckRun(8, 0.5, {}, 0.1)],
      ['lr-high', flatRun(1, { learningRate: 0.002 }, 0.1)],
      ['vanishing', vanRun(layer(1e-5, 1e-6), SIGMOID, CHANCE_EPOCHS)],
      ['raw-inputs', rawRun({ actMean: 40, clipped: 0.5, epochs: CHANCE_EPOCHS })],
      ['dead', deadRun(0.6, 0, {}, CHANCE_EPOCHS)],
      ['lr-low', lowRun(DEFAULT_LR.sgd * LOW_LR_FACTOR, 5e-4, { epochs: CHANCE_EPOCHS })],
    ];
    for (const [id, i] of cases) expect(summary(i), id).toEqual(['chance (fails)', `${id} (fails)`]);
  });

  test('fails first, then holds-back, then notes, whatever order the rules run in', () => {
    // The NaN epoch (lr-high, fails) is found after stuck (holds back here: accuracy 0.5).
    const nanThenStuck = run({
      epochs: [epoch(1, NaN, 0.5, NaN, 0.5), epoch(2, 8, 0.5, 8, 0.5)],
      samples: stuckRun(8, 0.5).samples,
      health: newest(QUIET_LAYERS, 0.5),
    });
    expect(summary(nanThenStuck)).toEqual(['lr-high (fails)', 'stuck (holds-back)']);
    // A dead note is found before still-learning (holds back).
    const deadNote = stillRun(0.95, 0.2, { health: deadRun(0.3, 0).health });
    expect(summary(deadNote)).toEqual(['still-learning (holds-back)', 'dead (note)']);
    // The collapsing 4×32 sigmoid network.
    expect(summary(COLLAPSE)).toEqual(['chance (fails)', 'vanishing (fails)', 'saturated (note)']);
  });

  test('a run learns well only when every finding is a note', () => {
    expect(learnsWell([])).toBe(true);
    expect(learnsWell(diagnose(deadRun(0.3, 0)))).toBe(true);
    expect(
      learnsWell(
        diagnose(
          overRun([0.9, 0.95, 0.951, 0.951, 0.951], [0.6, 0.5, 0.525, 0.525, 0.525], [0.6, 0.4, 0.3, 0.25, 0.2]),
        ),
      ),
    ).toBe(true);
    expect(learnsWell(diagnose(deadRun(0.6, 0)))).toBe(false);
    expect(learnsWell(diagnose(stillRun(0.95, 0.2, { health: deadRun(0.3, 0).health })))).toBe(false);
    expect(learnsWell(diagnose(run({ epochs: CHANCE_EPOCHS })))).toBe(false);
  });
});

describe('the rules read the newest health sample only', () => {
  const deadLayers = (share: number) => [layer(3e-3, 1e-2, { dead: share }), layer(4e-3, 8e-3, { dead: 0 }), OUT];

  test('90 % dead, then 0 %: no dead finding; 0 %, then 90 %: it holds the run back (an average, 45 %, would be a note either way)', () => {
    expect(
      summary(run({ health: [sample(1, deadLayers(0.9)), sample(2, deadLayers(0.9)), sample(3, deadLayers(0))] })),
    ).toEqual([]);
    expect(
      summary(run({ health: [sample(1, deadLayers(0)), sample(2, deadLayers(0)), sample(3, deadLayers(0.9))] })),
    ).toEqual(['dead (holds-back)']);
  });

  test('saturated, vanishing, stuck, raw inputs and lr-low the same way', () => {
    const both = (old: readonly LayerHealth[], now: readonly LayerHealth[], oldClipped = 0, nowClipped = 0) => [
      sample(1, old, oldClipped),
      sample(2, now, nowClipped),
    ];
    const sat = (s: number) => sigmoidLayers(s, 0);
    expect(ids(run({ config: SIGMOID, health: both(sat(0.9), sat(0)) }))).toEqual([]);
    expect(ids(run({ config: SIGMOID, health: both(sat(0), sat(0.9)) }))).toEqual(['saturated']);

    const van = (g: number, u: number) => [layer(g, u), layer(4e-3, 1e-3), VAN_OUT];
    expect(ids(run({ config: SIGMOID, health: both(van(1e-5, 1e-6), van(3e-3, 1e-2)) }))).toEqual([]);
    expect(ids(run({ config: SIGMOID, health: both(van(3e-3, 1e-2), van(1e-5, 1e-6)) }))).toEqual(['vanishing']);

    const stuck = stuckRun(8, 0);
    expect(ids({ ...stuck, health: both(QUIET_LAYERS, QUIET_LAYERS, 0.9, 0) })).toEqual([]);
    expect(ids({ ...stuck, health: both(QUIET_LAYERS, QUIET_LAYERS, 0, 0.9) })).toEqual(['stuck']);

    const mean = (m: number) => [layer(3e-3, 1e-2, { dead: 0.02 }, m), layer(4e-3, 8e-3, { dead: 0.05 }), OUT];
    expect(summary(run({ config: { preprocessing: 'raw' }, health: both(mean(40), mean(1), 0.5, 0) }))).toEqual([]);
    expect(summary(run({ config: { preprocessing: 'raw' }, health: both(mean(1), mean(40), 0, 0.5) }))).toEqual([
      'raw-inputs (holds-back)',
    ]);
    // Swamped earlier, recovered now: a note.
    expect(summary(run({ config: { preprocessing: 'raw' }, health: both(mean(40), mean(40), 0.5, 0) }))).toEqual([
      'raw-inputs (note)',
    ]);

    const steps = (u: number) => [layer(3e-3, u, { dead: 0.02 }), layer(4e-3, u, { dead: 0.05 }), layer(1.2e-2, u)];
    const low = { optimizer: 'sgd' as const, learningRate: DEFAULT_LR.sgd * LOW_LR_FACTOR };
    expect(ids(run({ config: low, health: both(steps(1e-4), steps(5e-3)) }))).toEqual([]);
    expect(ids(run({ config: low, health: both(steps(5e-3), steps(1e-4)) }))).toEqual(['lr-low']);
  });

  test("the quoted sample is the newest one (epoch 3.00 here, not 1.00's)", () => {
    const f = find(run({ health: [sample(1, deadLayers(0.9)), sample(3, deadLayers(0.6))] }), 'dead');
    expect(f?.text).toMatch(/^60 % of layer 1/);
    for (const q of quantities(f?.parts ?? []))
      if (q.ref && q.ref.table !== 'epochs' && q.ref.table !== 'other') expect(q.ref.x).toBe(3);
    expect(quantities(f?.parts ?? [])[0]?.source).toContain('newest sample (epoch 3.00)');
  });
});

// ---- Every number quoted is the cell its table shows ----

/** Checks each quantity with a table reference against that table's cell; returns the kinds of reference seen. */
function expectQuotesTables(i: DiagnosisInput, parts: readonly Part[]): Set<string> {
  const seen = new Set<string>();
  const latest = i.health.at(-1);
  for (const q of quantities(parts)) {
    const ref = q.ref;
    if (!ref || ref.table === 'other') continue;
    seen.add(ref.table);
    if (ref.table === 'epochs') {
      const e = i.epochs.find((x) => x.epoch === ref.epoch);
      expect(e, q.source).toBeDefined();
      if (e) expect(q.text, q.source).toBe(epochCells(e)[ref.column]);
      continue;
    }
    expect(latest, q.source).toBeDefined();
    if (!latest) continue;
    expect(ref.x, q.source).toBe(latest.x);
    if (ref.table === 'health-clipped') {
      // The table's caption: "confidently wrong: 41 % of the batch".
      expect(q.text, q.source).toBe(percent(latest.clipped));
    } else if (ref.table === 'health-ratio') {
      const a = healthCells(latest, ref.layer).gradient;
      const b = healthCells(latest, ref.over).gradient;
      expect(q.text, q.source).toBe(ratioText(Number(a) / Number(b)));
      expect(q.source).toContain(`${a} ÷`);
      expect(q.source).toContain(`${b}`);
    } else {
      const cell = healthCells(latest, ref.layer)[ref.column];
      // A share cell reads "41 % dead" or "97 % sat.": the sentence quotes its number.
      if (ref.column === 'share')
        expect([`${q.text} dead`, `${q.text} sat.`], `${q.source}: "${q.text}" vs "${cell}"`).toContain(cell);
      else expect(q.text, q.source).toBe(cell);
    }
  }
  return seen;
}

const SCENARIOS: Readonly<Record<string, DiagnosisInput>> = {
  'the collapsing 4×32 sigmoid network': COLLAPSE,
  chance: run({ epochs: CHANCE_EPOCHS }),
  stuck: stuckRun(8.25, 0.4149),
  'stuck, before the first epoch ends': run({
    epochs: [],
    samples: lossSamples([0.5, 7, 8, 9]),
    health: newest(QUIET_LAYERS, 0.6),
  }),
  'lr-high, NaN': run({ epochs: [epoch(1, 0.5, 0.8, 0.5, 0.8), epoch(2, NaN, 0.098, NaN, 0.098)] }),
  'lr-high, flat': flatRun(0.98765, { learningRate: 0.0123 }),
  'lr-high, rise': riseRun(0.87654),
  'lr-high, swing': swingRun(0.7),
  // Raw, the gradients' ratio is 4.14e-4 / 2.46e-2 = 1/59; as the table shows them, 4.1e-4 / 2.5e-2 = 1/61.
  'vanishing, ratio of the cells': run({
    config: SIGMOID,
    epochs: CHANCE_EPOCHS,
    health: newest([
      layer(4.14e-4, 2.44e-5, { saturated: 0.004 }),
      layer(4e-3, 1e-3, { saturated: 0 }),
      layer(2.46e-2, 1.1e-3, {}, 0.12),
    ]),
  }),
  'raw inputs, swamped': rawRun({ actMean: 37.456, clipped: 0.2345, firstLoss: 11.2 }),
  'raw inputs, recovered': rawRun({ actMean: 12.345, clipped: 0, firstLoss: 6.54321 }),
  'dead, two layers': deadRun(0.4149, 0.9996),
  'dead, note': deadRun(0.2999, 0.0004),
  'lr-low': lowRun(5e-4, 2.345e-4),
  'still learning': stillRun(0.93456, 0.2345),
  'still learning a little': stillRun(0.90876, 0.23876),
  overfitting: overRun([0.9, 0.96123, 0.94, 0.9432, 0.93], [0.3, 0.2, 0.2, 0.2, 0.2], OVER_LOSS),
  'overfitting, note': overRun(
    [0.9, 0.95, 0.951, 0.951, 0.951],
    [0.6, 0.51234, 0.6, 0.61, 0.6543],
    [0.6, 0.4, 0.3, 0.25, 0.2],
  ),
  'saturated, two layers': run({ config: SIGMOID, health: newest(sigmoidLayers(0.9991, 0.5)) }),
};

describe('every number a finding quotes is the cell its table shows', () => {
  test.each(Object.entries(SCENARIOS))('%s', (_name, i) => {
    const findings = diagnose(i);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.text).toBe(plainText(f.parts));
      expectQuotesTables(i, f.parts);
    }
  });

  test('the scenarios cover every finding and every kind of table reference', () => {
    const fired = new Set(Object.values(SCENARIOS).flatMap((i) => ids(i)));
    expect([...fired].sort()).toEqual([
      'chance',
      'dead',
      'lr-high',
      'lr-low',
      'overfitting',
      'raw-inputs',
      'saturated',
      'still-learning',
      'stuck',
      'vanishing',
    ]);
    const refs = new Set(
      Object.values(SCENARIOS).flatMap((i) => [
        ...expectQuotesTables(
          i,
          diagnose(i).flatMap((f) => f.parts),
        ),
      ]),
    );
    expect([...refs].sort()).toEqual(['epochs', 'health', 'health-clipped', 'health-ratio']);
  });

  test('the gradient ratio is the quotient of the two cells as shown, not of the raw values', () => {
    const i = SCENARIOS['vanishing, ratio of the cells'] as DiagnosisInput;
    const q = quantities(find(i, 'vanishing')?.parts ?? []).find((x) => x.ref?.table === 'health-ratio');
    expect(ratioText(4.14e-4 / 2.46e-2)).toBe('1/59');
    const latest = i.health.at(-1) as HealthSample;
    expect([healthCells(latest, 0).gradient, healthCells(latest, 2).gradient]).toEqual(['4.1e-4', '2.5e-2']);
    expect(q?.text).toBe(ratioText(4.1e-4 / 2.5e-2));
    expect(q?.text).toBe('1/61');
  });

  test('a share quotes the cell\'s own rounding: "> 99.9 %", "< 0.1 %"', () => {
    const sat = find(SCENARIOS['saturated, two layers'] as DiagnosisInput, 'saturated');
    expect(sat?.text).toMatch(/^Layer 1 is > 99\.9 % saturated/);
    const dead = find(SCENARIOS['dead, two layers'] as DiagnosisInput, 'dead');
    expect(dead?.text).toMatch(/^> 99\.9 % of layer 2's .* the other < 0\.1 %\. Also dead: layer 1 41 %\.$/);
  });
});

describe('what a run that learns well was checked for', () => {
  const relu = hidden(64, 'relu', 'relu');
  const text = (
    layers: readonly HiddenLayer[],
    latest: HealthSample | undefined,
    epochs: readonly EpochLog[] = QUIET_EPOCHS,
    first: number | null = 2.2,
  ) => plainText(checkedParts(layers, latest, epochs, first));

  test('the slowest layer and its step, the largest dead share and its layer, the loss, the last gain', () => {
    const latest = sample(4.98, [
      layer(3e-3, 1e-2, { dead: 0.12 }),
      layer(4e-3, 8e-3, { dead: 0.2 }),
      layer(1.2e-2, 5e-3),
    ]);
    expect(text(relu, latest)).toBe(
      'the slowest layer (output layer) moves its weights by 0.5 % a step; dead units at most 20 % (layer 2); ' +
        'the loss fell from 2.2000 to 0.0950 (epoch 5); val_acc rose 0.1 points in the last epoch',
    );
  });

  test('names the saturated share too in a mixed network, and each kind only where it is measured', () => {
    const latest = sample(4.98, [
      layer(3e-3, 2e-4, { saturated: 0.3 }),
      layer(4e-3, 8e-3, { dead: 0.04 }),
      layer(1.2e-2, 5e-3),
    ]);
    const t = text([...hidden(64, 'sigmoid'), ...hidden(64, 'relu')], latest);
    expect(t).toContain('the slowest layer (layer 1) moves its weights by 0.02 % a step');
    expect(t).toContain('dead units at most 4 % (layer 2)');
    expect(t).toContain('saturated units at most 30 % (layer 1)');
    expect(text(relu, sample(1, QUIET_LAYERS))).not.toContain('saturated');
  });

  test('without a health sample or a first loss it says what it can; a fall of val_acc is said as such', () => {
    expect(text(relu, undefined)).toBe(
      'the loss fell from 2.2000 to 0.0950 (epoch 5); val_acc rose 0.1 points in the last epoch',
    );
    expect(text(relu, undefined, QUIET_EPOCHS, null)).toBe('val_acc rose 0.1 points in the last epoch');
    expect(text(relu, undefined, [epoch(1, 0.3, 0.9, 0.3, 0.95), epoch(2, 0.2, 0.92, 0.3, 0.94)], null)).toBe(
      'val_acc fell 1.0 points in the last epoch',
    );
    // No validation set: no val_acc to speak of.
    expect(text(relu, undefined, [epoch(1, 0.3, 0.9, null, null), epoch(2, 0.2, 0.92, null, null)], 2.2)).toBe(
      'the loss fell from 2.2000 to 0.2000 (epoch 2)',
    );
  });

  test("states the numbers, not the rules' thresholds", () => {
    const t = text(relu, sample(4.98, QUIET_LAYERS));
    expect(t).not.toMatch(/\((vanishing|still learning|dead|saturated) is /);
    expect(t).not.toContain(`${VANISHED_UPDATE * 100} %`);
    expect(t).not.toContain(`${STILL_GAIN * 100} points`);
  });

  test('never quotes a share below the largest one, nor a step above the smallest (200 made-up samples)', () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const acts: Activation[] = ['relu', 'sigmoid', 'tanh', 'linear'];
    for (let k = 0; k < 200; k++) {
      const layers = Array.from({ length: 1 + Math.floor(rand() * 5) }, (): HiddenLayer => ({
        units: 32,
        activation: acts[Math.floor(rand() * 4)] as Activation,
      }));
      const healths = layers.map((l) =>
        layer(
          rand() * 1e-2,
          rand() * 1e-2,
          l.activation === 'relu' ? { dead: rand() } : l.activation === 'linear' ? {} : { saturated: rand() },
        ),
      );
      const latest = sample(k, [...healths, layer(1e-2, rand() * 1e-2)]);
      const parts = checkedParts(layers, latest, QUIET_EPOCHS, 2.2);
      expectQuotesTables(
        { config: { ...QUIET_CONFIG, layers }, health: [latest], epochs: QUIET_EPOCHS, samples: [], finished: true },
        parts,
      );
      const qs = quantities(parts);
      for (const kind of ['dead', 'saturated'] as const) {
        const shares = healths
          .map((h, i) => ({ i, v: h[kind] }))
          .filter((x): x is { i: number; v: number } => x.v !== null);
        const q = qs.find(
          (x) => x.ref?.table === 'health' && x.ref.column === 'share' && healths[x.ref.layer]?.[kind] !== null,
        );
        if (shares.length === 0) {
          expect(plainText(parts)).not.toContain(`${kind} units`);
          continue;
        }
        const max = Math.max(...shares.map((x) => x.v));
        expect(q?.text).toBe(percent(max));
        expect(q?.ref?.table === 'health' ? healths[q.ref.layer]?.[kind] : undefined).toBe(max);
        expect(plainText(parts)).toContain(
          `${kind} units at most ${percent(max)} (${layerName(shares.find((x) => x.v === max)?.i ?? -1, layers.length)})`,
        );
      }
      const min = Math.min(...latest.layers.map((l) => l.updateRatio));
      const step = qs.find((x) => x.ref?.table === 'health' && x.ref.column === 'step');
      expect(step?.text).toBe(stepText(min));
    }
  });
});

// ---- Fixes ----

describe('fixes and the measurements behind them', () => {
  const ALL_PAIRS = {
    'relu-4x32': ['0.1135', '0.9194'],
    'adam-4x32': ['0.1135', '0.8391'],
    'scaled-32': ['0.5942', '0.8989'],
    'scaled-4x32': ['0.9194', '0.9065'],
    'sgd-1': ['0.6318', '0.8845'],
    'sgd-10': ['0.0980', '0.4752'],
    'adam-0.1': ['0.4742', '0.9196'],
    'sgd-0.0005': ['0.1277', '0.7880'],
    'learns-well-4x32': ['0.1135', '0.9594'],
    'stop-512': ['0.8988', '0.8976'],
    'dropout-512': ['0.8988', '0.9123'],
    'augment-512': ['0.8988', '0.9502'],
    'bn-4x32': ['0.1135', '0.8855'],
    'longer-3x32': ['0.2857', '0.8633'],
    'longer-2x32': ['0.7979', '0.9005'],
    'longer-4x32-adam': ['0.8391', '0.9090'],
  } as const satisfies Record<PairName, readonly [string, string]>;

  test.each(Object.entries(ALL_PAIRS))(
    'pair %s is measured: both test accuracies, the data and the truth runs',
    (pair, [before, after]) => {
      const text = evidenceText(pair as PairName);
      expect(text).not.toBe('not measured in this lab yet');
      expect(text).toMatch(
        new RegExp(
          `^measured here: .+ ${before}, .+ ${after} \\(test accuracy; ([0-9,]+ images|all 60,000 images), seed 1; truth run [a-z0-9-]+( and [a-z0-9-]+)?\\)$`,
        ),
      );
      expect(text.indexOf(before)).toBeLessThan(text.lastIndexOf(after));
    },
  );

  test("the data named is the recorded run's", () => {
    expect(evidenceText('stop-512')).toContain('2,000 images, seed 1; truth run overfit-512)');
    expect(evidenceText('relu-4x32')).toContain('all 60,000 images, seed 1; truth run article-4x32)');
    expect(evidenceText('adam-4x32')).toContain('truth run article-4x32 and sigmoid-adam-4x32)');
  });

  test('every fix, with its default pair, has a label and measured evidence', () => {
    const all: FixId[] = [
      'relu',
      'adam',
      'scaled',
      'lower-lr',
      'raise-lr',
      'learns-well',
      'stop-early',
      'more-epochs',
      'dropout',
      'augment',
      'bn',
    ];
    for (const id of all) {
      const f = fix(id);
      expect(f.id).toBe(id);
      expect(f.label.length).toBeGreaterThan(0);
      expect(f.evidence, id).toMatch(/^measured here: /);
    }
  });

  test("every fix any scenario offers has measured evidence; stopping early, this run's own best epoch", () => {
    const offered = [
      ...Object.values(SCENARIOS),
      stuckFromGuess(8, 0.5, { preprocessing: 'raw', optimizer: 'sgd', learningRate: 10 }),
      vanRun(layer(1e-5, 1e-6)),
    ].flatMap((i) => diagnose(i).flatMap((f) => f.fixes));
    expect(new Set(offered.map((f) => f.id)).size).toBeGreaterThanOrEqual(7);
    expect(offered.some((f) => f.id === 'stop-early')).toBe(true);
    for (const f of offered) {
      if (f.id === 'stop-early')
        expect(f.evidence).toBe(`this run's validation accuracy was best after epoch ${f.epochs ?? NaN}`);
      else expect(f.evidence, f.id).toMatch(/^measured here: /);
    }
  });
});

describe('applyFix', () => {
  const config: TrainConfig = {
    ...DEFAULT_CONFIG,
    layers: [
      { units: 64, activation: 'sigmoid' },
      { units: 32, activation: 'relu' },
      { units: 16, activation: 'tanh' },
      { units: 8, activation: 'linear' },
    ],
    epochs: 10,
    batchSize: 64,
    seed: 9,
    subset: 6000,
  };

  test('relu replaces only the sigmoid and tanh layers, widths and the rest kept', () => {
    const out = applyFix(config, { id: 'relu' });
    expect(out.layers).toEqual([
      { units: 64, activation: 'relu' },
      { units: 32, activation: 'relu' },
      { units: 16, activation: 'relu' },
      { units: 8, activation: 'linear' },
    ]);
    expect({ ...out, layers: config.layers }).toEqual(config);
    expect(config.layers[0]?.activation).toBe('sigmoid');
  });

  test('adam switches to Adam at its usual rate', () => {
    expect(applyFix({ ...config, learningRate: 0.5 }, { id: 'adam' })).toEqual({
      ...config,
      optimizer: 'adam',
      learningRate: DEFAULT_LR.adam,
    });
  });

  test('scaled scales the inputs', () => {
    expect(applyFix(config, { id: 'scaled' })).toEqual({ ...config, preprocessing: 'scaled' });
  });

  test('lower-lr sets the rate the fix names, else a tenth, not below the smallest allowed', () => {
    expect(applyFix({ ...config, learningRate: 10 }, { id: 'lower-lr', learningRate: 0.01 })).toEqual({
      ...config,
      learningRate: 0.01,
    });
    expect(applyFix({ ...config, learningRate: 1 }, { id: 'lower-lr' }).learningRate).toBe(0.1);
    expect(applyFix({ ...config, learningRate: 0.03 }, { id: 'lower-lr' }).learningRate).toBe(0.003);
    expect(applyFix({ ...config, learningRate: LIMITS.minLr }, { id: 'lower-lr' }).learningRate).toBe(LIMITS.minLr);
  });

  test('raise-lr sets the rate the fix names, else ten times, not above the largest allowed', () => {
    expect(applyFix({ ...config, learningRate: 0.0005 }, { id: 'raise-lr', learningRate: 0.01 })).toEqual({
      ...config,
      learningRate: 0.01,
    });
    expect(applyFix({ ...config, learningRate: 0.0005 }, { id: 'raise-lr' }).learningRate).toBe(0.005);
    expect(applyFix({ ...config, learningRate: 3 }, { id: 'raise-lr' }).learningRate).toBe(LIMITS.maxLr);
  });

  test('learns-well: every layer ReLU, scaled inputs, Adam at its usual rate, batch 128; the rest kept', () => {
    const out = applyFix(config, { id: 'learns-well' });
    expect(out.layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'relu', 'relu']);
    expect(out.layers.map((l) => l.units)).toEqual([64, 32, 16, 8]);
    expect(out).toMatchObject({
      preprocessing: 'scaled',
      optimizer: 'adam',
      learningRate: DEFAULT_LR.adam,
      batchSize: 128,
      epochs: 10,
      seed: 9,
      subset: 6000,
    });
  });

  test('stop-early and more-epochs set the epochs from the fix (whole, at most the limit); without a usable count nothing changes', () => {
    for (const id of ['stop-early', 'more-epochs'] as const) {
      expect(applyFix(config, { id, epochs: 3 })).toEqual({ ...config, epochs: 3 });
      expect(applyFix(config, { id, epochs: 1 }).epochs).toBe(1);
      expect(applyFix(config, { id, epochs: 2.6 }).epochs).toBe(3);
      expect(applyFix(config, { id, epochs: 10_000 }).epochs).toBe(LIMITS.maxEpochs);
      expect(applyFix(config, { id })).toEqual(config);
      expect(applyFix(config, { id, epochs: 0 })).toEqual(config);
    }
  });

  test("a finding's own fix, applied, asks for what its label says", () => {
    const stop = find(overRun([0.9, 0.96, 0.945, 0.945, 0.945], [0.3, 0.2, 0.2, 0.2, 0.2], OVER_LOSS), 'overfitting')
      ?.fixes[0];
    expect(stop && applyFix(config, stop).epochs).toBe(2);
    const more = find(stillRun(0.95, 0.2, { config: { epochs: 10 } }), 'still-learning')?.fixes[0];
    expect(more && applyFix(config, more).epochs).toBe(40);
    const lower = find(flatRun(1, { learningRate: 0.1 }), 'lr-high')?.fixes[0];
    expect(lower && applyFix({ ...config, learningRate: 0.1 }, lower).learningRate).toBe(DEFAULT_LR.adam);
    const raise = find(lowRun(DEFAULT_LR.sgd * LOW_LR_FACTOR), 'lr-low')?.fixes[0];
    expect(raise && applyFix({ ...config, learningRate: 0.001 }, raise).learningRate).toBe(DEFAULT_LR.sgd);
  });
});

describe('withUsefulFixes', () => {
  test(`drops a fix that leaves the setup as it was: "Train for ${LIMITS.maxEpochs} epochs" at ${LIMITS.maxEpochs} epochs (LIMITS.maxEpochs); the finding stays`, () => {
    const atCap = stillRun(0.95, 0.2, { config: { epochs: LIMITS.maxEpochs } });
    const findings = diagnose(atCap);
    expect(findings.map((f) => [f.id, f.fixes.map((x) => [x.label, x.epochs])])).toEqual([
      ['still-learning', [[`Train for ${LIMITS.maxEpochs} epochs`, LIMITS.maxEpochs]]],
    ]);
    const useful = withUsefulFixes(findings, atCap.config);
    expect(useful.map((f) => [f.id, f.level, f.text])).toEqual(findings.map((f) => [f.id, f.level, f.text]));
    expect(useful[0]?.fixes).toEqual([]);
    // The findings it was given are left as they were.
    expect(findings[0]?.fixes).toHaveLength(1);
    // One epoch below the limit, the same fix changes the run.
    const below = stillRun(0.95, 0.2, { config: { epochs: LIMITS.maxEpochs - 1 } });
    expect(withUsefulFixes(diagnose(below), below.config)[0]?.fixes.map((f) => [f.label, f.epochs])).toEqual([
      [`Train for ${LIMITS.maxEpochs} epochs`, LIMITS.maxEpochs],
    ]);
  });

  test('keeps, in their order, exactly the fixes that change the config', () => {
    const one: Finding = {
      id: 'chance',
      level: 'fails',
      parts: [],
      text: '',
      fixes: [fix('scaled'), fix('adam'), fix('relu'), fix('stop-early', { epochs: 5 })],
    };
    const sigmoidSgd: TrainConfig = { ...DEFAULT_CONFIG, epochs: 5, layers: hidden(32, 'sigmoid', 'sigmoid') };
    expect(withUsefulFixes([one], { ...sigmoidSgd, preprocessing: 'raw' })[0]?.fixes.map((f) => f.id)).toEqual([
      'scaled',
      'adam',
      'relu',
    ]);
    expect(withUsefulFixes([one], { ...sigmoidSgd, preprocessing: 'scaled' })[0]?.fixes.map((f) => f.id)).toEqual([
      'adam',
      'relu',
    ]);
    expect(
      withUsefulFixes([one], {
        ...sigmoidSgd,
        preprocessing: 'scaled',
        optimizer: 'adam',
        learningRate: DEFAULT_LR.adam,
      })[0]?.fixes.map((f) => f.id),
    ).toEqual(['relu']);
    expect(withUsefulFixes([one], { ...sigmoidSgd, epochs: 6 })[0]?.fixes.map((f) => f.id)).toEqual([
      'scaled',
      'adam',
      'relu',
      'stop-early',
    ]);
    // Every fix a scenario offers changes its run: nothing dropped.
    const i = deadRun(0.72, 0, { preprocessing: 'raw', optimizer: 'sgd', learningRate: 1 });
    expect(withUsefulFixes(diagnose(i), i.config)).toEqual(diagnose(i));
    expect(withUsefulFixes([], QUIET_CONFIG)).toEqual([]);
  });
});

// ---- Number formats ----

describe('number formats', () => {
  test('percent: whole percents; one decimal below 1 % and above 99 %; never 0 % or 100 % for a part', () => {
    expect(percent(0)).toBe('0 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(0.97)).toBe('97 %');
    expect(percent(0.4149)).toBe('41 %');
    expect(percent(0.01)).toBe('1 %');
    expect(percent(0.99)).toBe('99 %');
    expect(percent(0.005)).toBe('0.5 %');
    expect(percent(0.001)).toBe('0.1 %');
    expect(percent(0.0009)).toBe('< 0.1 %');
    expect(percent(1e-9)).toBe('< 0.1 %');
    expect(percent(0.996)).toBe('99.6 %');
    expect(percent(0.999)).toBe('99.9 %');
    expect(percent(0.9991)).toBe('> 99.9 %');
    expect(percent(1 - 1e-9)).toBe('> 99.9 %');
  });

  test('gradText: one decimal in exponent form, "0" for none', () => {
    expect(gradText(4.1e-4)).toBe('4.1e-4');
    expect(gradText(2.46e-2)).toBe('2.5e-2');
    expect(gradText(1)).toBe('1.0e+0');
    expect(gradText(0)).toBe('0');
  });

  test('stepText: a percentage with two significant digits, "0 %" for none', () => {
    expect(stepText(2.4e-5)).toBe('0.0024 %');
    expect(stepText(1.1e-3)).toBe('0.11 %');
    expect(stepText(0.01)).toBe('1 %');
    expect(stepText(0.123456)).toBe('12 %');
    expect(stepText(0)).toBe('0 %');
  });

  test('metricText: four decimals; NaN and ∞ where there is no value', () => {
    expect(metricText(0.1)).toBe('0.1000');
    expect(metricText(2.302585)).toBe('2.3026');
    expect(metricText(NaN)).toBe('NaN');
    expect(metricText(Infinity)).toBe('∞');
    expect(metricText(-Infinity)).toBe('−∞');
    expect(meanText(37.4567)).toBe('37.46');
    expect(meanText(0.5)).toBe('0.50');
  });

  test('ratioText: "0.4×" down to 0.1, "1/60" down to 1e-3, then the nearest power of ten; "none" for nothing', () => {
    expect(ratioText(2.5)).toBe('2.5×');
    expect(ratioText(0.4)).toBe('0.4×');
    expect(ratioText(0.1)).toBe('0.1×');
    expect(ratioText(1 / 60)).toBe('1/60');
    expect(ratioText(0.05)).toBe('1/20');
    expect(ratioText(1e-3)).toBe('1/1000');
    expect(ratioText(3e-5)).toBe('10⁻⁵');
    expect(ratioText(9.9e-4)).toBe('10⁻³');
    expect(ratioText(2e-12)).toBe('10⁻¹²');
    expect(ratioText(0)).toBe('none');
    expect(ratioText(-0.5)).toBe('none');
    expect(ratioText(NaN)).toBe('none');
  });

  test('say keeps quantities with their sources and writes numbers as text; plainText joins them', () => {
    const q: Quantity = { text: '41 %', source: 'somewhere' };
    const parts = say`Layer ${1} is ${q} dead${'.'}`;
    expect(parts).toEqual(['Layer ', '1', ' is ', q, ' dead', '.']);
    expect(parts[3]).toBe(q);
    expect(plainText(parts)).toBe('Layer 1 is 41 % dead.');
    expect(say`${q}`).toEqual([q]);
    expect(plainText([])).toBe('');
  });

  test('the tables\' cells: health (a missing layer reads "–") and epochs (no validation reads "–")', () => {
    const s = sample(1, [
      layer(4.1e-4, 2.4e-5, { saturated: 0.97 }, 0.51),
      layer(3e-3, 1e-2, { dead: 0.4149 }),
      layer(1e-2, 1e-3),
    ]);
    expect(healthCells(s, 0)).toEqual({ gradient: '4.1e-4', step: '0.0024 %', mean: '0.51', share: '97 % sat.' });
    expect(healthCells(s, 1).share).toBe('41 % dead');
    expect(healthCells(s, 2).share).toBe('–');
    expect(healthCells(s, 3)).toEqual({ gradient: '–', step: '–', mean: '–', share: '–' });
    expect(epochCells(epoch(1, 0.35, 0.9, null, null))).toEqual({
      loss: '0.3500',
      acc: '0.9000',
      val_loss: '–',
      val_acc: '–',
    });
    expect(layerName(0, 2)).toBe('layer 1');
    expect(layerName(2, 2)).toBe('output layer');
  });
});

describe('what the first review of the rules found, mended', () => {
  test('a ReLU, scaled, Adam run far above Adam\u2019s usual rate is still offered the setup that learns well (it sets 0.001)', () => {
    expect(fixIds(run({ config: { learningRate: 0.1 }, epochs: CHANCE_EPOCHS }), 'chance')).toEqual(['learns-well']);
  });

  test('the dead finding\u2019s lower rate is the optimizer\u2019s usual one, with the recorded pair of its optimizer', () => {
    const sgd = find(deadRun(0.7, 0, { optimizer: 'sgd', learningRate: 1 }), 'dead')?.fixes.find(
      (f) => f.id === 'lower-lr',
    );
    expect([sgd?.label, sgd?.learningRate]).toEqual(['Use learning rate 0.01', DEFAULT_LR.sgd]);
    expect(sgd?.evidence).toContain('SGD at 1');
    const adam = find(deadRun(0.7, 0, { learningRate: 0.1 }), 'dead')?.fixes.find((f) => f.id === 'lower-lr');
    expect([adam?.label, adam?.learningRate]).toEqual(['Use learning rate 0.001', DEFAULT_LR.adam]);
    expect(adam?.evidence).toContain('Adam at 0.1');
  });

  test('a saturated tanh layer is not described as a sigmoid', () => {
    const tanh = run({
      config: { ...SIGMOID, layers: hidden(32, 'tanh', 'tanh') },
      health: newest(sigmoidLayers(0.9, 0.1)),
    });
    expect(find(tanh, 'saturated')?.text).toContain("where a tanh's slope is almost zero");
    expect(find(tanh, 'saturated')?.text).not.toContain('sigmoid');
  });

  test('what was checked says the loss went up when it did, never that it fell', () => {
    const parts = checkedParts(QUIET_CONFIG.layers, sample(4.98, QUIET_LAYERS), QUIET_EPOCHS, 0.05);
    const text = parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
    expect(text).toContain('the loss went from 0.0500 to 0.0950 (epoch 5)');
    expect(text).not.toContain('fell from 0.0500');
    // Not below the first loss, even when equal to it: "went"; just below it: "fell".
    const from = (first: number) => plainText(checkedParts(QUIET_CONFIG.layers, undefined, QUIET_EPOCHS, first));
    expect(from(0.095)).toMatch(/^the loss went from 0\.0950 to 0\.0950 \(epoch 5\);/);
    expect(from(0.0951)).toMatch(/^the loss fell from 0\.0951 to 0\.0950 \(epoch 5\);/);
  });
});
