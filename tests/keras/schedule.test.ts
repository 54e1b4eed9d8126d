// Learning-rate schedules against real Keras 3 (issue 22): the lab's Keras script builds each of the
// lab's schedules (Keras's CosineDecay, PiecewiseConstantDecay and ExponentialDecay; one-cycle as a
// schedule class), and a Keras SGD optimizer driven by it uses, update after update, the rate the
// lab's step uses (core/network/schedule.ts). Skipped, saying why, where Keras is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kerasScript } from '../../src/core/interchange/kerasScript';
import { kerasSplit } from '../../src/core/dataset/split';
import { rateAt } from '../../src/core/network/schedule';
import { DEFAULT_CONFIG, type ScheduleName, type TrainConfig } from '../../src/core/network/spec';
import { findKeras, KERAS_ENV } from './python';

const keras = findKeras();
if (keras.python === null)
  console.warn(
    `Real Keras not found, so the schedule tests are skipped (${keras.why}). Install it with npm run keras:setup.`,
  );

const config = (schedule: ScheduleName, warmup: number, epochs: number, subset: number): TrainConfig => ({
  ...DEFAULT_CONFIG,
  schedule,
  warmup,
  epochs,
  subset,
  learningRate: 0.05,
});

/** Small runs (a few batches an epoch) of every schedule, with and without warm-up, and one of full MNIST's size. */
const CASES: readonly TrainConfig[] = [
  ...(['const', 'step', 'exp', 'cos', 'onecycle'] as const).map((s) => config(s, 0, 4, 1000)),
  config('const', 1, 3, 700),
  config('cos', 2, 5, 500),
  config('step', 0, 3, 130), // 117 training images: 1 batch an epoch, 3 steps in all
  config('onecycle', 0, 2, 5000),
  { ...config('cos', 1, 4, 60000), batchSize: 1024 }, // all of MNIST: 53 batches an epoch
];

function kerasRates(cases: readonly TrainConfig[]): number[][] {
  const dir = mkdtempSync(join(tmpdir(), 'keras-schedule-'));
  const script = join(dir, 'lab.py');
  writeFileSync(script, kerasScript('schedules', [{ config: DEFAULT_CONFIG, tag: null }]));
  const input = cases.map((c) => {
    const split = kerasSplit(c.subset ?? 60000, c.validationSplit, c.batchSize);
    return { config: c, train_count: split.trainCount, steps: c.epochs * split.batchesPerEpoch };
  });
  writeFileSync(join(dir, 'in.json'), JSON.stringify(input));
  const r = spawnSync(
    keras.python ?? 'python3',
    [resolve('keras/schedule_rates.py'), script, join(dir, 'in.json'), join(dir, 'out.json')],
    { encoding: 'utf8', env: KERAS_ENV, timeout: 300_000 },
  );
  if (r.status !== 0) throw new Error(`schedule_rates.py exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as number[][];
}

describe.skipIf(keras.python === null)('learning-rate schedules in real Keras', () => {
  const results = keras.python === null ? [] : kerasRates(CASES);
  test.each(
    CASES.map((c, i) => [`${c.schedule}, warm-up ${c.warmup}, ${c.epochs} epochs of ${c.subset} images`, i] as const),
  )('%s: every update uses the lab\u2019s rate (float32)', (_, i) => {
    const c = CASES[i] as TrainConfig;
    const perEpoch = kerasSplit(c.subset ?? 60000, c.validationSplit, c.batchSize).batchesPerEpoch;
    const got = results[i] as number[];
    expect(got).toHaveLength(c.epochs * perEpoch);
    got.forEach((k, step) => {
      // Keras computes the rate in float32: the rate rounded, and cos and pow in float32, whose
      // error is relative to the full rate (near the end of a cosine, 1 + cos is a difference).
      expect(Math.abs(k - rateAt(c, step, perEpoch))).toBeLessThanOrEqual(
        Math.abs(rateAt(c, step, perEpoch)) * 2e-6 + c.learningRate * 2e-7,
      );
    });
    // The schedule moves: it is not a constant in disguise (but for a constant rate after warm-up).
    if (c.schedule !== 'const') expect(new Set(got).size).toBeGreaterThan(1);
  });
});
