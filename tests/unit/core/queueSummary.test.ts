import { describe, expect, test } from 'vitest';
import { experimentById, experimentPlan } from '../../../src/core/experiments';
import { queueItemLabel, queueSummary, type QueueView } from '../../../src/core/queueSummary';

const items = experimentPlan(experimentById('depth'), { repeats: 1, quick: false, dataset: 'mnist', variants: ['relu'] });
const q = (o: Partial<QueueView>): QueueView => ({ status: 'running', items, index: 0, failed: 0, problem: null, ...o });

describe('the queue\u2019s status line', () => {
  test('names the run under way, its variant, the epoch, elapsed and time left', () => {
    expect(queueSummary(q({ index: 7 }), 2, 3, '1 min', '2 min')).toBe('Run 8 of 8: 4×32 relu, seed 1, ReLU instead of sigmoid, epoch 3 · 1 min elapsed · about 2 min left');
    expect(queueSummary(q({}), 2, null, '5 s', null)).toBe('Run 1 of 8: 32 sigmoid, seed 1 · 5 s elapsed');
  });
  test('paused, failed, cancelled and done', () => {
    expect(queueSummary(q({ status: 'paused', index: 1 }), 2, null, null, null)).toBe('Paused at run 2 of 8 (32 relu, seed 1, ReLU instead of sigmoid); resume runs it again.');
    expect(queueSummary(q({ status: 'paused', problem: 'offline.' }), 2, null, null, null)).toBe('Paused: run 1 of 8 (32 sigmoid, seed 1) failed: offline. Resume tries it again.');
    expect(queueSummary(q({ status: 'cancelled', index: 8 }), 2, null, null, null)).toBe('Cancelled at run 8 of 8.');
    expect(queueSummary(q({ status: 'done', index: 8, failed: 1 }), 2, null, null, null)).toBe('Experiment 2 finished: 8 runs, 1 failed.');
    expect(queueItemLabel(undefined)).toBe('');
  });
});
