import { describe, expect, test } from 'vitest';
import { guessLoss, lossOf, mseLogitGradient, softmaxRow } from '../../../../src/core/network/loss';
import { mulberry32 } from '../../../../src/core/network/rng';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { readRunRecord, toStored } from '../../../../src/core/runs/runSchema';
import { describeConfig, newRunRecord, setupKey } from '../../../../src/core/runs/runs';
import { runsToCsv } from '../../../../src/core/runs/runExport';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';

const rng = mulberry32(22);
const logitsRow = (spread: number) => Array.from({ length: 10 }, () => (rng() - 0.5) * spread);

describe('the losses', () => {
  test('guessing evenly scores ln 10 ≈ 2.30 in cross-entropy and 0.09 in squared error', () => {
    expect(guessLoss('ce')).toBeCloseTo(Math.log(10), 12);
    expect(guessLoss('mse')).toBeCloseTo(0.09, 12);
  });

  test('the squared error lies between 0 (sure and right) and 0.2 (sure and wrong); cross-entropy is clipped at 16.12', () => {
    const sure = (k: number) => Array.from({ length: 10 }, (_, j) => (j === k ? 1 : 0));
    expect(lossOf('mse', sure(3), 3)).toBe(0);
    expect(lossOf('mse', sure(4), 3)).toBeCloseTo(0.2, 12);
    expect(lossOf('ce', sure(4), 3)).toBeCloseTo(-Math.log(1e-7), 9);
  });

  test("the squared error's gradient through the softmax is the loss's slope (central differences)", () => {
    for (const spread of [1, 6, 20]) {
      const z = logitsRow(spread);
      const label = Math.floor(rng() * 10);
      const grad = mseLogitGradient(softmaxRow(z), label);
      const h = 1e-5;
      z.forEach((_, k) => {
        const up = z.map((v, j) => (j === k ? v + h : v));
        const down = z.map((v, j) => (j === k ? v - h : v));
        const slope = (lossOf('mse', softmaxRow(up), label) - lossOf('mse', softmaxRow(down), label)) / (2 * h);
        expect(grad[k]).toBeCloseTo(slope, 8);
      });
    }
  });

  test('an image the softmax is sure of and wrong about (true class below 1e-7) gets almost no squared-error gradient', () => {
    // What the diagnosis says of confidently wrong images under the squared error: the saturated
    // softmax passes back next to nothing (cross-entropy's clip passes back nothing).
    const z = [30, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const p = softmaxRow(z);
    expect(p[3]).toBeLessThan(1e-7);
    expect(Math.max(...mseLogitGradient(p, 3).map(Math.abs))).toBeLessThan(1e-6);
    // Unsure images get gradients a million times larger.
    expect(Math.max(...mseLogitGradient(softmaxRow(logitsRow(1)), 3).map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('the loss in the link, the record, the CSV and the run name', () => {
  test('loss=mse sets it; a link without it minimises cross-entropy and writes nothing; a bad one is noted', () => {
    const c = decodeConfig('layers=300&loss=mse').config;
    expect(c.loss).toBe('mse');
    expect(encodeConfig(c)).toContain('loss=mse');
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
    expect(decodeConfig('layers=300').config.loss).toBe('ce');
    expect(encodeConfig(decodeConfig('layers=300').config)).not.toContain('loss');
    const bad = decodeConfig('loss=hinge');
    expect(bad.config.loss).toBe('ce');
    expect(bad.notices.map((n) => n.param)).toEqual(['loss']);
  });

  test('a record of schema 7 reads as cross-entropy; one with the squared error reads back with it', () => {
    const run = newRunRecord('r1', 1000, DEFAULT_CONFIG);
    const v7 = { ...toStored(run), schema: 7, config: { ...run.config, loss: undefined } };
    const r = readRunRecord(JSON.parse(JSON.stringify(v7)));
    if (!r.ok) throw new Error(r.reason);
    expect(r.from).toBe(7);
    expect(r.record.config.loss).toBe('ce');
    const mse = newRunRecord('r2', 1000, { ...DEFAULT_CONFIG, loss: 'mse' });
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(mse))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(mse.config);
    const wrong = readRunRecord({ ...toStored(mse), config: { ...mse.config, loss: 'hinge' } });
    expect(wrong.ok ? 'read' : wrong.reason).toContain('loss');
  });

  test('the run name, the setup key and the CSV say it', () => {
    const mse = { ...DEFAULT_CONFIG, loss: 'mse' as const };
    expect(describeConfig(mse)).toContain(' · MSE loss');
    expect(describeConfig(DEFAULT_CONFIG)).not.toContain('loss');
    expect(setupKey(mse)).not.toBe(setupKey(DEFAULT_CONFIG));
    const csv = runsToCsv([{ ...newRunRecord('r', 1000, mse), status: 'done' }]).split('\n');
    const header = (csv[0] ?? '').split(',');
    expect((csv[1] ?? '').split(',')[header.indexOf('loss')]).toBe('mse');
  });
});
