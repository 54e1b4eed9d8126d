import { describe, expect, test } from 'vitest';
import {
  applyFix,
  CHANCE_ACC,
  DEAD_SHARE,
  diagnose,
  OVERFIT_EPOCHS,
  percent,
  ratioText,
  RECENT_SAMPLES,
  recentHealth,
  SATURATED_SHARE,
  stepText,
  STUCK_CLIPPED,
  STUCK_LOSS,
  VANISHED_GRADIENT,
  VANISHED_UPDATE,
  type DiagnosisInput,
  type FindingId,
  type FixId, healthyText } from '../../../src/core/diagnosis';
import type { HealthSample, LayerHealth } from '../../../src/core/health';
import type { EpochLog } from '../../../src/core/runs';
import { DEFAULT_CONFIG, type Activation, type TrainConfig } from '../../../src/core/spec';

// ---- Made-up measurements, in the shapes core/health.ts defines ----

/** One layer's health; shares default to null (a linear layer or the output layer). */
const layer = (gradRms: number, updateRatio: number, shares: { saturated?: number; dead?: number } = {}): LayerHealth => ({
  gradRms,
  updateRatio,
  actMean: 0.5,
  saturated: shares.saturated ?? null,
  dead: shares.dead ?? null,
});

/** `count` samples of the same layers, ending at x = 1. */
const samples = (layers: LayerHealth[], clipped = 0, count = RECENT_SAMPLES): HealthSample[] =>
  Array.from({ length: count }, (_, i) => ({ x: (i + 1) / count, layers, clipped }));

const epoch = (n: number, acc: number, valAcc: number | null, loss = 1): EpochLog => ({
  epoch: n,
  loss,
  acc,
  valLoss: valAcc === null ? null : loss,
  valAcc,
  seconds: 3,
});

const hidden = (units: number, ...acts: Activation[]) => acts.map((activation) => ({ units, activation }));

const input = (config: Partial<TrainConfig>, health: HealthSample[], epochs: EpochLog[] = [], recentLoss: number | null = 0.3): DiagnosisInput => ({
  config: { ...DEFAULT_CONFIG, ...config },
  health,
  epochs,
  recentLoss,
});

const ids = (i: DiagnosisInput): FindingId[] => diagnose(i).map((f) => f.id);
const find = (i: DiagnosisInput, id: FindingId) => diagnose(i).find((f) => f.id === id);
const fixIds = (i: DiagnosisInput, id: FindingId): FixId[] | undefined => find(i, id)?.fixes.map((f) => f.id);

// The collapsing 4×32 sigmoid network on raw inputs with plain SGD, as this lab measured it.
const collapseConfig: Partial<TrainConfig> = { layers: hidden(32, 'sigmoid', 'sigmoid', 'sigmoid', 'sigmoid') };
const collapseLayers = [
  layer(5.4e-4, 1.1e-4, { saturated: 0.97 }),
  layer(4.1e-4, 2.4e-5, { saturated: 0 }),
  layer(1.3e-3, 7.4e-5, { saturated: 0 }),
  layer(5.6e-3, 3.2e-4, { saturated: 0 }),
  layer(2.5e-2, 1.1e-3),
];
const collapseEpochs = [1, 2, 3, 4, 5].map((n) => epoch(n, 0.112, 0.1135, 2.3));
const collapse = input(collapseConfig, samples(collapseLayers), collapseEpochs, 2.3);

// A healthy 128-unit ReLU network with Adam on scaled inputs.
const healthyConfig: Partial<TrainConfig> = { layers: hidden(128, 'relu'), preprocessing: 'scaled', optimizer: 'adam', learningRate: 0.001 };
const healthyLayers = [layer(3.0e-3, 1.0e-2, { dead: 0.02 }), layer(1.2e-2, 5.1e-3)];
const healthyEpochs = [epoch(1, 0.9, 0.93, 0.35), epoch(2, 0.95, 0.95, 0.18), epoch(3, 0.97, 0.96, 0.11)];

describe('a healthy run', () => {
  test('the 128 ReLU / Adam network gets no finding', () => {
    expect(diagnose(input(healthyConfig, samples(healthyLayers), healthyEpochs, 0.12))).toEqual([]);
  });

  test('a deeper healthy network gets no finding either', () => {
    const layers = [layer(3.0e-3, 1.0e-2, { dead: 0.05 }), layer(4.0e-3, 8.0e-3, { dead: 0.1 }), layer(2.0e-3, 6.0e-3, { saturated: 0.1 }), layer(1.2e-2, 5.1e-3)];
    const config = { ...healthyConfig, layers: [...hidden(64, 'relu', 'relu'), ...hidden(32, 'tanh')] };
    expect(diagnose(input(config, samples(layers), healthyEpochs, 0.12))).toEqual([]);
  });

  test('a run that has not measured anything yet gets no finding', () => {
    expect(diagnose(input(collapseConfig, [], [], null))).toEqual([]);
  });
});

describe('the collapsing 4×32 sigmoid network', () => {
  test('is at chance, its gradient vanishes and its first layer is saturated, in that order', () => {
    expect(ids(collapse)).toEqual(['chance', 'vanishing', 'saturated']);
  });

  test('vanishing names the layer that learns least, with its measured gradient and step', () => {
    const f = find(collapse, 'vanishing');
    // Layer 1's gradient is small too, but its step (1.1e-4) is above VANISHED_UPDATE; layer 3's
    // gradient is 1/19 of the output's, above VANISHED_GRADIENT. Layer 2 gets 4.1e-4 / 2.5e-2.
    expect(f?.text).toBe(
      "The gradient fades on its way back: layer 2 gets 1/61 of the output layer's, and one step moves its weights by 0.0024 % " +
        "(the output layer's by 0.11 %). The early layers barely learn: each sigmoid passes back at most a quarter of the signal.",
    );
    expect(fixIds(collapse, 'vanishing')).toEqual(['relu', 'adam']);
    expect(f?.fixes[0]).toMatchObject({ label: 'Use ReLU', evidence: expect.stringContaining('0.927') as unknown });
    expect(f?.fixes[1]).toMatchObject({ label: 'Use Adam', evidence: expect.stringContaining('0.859') as unknown });
  });

  test('saturated blames the raw pixel values for layer 1', () => {
    const f = find(collapse, 'saturated');
    expect(f?.text).toBe(
      'Layer 1 is 97 % saturated (the raw pixel values 0..255 push its sigmoids to 0 or 1), where their slope is almost zero: its units act as on/off switches.',
    );
    expect(f?.fixes).toEqual([]);
  });

  test('chance quotes the last validation accuracy and offers the setup that learns well', () => {
    const f = find(collapse, 'chance');
    expect(f?.text).toBe(
      'Validation accuracy after epoch 5 is 11 %: guessing among 10 classes gives 10 %. The network has learned next to nothing; the findings below say why.',
    );
    expect(f?.fixes.map((x) => [x.id, x.label])).toEqual([['learns-well', 'Use the setup that learns well']]);
  });
});

describe('chance', () => {
  const layers = samples(healthyLayers);
  test('does not offer the setup that learns well to a run already in it (a tiny run at chance)', () => {
    // healthyConfig is ReLU, scaled inputs and Adam already.
    expect(find(input(healthyConfig, layers, [epoch(1, 0.3, 0.09)]), 'chance')?.fixes).toEqual([]);
  });
  test(`fires at validation accuracy CHANCE_ACC (${CHANCE_ACC}) and below`, () => {
    expect(ids(input(healthyConfig, layers, [epoch(1, 0.3, CHANCE_ACC)]))).toEqual(['chance']);
    expect(find(input(healthyConfig, layers, [epoch(3, 0.3, 0.098)]), 'chance')?.text).toContain('after epoch 3 is 10 %');
  });

  test('does not fire just above it', () => {
    expect(ids(input(healthyConfig, layers, [epoch(1, 0.15, CHANCE_ACC + 0.005)]))).toEqual([]);
  });

  test('alone, it does not point at other findings: it says the network may only be slow', () => {
    const text = find(input(healthyConfig, layers, [epoch(1, 0.3, 0.168)]), 'chance')?.text ?? '';
    expect(text).toContain('Nothing else looks wrong: if its loss is still falling, it may only be slow.');
    expect(text).not.toContain('findings below');
  });

  test('reads the training accuracy when there is no validation set', () => {
    const f = find(input(healthyConfig, layers, [epoch(1, 0.5, null), epoch(2, 0.15, null)]), 'chance');
    expect(f?.text).toMatch(/^Training accuracy after epoch 2 is 15 %/);
    expect(ids(input(healthyConfig, layers, [epoch(1, CHANCE_ACC + 0.005, null)]))).toEqual([]);
  });

  test('only the last epoch counts', () => {
    expect(ids(input(healthyConfig, layers, [epoch(1, 0.1, 0.1), epoch(2, 0.6, 0.7)]))).toEqual([]);
  });
});

describe('stuck', () => {
  // One hidden layer of 32 sigmoid units at learning rate 10: the loss sits near 14.6.
  const config: Partial<TrainConfig> = { layers: hidden(32, 'sigmoid'), learningRate: 10 };
  const layers = [layer(1e-3, 1e-3, { saturated: 0.1 }), layer(5e-3, 1e-3)];

  test('fires on a high loss with most of the batch clipped, and offers a lower learning rate', () => {
    const i = input(config, samples(layers, 0.9), [], 14.6);
    expect(ids(i)).toEqual(['stuck']);
    const f = find(i, 'stuck');
    expect(f?.text).toBe(
      "The loss is stuck near 14.6 (the clip's ceiling is 16.1): the network is confidently wrong on 90 % of the batch, " +
        'giving the true class a probability below 10⁻⁷, and the clipped cross-entropy gives those images no gradient.',
    );
    expect(f?.fixes).toEqual([
      {
        id: 'lower-lr',
        label: 'Use learning rate 0.01',
        evidence: '32 sigmoid units on 6,000 images: learning rate 10 stuck at loss 14.6 (0.10); 0.01 reached 0.44 in 2 epochs; 1 stayed at chance (0.10)',
        learningRate: 0.01,
      },
    ]);
  });

  test(`fires at exactly STUCK_LOSS (${STUCK_LOSS}) and STUCK_CLIPPED (${STUCK_CLIPPED})`, () => {
    expect(ids(input(config, samples(layers, STUCK_CLIPPED), [], STUCK_LOSS))).toEqual(['stuck']);
  });

  test('does not fire just below either threshold, or without a loss or health samples', () => {
    expect(ids(input(config, samples(layers, 0.9), [], STUCK_LOSS - 0.01))).toEqual([]);
    expect(ids(input(config, samples(layers, STUCK_CLIPPED - 0.01), [], 14.6))).toEqual([]);
    expect(ids(input(config, samples(layers, 0.9), [], null))).toEqual([]);
    expect(ids(input(config, [], [], 14.6))).toEqual([]);
  });

  test('ReLU on raw inputs at the default learning rate: scale the inputs, not the learning rate', () => {
    const relu = input({ layers: hidden(64, 'relu', 'relu'), optimizer: 'adam', learningRate: 0.001 }, samples([layer(1e-3, 1e-2, { dead: 0.3 }), layer(1e-3, 1e-2, { dead: 0.2 }), layer(5e-3, 1e-2)], 0.7), [], 10.2);
    expect(find(relu, 'stuck')?.text).toContain('stuck near 10.2');
    expect(find(relu, 'stuck')?.text).toContain('wrong on 70 % of the batch');
    expect(fixIds(relu, 'stuck')).toEqual(['scaled']);
  });

  test('a sigmoid network at the default learning rate gets no fix to offer', () => {
    expect(fixIds(input({ ...config, learningRate: 0.01 }, samples(layers, 0.9), [], 14.6), 'stuck')).toEqual([]);
  });
});

describe('vanishing', () => {
  // Two sigmoid layers; the output layer's gradient RMS is 1e-2.
  const config: Partial<TrainConfig> = { layers: hidden(32, 'sigmoid', 'sigmoid') };
  const out = layer(1e-2, 1e-3);
  const run = (first: LayerHealth) => input(config, samples([first, layer(4e-3, 1e-3, { saturated: 0 }), out]));

  test('fires when a hidden layer gets below VANISHED_GRADIENT of the output gradient and moves below VANISHED_UPDATE', () => {
    const i = run(layer(1e-2 * VANISHED_GRADIENT * 0.98, VANISHED_UPDATE * 0.99, { saturated: 0 }));
    expect(ids(i)).toEqual(['vanishing']);
    expect(find(i, 'vanishing')?.text).toContain('layer 1 gets 1/20 of the output layer');
    expect(find(i, 'vanishing')?.text).toContain('moves its weights by 0.0099 % (the output layer\'s by 0.1 %)');
  });

  test('does not fire when the gradient share is just above VANISHED_GRADIENT', () => {
    expect(ids(run(layer(1e-2 * VANISHED_GRADIENT * 1.02, 1e-6, { saturated: 0 })))).toEqual([]);
  });

  test('does not fire when the step is just above VANISHED_UPDATE', () => {
    expect(ids(run(layer(1e-6, VANISHED_UPDATE * 1.01, { saturated: 0 })))).toEqual([]);
  });

  test('of two vanishing layers it names the one whose weights move least', () => {
    const i = input(config, samples([layer(1e-4, 5e-5, { saturated: 0 }), layer(2e-4, 1e-5, { saturated: 0 }), out]));
    expect(find(i, 'vanishing')?.text).toContain('layer 2 gets 1/50');
    expect(find(i, 'vanishing')?.text).toContain('by 0.001 %');
  });

  test('a network with one hidden layer is not diagnosed with it', () => {
    expect(ids(input({ layers: hidden(32, 'sigmoid') }, samples([layer(1e-6, 1e-7, { saturated: 0 }), out])))).toEqual([]);
  });

  test('fixes: ReLU only for sigmoid/tanh networks, Adam only for plain SGD', () => {
    const layers = samples([layer(1e-5, 1e-6, { dead: 0 }), layer(4e-3, 1e-3, { dead: 0 }), out]);
    const reluSgd = input({ layers: hidden(32, 'relu', 'relu') }, layers);
    expect(fixIds(reluSgd, 'vanishing')).toEqual(['adam']);
    expect(find(reluSgd, 'vanishing')?.text).not.toContain('sigmoid');
    expect(fixIds(input({ layers: hidden(32, 'relu', 'relu'), optimizer: 'adam', learningRate: 0.001 }, layers), 'vanishing')).toEqual([]);
    expect(fixIds(input({ ...config, optimizer: 'momentum' }, samples([layer(1e-5, 1e-6, { saturated: 0 }), layer(4e-3, 1e-3, { saturated: 0 }), out])), 'vanishing')).toEqual(['relu']);
  });

  // Doubtful: a tanh network is told that "each sigmoid passes back at most a quarter of the
  // signal"; it has no sigmoid, and tanh's slope reaches 1.
  test('a tanh network is not told about sigmoids', () => {
    const tanh = input({ layers: hidden(32, 'tanh', 'tanh') }, samples([layer(1e-5, 1e-6, { saturated: 0 }), layer(4e-3, 1e-3, { saturated: 0 }), out]));
    expect(find(tanh, 'vanishing')?.text).not.toContain('sigmoid');
  });
});

describe('saturated', () => {
  const config: Partial<TrainConfig> = { layers: hidden(32, 'sigmoid', 'sigmoid') };
  const run = (share: number) => input(config, samples([layer(3e-3, 1e-2, { saturated: share }), layer(3e-3, 1e-2, { saturated: 0.1 }), layer(1e-2, 5e-3)]));

  test(`fires at SATURATED_SHARE (${SATURATED_SHARE}) and not just below`, () => {
    expect(ids(run(SATURATED_SHARE))).toEqual(['saturated']);
    expect(find(run(SATURATED_SHARE), 'saturated')?.text).toContain('Layer 1 is 50 % saturated');
    expect(ids(run(SATURATED_SHARE - 0.01))).toEqual([]);
  });

  test('tanh layers on scaled inputs: the first saturated layer, its limits, and the others', () => {
    const i = input(
      { layers: [...hidden(64, 'relu'), ...hidden(32, 'tanh', 'tanh')], preprocessing: 'scaled' },
      samples([layer(3e-3, 1e-2, { dead: 0.1 }), layer(3e-3, 1e-2, { saturated: 0.8 }), layer(3e-3, 1e-2, { saturated: 0.6 }), layer(1e-2, 5e-3)]),
    );
    expect(ids(i)).toEqual(['saturated']);
    expect(find(i, 'saturated')?.text).toBe(
      'Layer 2 is 80 % saturated (its tanhs sit at -1 or 1), where their slope is almost zero: its units act as on/off switches. Also saturated: layer 3 60 %.',
    );
    expect(find(i, 'saturated')?.fixes).toEqual([]);
  });

  test('a saturated first layer on scaled inputs is not blamed on raw pixels', () => {
    const i = input({ ...config, preprocessing: 'scaled' }, samples([layer(3e-3, 1e-2, { saturated: 0.9 }), layer(3e-3, 1e-2, { saturated: 0 }), layer(1e-2, 5e-3)]));
    expect(find(i, 'saturated')?.text).toContain('Layer 1 is 90 % saturated (its sigmoids sit at 0 or 1)');
  });
});

describe('dead', () => {
  // Two layers of 64 ReLU units, plain SGD at learning rate 1.
  const config: Partial<TrainConfig> = { layers: hidden(64, 'relu', 'relu'), preprocessing: 'scaled', learningRate: 1 };
  const run = (d1: number, d2: number, lr = 1) =>
    input({ ...config, learningRate: lr }, samples([layer(3e-3, 1e-2, { dead: d1 }), layer(4e-3, 8e-3, { dead: d2 }), layer(1.2e-2, 5e-3)]));

  test('fires on the layer with the most dead units, and offers a lower learning rate', () => {
    expect(ids(run(0.72, 0.55))).toEqual(['dead']);
    const f = find(run(0.72, 0.55), 'dead');
    expect(f?.text).toBe("72 % of layer 1's ReLU units are dead: they output 0 for every image of the batch, so they pass no gradient back and stop learning.");
    expect(f?.fixes).toEqual([
      { id: 'lower-lr', label: 'Lower the learning rate', evidence: '2×64 ReLU on 6,000 images: learning rate 1 left 72 % of layer 1 dead (0.69); 0.1 reached 0.81' },
    ]);
    expect(find(run(0.55, 0.8), 'dead')?.text).toMatch(/^80 % of layer 2's ReLU units are dead/);
  });

  test(`fires at DEAD_SHARE (${DEAD_SHARE}) and not just below`, () => {
    expect(ids(run(DEAD_SHARE, 0))).toEqual(['dead']);
    expect(ids(run(DEAD_SHARE - 0.01, DEAD_SHARE - 0.01))).toEqual([]);
  });

  test('at the default learning rate there is no fix to offer', () => {
    expect(fixIds(run(0.72, 0.1, 0.01), 'dead')).toEqual([]);
  });
});

describe('overfitting', () => {
  /** Validation accuracy rises to 0.95 at epoch 2, then falls `falls` epochs while training accuracy rises. */
  const series = (falls: number, trainRises = true): EpochLog[] => [
    epoch(1, 0.9, 0.93),
    epoch(2, 0.95, 0.95),
    ...Array.from({ length: falls }, (_, k) => epoch(3 + k, trainRises ? 0.96 + 0.01 * k : 0.94 - 0.01 * k, 0.945 - 0.005 * k)),
  ];
  const health = samples(healthyLayers);

  test(`fires after OVERFIT_EPOCHS (${OVERFIT_EPOCHS}) falls in a row, and offers to stop at the best epoch`, () => {
    const i = input(healthyConfig, health, series(OVERFIT_EPOCHS));
    expect(ids(i)).toEqual(['overfitting']);
    const f = find(i, 'overfitting');
    expect(f?.text).toContain(`has fallen for ${OVERFIT_EPOCHS} epochs`);
    expect(f?.text).toContain('It was best after epoch 2 (0.9500).');
    expect(f?.fixes).toEqual([{ id: 'stop-early', label: 'Train for fewer epochs', evidence: "this run's validation accuracy was best after epoch 2", epochs: 2 }]);
  });

  test('does not fire after one fall fewer', () => {
    expect(ids(input(healthyConfig, health, series(OVERFIT_EPOCHS - 1)))).toEqual([]);
  });

  test('does not fire when training accuracy falls too, or without a validation set', () => {
    expect(ids(input(healthyConfig, health, series(OVERFIT_EPOCHS, false)))).toEqual([]);
    const noVal = series(OVERFIT_EPOCHS).map((e) => ({ ...e, valAcc: null, valLoss: null }));
    expect(ids(input(healthyConfig, health, noVal))).toEqual([]);
  });
});

describe('order of the findings', () => {
  test('all six at once come most fundamental first', () => {
    const layers = [
      layer(1e-5, 1e-6, { saturated: 0.9 }),
      layer(1e-3, 1e-3, { dead: 0.8 }),
      layer(4e-3, 1e-3, { saturated: 0 }),
      layer(2e-2, 1e-3),
    ];
    const epochs = [epoch(1, 0.1, 0.3), epoch(2, 0.12, 0.25), epoch(3, 0.14, 0.2), epoch(4, 0.16, 0.15)];
    const config: Partial<TrainConfig> = { layers: [...hidden(32, 'sigmoid'), ...hidden(32, 'relu'), ...hidden(32, 'sigmoid')] };
    expect(OVERFIT_EPOCHS).toBe(3); // the series above falls three times
    expect(ids(input(config, samples(layers, 0.8), epochs, 12))).toEqual(['chance', 'stuck', 'vanishing', 'saturated', 'dead', 'overfitting']);
  });
});

describe('recentHealth', () => {
  const series: HealthSample[] = [1, 2, 3, 4, 5].map((k) => ({
    x: k / 5,
    layers: [layer(k * 1e-3, k * 1e-4, { saturated: k / 10 }), { ...layer(k * 1e-2, k * 1e-3), actMean: k / 10 }],
    clipped: k / 100,
  }));

  test(`averages the last RECENT_SAMPLES (${RECENT_SAMPLES}) samples; null shares stay null`, () => {
    expect(RECENT_SAMPLES).toBe(3);
    const r = recentHealth(series);
    expect(r?.layers).toHaveLength(2);
    expect(r?.layers[0]?.gradRms).toBeCloseTo(4e-3, 12);
    expect(r?.layers[0]?.updateRatio).toBeCloseTo(4e-4, 12);
    expect(r?.layers[0]?.saturated).toBeCloseTo(0.4, 12);
    expect(r?.layers[0]?.dead).toBeNull();
    expect(r?.layers[1]?.gradRms).toBeCloseTo(4e-2, 12);
    expect(r?.layers[1]?.actMean).toBeCloseTo(0.4, 12);
    expect(r?.layers[1]?.saturated).toBeNull();
    expect(r?.clipped).toBeCloseTo(0.04, 12);
  });

  test('fewer samples than that: their mean; another count; none: null', () => {
    expect(recentHealth(series.slice(0, 2))?.layers[0]?.gradRms).toBeCloseTo(1.5e-3, 12);
    expect(recentHealth(series, 1)?.layers[0]?.gradRms).toBeCloseTo(5e-3, 12);
    expect(recentHealth([])).toBeNull();
  });

  test('the diagnosis reads the recent samples, not the start of the run', () => {
    const config: Partial<TrainConfig> = { layers: hidden(32, 'sigmoid') };
    const hot = samples([layer(3e-3, 1e-2, { saturated: 0.9 }), layer(1e-2, 5e-3)], 0, 2);
    const cool = samples([layer(3e-3, 1e-2, { saturated: 0.1 }), layer(1e-2, 5e-3)], 0, RECENT_SAMPLES);
    expect(ids(input(config, [...hot, ...cool]))).toEqual([]);
    expect(ids(input(config, [...cool, ...hot]))).toEqual(['saturated']);
  });
});

describe('number formats', () => {
  test('percent: whole percents, one decimal below 1 %', () => {
    expect(percent(0.97)).toBe('97 %');
    expect(percent(0.5)).toBe('50 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(0)).toBe('0 %');
    expect(percent(0.005)).toBe('0.5 %');
    expect(percent(0.0123)).toBe('1 %');
    // A part is never rounded to all or nothing.
    expect(percent(0.996)).toBe('99.6 %');
    expect(percent(0.9996)).toBe('> 99.9 %');
    expect(percent(0.0004)).toBe('< 0.1 %');
  });

  test('ratioText: "0.4×" down to 0.1, "1/60" down to 1e-3, then a power of ten; "none" for nothing', () => {
    expect(ratioText(2.5)).toBe('2.5×');
    expect(ratioText(0.4)).toBe('0.4×');
    expect(ratioText(0.1)).toBe('0.1×');
    expect(ratioText(1 / 60)).toBe('1/60');
    expect(ratioText(4.1e-4 / 2.5e-2)).toBe('1/61');
    expect(ratioText(0.05)).toBe('1/20');
    expect(ratioText(1e-3)).toBe('1/1000');
    expect(ratioText(3e-5)).toBe('10⁻⁵');
    expect(ratioText(9.9e-4)).toBe('10⁻³'); // the nearest power of ten, not the one below
    expect(ratioText(1e-6)).toBe('10⁻⁶');
    expect(ratioText(2e-12)).toBe('10⁻¹²');
    expect(ratioText(0)).toBe('none');
    expect(ratioText(-0.5)).toBe('none');
    expect(ratioText(NaN)).toBe('none');
  });

  test('stepText: a percentage with two significant digits', () => {
    expect(stepText(2.4e-5)).toBe('0.0024 %');
    expect(stepText(1.1e-3)).toBe('0.11 %');
    expect(stepText(0.01)).toBe('1 %');
    expect(stepText(0.123456)).toBe('12 %');
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
    expect(config.layers[0]?.activation).toBe('sigmoid'); // not mutated
  });

  test('adam switches to Adam at 0.001', () => {
    expect(applyFix(config, { id: 'adam' })).toEqual({ ...config, optimizer: 'adam', learningRate: 0.001 });
  });

  test('scaled scales the inputs', () => {
    expect(applyFix(config, { id: 'scaled' })).toEqual({ ...config, preprocessing: 'scaled' });
  });

  test('lower-lr divides the learning rate by 10, not below the smallest allowed', () => {
    expect(applyFix({ ...config, learningRate: 0.01 }, { id: 'lower-lr' }).learningRate).toBe(0.001);
    expect(applyFix({ ...config, learningRate: 10 }, { id: 'lower-lr' }).learningRate).toBe(1);
    expect(applyFix({ ...config, learningRate: 0.03 }, { id: 'lower-lr' }).learningRate).toBe(0.003);
    expect(applyFix({ ...config, learningRate: 1e-6 }, { id: 'lower-lr' }).learningRate).toBe(1e-6);
    expect(applyFix(config, { id: 'lower-lr' })).toEqual({ ...config, learningRate: 0.001 });
    // A fix that names its learning rate (the stuck loss: back to the optimizer's default) sets it.
    expect(applyFix({ ...config, learningRate: 10 }, { id: 'lower-lr', learningRate: 0.01 }).learningRate).toBe(0.01);
  });

  test('learns-well: every layer ReLU, scaled inputs, Adam at 0.001', () => {
    const out = applyFix(config, { id: 'learns-well' });
    expect(out.layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'relu', 'relu']);
    expect(out.layers.map((l) => l.units)).toEqual([64, 32, 16, 8]);
    expect(out).toMatchObject({ preprocessing: 'scaled', optimizer: 'adam', learningRate: 0.001, epochs: 10, seed: 9, subset: 6000 });
  });

  test('stop-early sets the epochs from the fix; without a usable count the config is unchanged', () => {
    expect(applyFix(config, { id: 'stop-early', epochs: 3 })).toEqual({ ...config, epochs: 3 });
    expect(applyFix(config, { id: 'stop-early' })).toEqual(config);
    expect(applyFix(config, { id: 'stop-early', epochs: 0 })).toEqual(config);
  });

  test('the overfitting finding\'s own fix, applied, trains up to the best epoch', () => {
    const epochs = [epoch(1, 0.9, 0.93), epoch(2, 0.95, 0.95), epoch(3, 0.96, 0.94), epoch(4, 0.97, 0.93), epoch(5, 0.98, 0.92)];
    const f = find(input(healthyConfig, samples(healthyLayers), epochs), 'overfitting')?.fixes[0];
    expect(f).toBeDefined();
    if (f) expect(applyFix(config, f).epochs).toBe(2);
  });
});

describe('healthyText', () => {
  test('names only the checks that ran on this network', () => {
    expect(healthyText([{ activation: 'relu' }])).toBe('no dead units, the loss is not stuck');
    expect(healthyText([{ activation: 'sigmoid' }, { activation: 'relu' }])).toBe("no saturated or dead units, every layer's weights move at each step, the loss is not stuck");
    expect(healthyText([{ activation: 'linear' }])).toBe('the loss is not stuck');
    expect(healthyText([])).toBe('the loss is not stuck');
  });
});
