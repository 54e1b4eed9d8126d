import { describe, expect, test } from 'vitest';
import { makeCheck, checkPlan } from '../../../../src/core/diagnosis';
import { experimentById, experimentPlan } from '../../../../src/core/experiments/experiments';
import {
  groupLabel,
  queueItemLabel,
  queueName,
  queueSummary,
  sideSummary,
  sideTrialText,
  type QueueView,
} from '../../../../src/core/experiments/queueSummary';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';

const items = experimentPlan(experimentById('depth'), {
  repeats: 1,
  quick: false,
  dataset: 'mnist',
  variants: ['relu'],
});
const q = (o: Partial<QueueView>): QueueView => ({
  status: 'running',
  items,
  index: 0,
  failed: 0,
  problem: null,
  reused: 0,
  ...o,
});
const e2 = queueName('depth', 2);

describe('the queue\u2019s status line', () => {
  test('names the run under way, its variant, the epoch, elapsed and time left', () => {
    expect(queueSummary(q({ index: 7 }), e2, 3, '1 min', '2 min')).toBe(
      'Training 4×32 relu, seed 1, ReLU instead of sigmoid, epoch 3 · 7 of 8 finished · 1 min elapsed · about 2 min left',
    );
    expect(queueSummary(q({}), e2, null, '5 s', null)).toBe(
      'Training 32 sigmoid, seed 1 · 0 of 8 finished · 5 s elapsed',
    );
    // Two lanes: the costliest first, so the run under way is not the plan's next; 2 finished.
    expect(queueSummary(q({ liveItem: 7, sideItems: [6], done: [4, 5] }), e2, 1, '5 s', null)).toBe(
      'Training 4×32 relu, seed 1, ReLU instead of sigmoid, epoch 1 · 2 of 8 finished · 5 s elapsed',
    );
    expect(sideSummary(q({ liveItem: 7, sideItems: [6] }), 2)).toBe(
      'Beside it, on a second worker: 4×32 sigmoid, seed 1, epoch 2',
    );
  });
  test('paused, failed, cancelled and done', () => {
    expect(queueSummary(q({ status: 'paused', index: 1 }), e2, null, null, null)).toBe(
      'Paused with 1 of 8 runs finished; resume trains the other 7.',
    );
    // Two lanes finish out of order: item 6 finished, items 1 and 7 were stopped.
    expect(queueSummary(q({ status: 'paused', index: 1, done: [6] }), e2, null, null, null)).toBe(
      'Paused with 2 of 8 runs finished; resume trains the other 6.',
    );
    expect(queueSummary(q({ status: 'paused', index: 7 }), e2, null, null, null)).toBe(
      'Paused with 7 of 8 runs finished; resume trains the last one.',
    );
    expect(queueSummary(q({ status: 'paused', problem: 'offline.' }), e2, null, null, null)).toBe(
      'Paused: 32 sigmoid, seed 1 failed: offline. Resume tries it again.',
    );
    expect(queueSummary(q({ status: 'paused', problem: 'offline.', failedItem: 6 }), e2, null, null, null)).toBe(
      'Paused: 4×32 sigmoid, seed 1 failed: offline. Resume tries it again.',
    );
    // Paused as the last run ended: nothing is left to train.
    expect(queueSummary(q({ status: 'paused', index: 8, reused: 2 }), e2, null, null, null)).toBe(
      'Paused with all 8 runs finished (2 more reused from the history: same setup and seed).',
    );
    expect(queueSummary(q({ status: 'cancelled', index: 2, done: [5] }), e2, null, null, null)).toBe(
      'Cancelled with 3 of 8 runs finished.',
    );
    expect(queueSummary(q({ status: 'done', index: 8, failed: 1 }), e2, null, null, null)).toBe(
      'Experiment 2 finished: 8 runs, 1 failed.',
    );
    expect(queueItemLabel(undefined)).toBe('');
    // One run is one run.
    const one = q({ status: 'done', index: 1 });
    expect(queueSummary({ ...one, items: one.items.slice(0, 1) }, e2, null, null, null)).toBe(
      'Experiment 2 finished: 1 run.',
    );
    expect(queueSummary(q({ status: 'done', items: [], reused: 1 }), e2, null, null, null)).toBe(
      'Experiment 2: its run was already in the history (same setup and seed), so it was not trained again.',
    );
  });
  test('runs reused from the history are said, and a plan the history already holds trains nothing (issue 21)', () => {
    expect(queueSummary(q({ reused: 4 }), e2, null, '5 s', null)).toBe(
      'Training 32 sigmoid, seed 1 · 0 of 8 finished · 5 s elapsed (4 more reused from the history: same setup and seed)',
    );
    expect(queueSummary(q({ status: 'done', index: 8, reused: 4 }), e2, null, null, null)).toBe(
      'Experiment 2 finished: 8 runs (4 more reused from the history: same setup and seed).',
    );
    expect(queueSummary(q({ status: 'done', items: [], reused: 8 }), e2, null, null, null)).toBe(
      'Experiment 2: all 8 runs were already in the history (same setup and seed), so none was trained again.',
    );
  });
  test('a check\u2019s queue is named as such, and each run says which side of the change it is', () => {
    const plan = checkPlan(
      makeCheck(
        'vanishing',
        { id: 'relu', label: 'Use ReLU' },
        { ...DEFAULT_CONFIG, layers: [{ units: 32, activation: 'sigmoid' }] },
        0,
      ),
    );
    const check = q({ items: plan, index: 2 });
    expect(queueName('check', null)).toBe('The check');
    expect(queueSummary(check, queueName('check', null), null, '5 s', null)).toBe(
      'Training 32 relu, seed 1, with the change · 2 of 4 finished · 5 s elapsed',
    );
    expect(queueItemLabel(plan[1])).toBe('32 sigmoid, seed 2, as it was');
    expect(queueSummary({ ...check, status: 'done' }, queueName('check', null), null, null, null)).toBe(
      'The check finished: 4 runs.',
    );
  });
});

describe('a group of runs trained together, many networks in one step', () => {
  const seeds = experimentPlan(experimentById('depth'), { repeats: 3, quick: false, dataset: 'mnist' });
  const at = (layers: number, seed: number) =>
    seeds.findIndex((i) => i.config.layers.length === layers && i.config.seed === seed);
  const g = (o: Partial<QueueView>): QueueView => ({ ...q(o), items: seeds });
  test('is named as its runs: the seeds where only they differ, else every run', () => {
    expect(groupLabel([seeds[at(2, 1)], seeds[at(2, 3)]])).toBe('2×32 sigmoid, seeds 1 and 3');
    expect(groupLabel([seeds[at(2, 1)], seeds[at(2, 2)], seeds[at(2, 3)]])).toBe('2×32 sigmoid, seeds 1, 2 and 3');
    expect(groupLabel([seeds[at(2, 1)]])).toBe('2×32 sigmoid, seed 1');
    expect(groupLabel([seeds[at(2, 1)], seeds[at(3, 1)]])).toBe('2×32 sigmoid, seed 1; 3×32 sigmoid, seed 1');
  });
  test('the side line says how many networks train in one step, and the status line when only they train', () => {
    const side = [at(4, 2), at(4, 3)];
    expect(sideSummary(g({ liveItem: at(4, 1), sideItems: side, sideTogether: true }), 3)).toBe(
      'Beside it, on a second worker, 2 networks in one step: 4×32 sigmoid, seeds 2 and 3, epoch 3',
    );
    // Before the worker has said how it trains them, the line does not say; one after another where it must.
    expect(sideSummary(g({ liveItem: at(4, 1), sideItems: side, sideTogether: null }), null)).toBe(
      'Beside it, on a second worker: 4×32 sigmoid, seeds 2 and 3',
    );
    expect(sideSummary(g({ liveItem: at(4, 1), sideItems: side, sideTogether: false }), 1)).toBe(
      'Beside it, on a second worker, 2 runs one after another: 4×32 sigmoid, seeds 2 and 3, epoch 1',
    );
    expect(
      queueSummary(g({ liveItem: null, sideItems: side, index: 10, sideTogether: true }), e2, 1, '5 s', null),
    ).toBe('Training 4×32 sigmoid, seeds 2 and 3, 2 networks in one step, epoch 1 · 10 of 12 finished · 5 s elapsed');
  });

  test('while the side worker times a network, the side line says so; with its trial, the group line gives its speed-up and its numbers', () => {
    const layers = seeds[at(4, 2)]?.config.layers ?? [];
    expect(sideSummary(g({ liveItem: at(4, 1), sideItems: [], sideTiming: layers }), null)).toBe(
      'Beside it, on a second worker: timing 4×32 sigmoid alone and in groups of 2, 4 and 8, to choose how many of its runs to train in one step (the page remembers the times)',
    );
    const trial = {
      network: '32x32x32x32/b128/wasm',
      times: [
        { size: 1, msPerRun: 1.2 },
        { size: 2, msPerRun: 0.8 },
        { size: 4, msPerRun: 1.3 },
      ],
      at: 1,
    };
    const side = [at(4, 2), at(4, 3)];
    const view = g({ liveItem: at(4, 1), sideItems: side, sideTogether: true, sideTrial: trial });
    expect(sideSummary(view, 3)).toBe(
      'Beside it, on a second worker, 2 networks in one step (1.5× a run alone’s speed, as timed here): 4×32 sigmoid, seeds 2 and 3, epoch 3',
    );
    expect(sideTrialText(view)).toBe(
      'Its network’s group trial in this browser: alone 1.2 ms a batch; in groups of 2: 0.8 ms a network, 4: 1.3.',
    );
    // No trial of that size, no gain, one run, or not in one step: no claim.
    const four = [at(4, 2), at(4, 3), at(3, 2), at(3, 3)];
    expect(sideSummary({ ...view, sideItems: four }, null)).toContain(', 4 networks in one step: ');
    expect(sideTrialText({ ...view, sideItems: [at(4, 2)] })).toBeNull();
    expect(sideTrialText({ ...view, sideTogether: false })).toBeNull();
  });
});
