import { describe, expect, test } from 'vitest';
import { describeEarly, EarlyStopping, earlyStopOf, earlyStopText } from '../../../../src/core/runs/earlyStopping';
import type { EpochLog } from '../../../../src/core/runs/runs';
import { newRunRecord } from '../../../../src/core/runs/runs';
import { readRunRecord, toStored } from '../../../../src/core/runs/runSchema';
import { decodeConfig, encodeConfig } from '../../../../src/core/link/urlCodec';
import { DEFAULT_CONFIG, type Monitor } from '../../../../src/core/network/spec';

/** Epoch logs whose validation loss (or accuracy) is `values`. */
const logs = (values: readonly number[], monitor: Monitor = 'val_loss'): EpochLog[] =>
  values.map((v, i) => ({
    epoch: i + 1,
    loss: 0.5,
    acc: 0.9,
    valLoss: monitor === 'val_loss' ? v : 0.3,
    valAcc: monitor === 'val_accuracy' ? v : 0.9,
    seconds: 1,
  }));
const early = (earlyPatience: number | null, earlyMonitor: Monitor = 'val_loss') => ({
  earlyPatience,
  earlyMonitor,
  validationSplit: 0.1,
});

describe('early stopping, epoch by epoch, as Keras decides', () => {
  test('the first epoch is the best so far; only a strictly better one resets the wait', () => {
    const e = new EarlyStopping(2, 'val_loss');
    expect(logs([0.5, 0.4, 0.4, 0.41, 0.39, 0.5, 0.6]).map((l) => e.update(l))).toEqual([
      'best',
      'best',
      'wait',
      'stop',
      // (after a stop the loop ends; the rule still answers)
      'best',
      'wait',
      'stop',
    ]);
  });
  test('patience 0 stops at the first epoch that is not better, but never on the first epoch', () => {
    expect(earlyStopOf(early(0), logs([0.5, 0.6, 0.4]))).toEqual({ stoppedAfter: 2, restored: 1 });
    expect(earlyStopOf(early(0), logs([0.5]))).toEqual({ stoppedAfter: null, restored: 1 });
  });
  test('accuracy: higher is better', () => {
    expect(earlyStopOf(early(2, 'val_accuracy'), logs([0.9, 0.92, 0.92, 0.91, 0.93], 'val_accuracy'))).toEqual({
      stoppedAfter: 4,
      restored: 2,
    });
  });
  test('a run that never waits long enough ends with its best epoch restored', () => {
    expect(earlyStopOf(early(3), logs([0.5, 0.4, 0.45, 0.3, 0.35]))).toEqual({ stoppedAfter: null, restored: 4 });
  });
  test('without early stopping, or without validation values, nothing is restored', () => {
    expect(earlyStopOf(early(null), logs([0.5, 0.6]))).toBeNull();
    const noVal = logs([0.5, 0.6]).map((l) => ({ ...l, valLoss: null, valAcc: null }));
    expect(earlyStopOf(early(1), noVal)).toBeNull();
  });
});

describe('what the epoch table says', () => {
  test('stopped, not stopped, still training, no validation split', () => {
    expect(earlyStopText(early(2), logs([0.5, 0.4, 0.45, 0.41]), true)).toBe(
      "Early stopping (patience 2, on val_loss) stopped the run after epoch 4: val_loss had not gone below epoch 2's for 2 epochs. The network kept epoch 2's weights; the test result is theirs.",
    );
    expect(earlyStopText(early(1, 'val_accuracy'), logs([0.9, 0.95], 'val_accuracy'), true)).toBe(
      "Early stopping (patience 1, on val_acc) did not stop the run. The network kept epoch 2's weights, its best val_acc; the test result is theirs.",
    );
    expect(earlyStopText(early(2), logs([0.5, 0.4, 0.45]), false)).toBe(
      "Early stopping (patience 2, on val_loss): the best val_loss so far is epoch 2's.",
    );
    expect(earlyStopText({ ...early(2), validationSplit: 0 }, logs([0.5]), true)).toMatch(/needs a validation split/);
    expect(earlyStopText(early(null), logs([0.5]), true)).toBeNull();
    expect(describeEarly(early(3))).toBe('early stopping 3 (val_loss)');
  });
});

describe('early stopping in the link and the record', () => {
  test('early=patience and monitor; absent is off; a bad value is noted', () => {
    const c = decodeConfig('early=4&monitor=val_accuracy').config;
    expect([c.earlyPatience, c.earlyMonitor]).toEqual([4, 'val_accuracy']);
    expect(decodeConfig(encodeConfig(c)).config).toEqual(c);
    expect(decodeConfig('layers=32').config.earlyPatience).toBeNull();
    expect(encodeConfig(DEFAULT_CONFIG)).not.toMatch(/early|monitor/);
    const bad = decodeConfig('early=-2&monitor=loss');
    expect([bad.config.earlyPatience, bad.config.earlyMonitor]).toEqual([0, 'val_loss']);
    expect(bad.notices.map((n) => n.param)).toEqual(['early', 'monitor']);
  });
  test('a record of schema 5 reads as without early stopping; one with it reads back with it', () => {
    const run = newRunRecord('r1', 1000, DEFAULT_CONFIG);
    const config5 = Object.fromEntries(Object.entries(run.config).filter(([k]) => !k.startsWith('early')));
    const r = readRunRecord(JSON.parse(JSON.stringify({ ...toStored(run), schema: 5, config: config5 })));
    if (!r.ok) throw new Error(r.reason);
    expect([r.record.config.earlyPatience, r.record.config.earlyMonitor]).toEqual([null, 'val_loss']);
    const withEarly = newRunRecord('r2', 1000, { ...DEFAULT_CONFIG, earlyPatience: 0, earlyMonitor: 'val_accuracy' });
    const back = readRunRecord(JSON.parse(JSON.stringify(toStored(withEarly))));
    if (!back.ok) throw new Error(back.reason);
    expect(back.record.config).toEqual(withEarly.config);
  });
});
