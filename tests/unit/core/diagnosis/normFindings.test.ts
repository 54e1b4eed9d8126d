import { describe, expect, test } from 'vitest';
import { diagnose, type DiagnosisInput } from '../../../../src/core/diagnosis/rules';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import type { EpochLog } from '../../../../src/core/runs/runs';

// Batch normalization's moving statistics: validation far behind training early in a run of few
// batches is said with that cause (and the epochs that let them settle), not as "at chance".
const epoch = (n: number, acc: number, valAcc: number): EpochLog => ({
  epoch: n,
  loss: 1,
  acc,
  valLoss: 2.2,
  valAcc,
  seconds: 1,
});
const normed: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 64, activation: 'relu', batchNorm: true }],
  preprocessing: 'scaled',
  optimizer: 'adam',
  learningRate: 0.001,
  subset: 2000,
  epochs: 3,
};
const input = (config: TrainConfig, epochs: EpochLog[]): DiagnosisInput => ({
  config,
  health: [],
  epochs,
  samples: [],
  finished: true,
});
const ids = (i: DiagnosisInput) => diagnose(i).map((f) => `${f.id} (${f.level})`);

describe('moving statistics still settling', () => {
  test('2,000 images (1,800 train) in batches of 128 (15 an epoch), 3 epochs: 45 batches, 63.6 % of the start left; validation at chance', () => {
    const i = input(normed, [epoch(1, 0.6, 0.1), epoch(2, 0.8, 0.11), epoch(3, 0.85, 0.12)]);
    expect(ids(i)).toEqual(['moving-stats (fails)']);
    const f = diagnose(i)[0];
    expect(f?.text).toBe(
      "Training accuracy after epoch 3 is 0.8500, validation only 0.1200. Validation, the test and your drawings go through batch normalization's moving statistics, and after 45 batches they still hold 63.6 % of their starting values (mean 0, variance 1): Keras's momentum 0.99 moves them 1 % of the way to each batch's. Training normalizes each batch by its own statistics, so it does not suffer from this. After 300 batches less than 5 % is left: more epochs, smaller batches or more images get there.",
    );
    // 300 batches of 15: 20 epochs, and what is left then, computed.
    expect(f?.fixes.map((x) => [x.id, x.label, x.epochs, x.evidence])).toEqual([
      [
        'more-epochs',
        'Train for 20 epochs',
        20,
        'computed: after 300 batches 4.9 % of the starting values is left (0.99 to that power)',
      ],
    ]);
  });
  test('above chance it holds the run back; a small gap, settled statistics or no batch normalization: nothing', () => {
    expect(ids(input(normed, [epoch(3, 0.9, 0.5)]))).toEqual(['moving-stats (holds-back)']);
    // A gap under 10 points.
    expect(ids(input(normed, [epoch(3, 0.9, 0.81)]))).toEqual([]);
    // All 60,000 images: 422 batches after one epoch, 1.4 % left.
    expect(ids(input({ ...normed, subset: null }, [epoch(1, 0.9, 0.5)]))).not.toContain('moving-stats (holds-back)');
    // 229 batches leave 10.0 %: still said; 230 leave 9.9 %: no longer.
    const perBatch = { ...normed, subset: 1000, validationSplit: 0, batchSize: 1000 };
    expect(ids(input(perBatch, [epoch(229, 0.9, 0.5)]))).toEqual(['moving-stats (holds-back)']);
    expect(ids(input(perBatch, [epoch(230, 0.9, 0.5)]))).toEqual([]);
    const plain = { ...normed, layers: [{ units: 64, activation: 'relu' as const }] };
    expect(ids(input(plain, [epoch(3, 0.85, 0.12)]))).toEqual(['chance (fails)']);
  });
});
