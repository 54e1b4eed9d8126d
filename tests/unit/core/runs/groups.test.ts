import { describe, expect, test } from 'vitest';
import { GROUP_SIZE, groupKey, groupMeasured, groupSize, ungroupable } from '../../../../src/core/runs/groups';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';
import { totalParams } from '../../../../src/core/network/params';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runs';

const wasm: TrainConfig = { ...DEFAULT_CONFIG, backend: 'wasm' };

describe('which runs can train together in one step', () => {
  test('runs of one config but for the seed and the learning rate share a key, whatever the order of their fields', () => {
    const reordered = Object.fromEntries(Object.entries({ ...wasm, seed: 9 }).reverse()) as unknown as TrainConfig;
    expect(groupKey({ ...wasm, seed: 2, learningRate: 0.1 })).toBe(groupKey(wasm));
    expect(groupKey(reordered)).toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, epochs: 6 })).not.toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, layers: [{ units: 33, activation: 'sigmoid' }] })).not.toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, preprocessing: 'scaled' })).not.toBe(groupKey(wasm));
  });

  test.each<[string, Partial<TrainConfig>, string]>([
    ['another backend', { backend: 'auto' }, 'groups train on WASM only'],
    ['Adam', { optimizer: 'adam' }, 'only plain SGD'],
    ['the mean squared error', { loss: 'mse' }, 'only cross-entropy'],
    ['dropout', { layers: [{ units: 32, activation: 'sigmoid', dropout: 0.2 }] }, 'no dropout'],
    ['input dropout', { inputDropout: 0.2 }, 'no dropout'],
    [
      'batch normalization',
      { layers: [{ units: 32, activation: 'sigmoid', batchNorm: true }] },
      'no batch normalization',
    ],
    ['L2', { l2: 1e-4 }, 'no weight penalty or max-norm'],
    ['early stopping', { earlyPatience: 3 }, 'no early stopping'],
  ])('%s cannot', (_, change, why) => {
    expect(ungroupable({ ...wasm, ...change })).toBe(why);
    expect(groupKey({ ...wasm, ...change })).toBeNull();
  });
});

describe('how many runs a queue trains together', () => {
  const layers = (units: number) => [{ units, activation: 'sigmoid' as const }];
  test('small networks that can share a step: up to GROUP_SIZE; from about [64] on, or any that cannot: alone', () => {
    expect(GROUP_SIZE).toBe(8);
    expect(groupSize({ ...wasm, layers: layers(32) })).toBe(8);
    expect(groupSize({ ...wasm, layers: [...layers(32), ...layers(32), ...layers(32), ...layers(32)] })).toBe(8);
    expect(groupSize({ ...wasm, layers: layers(64) })).toBe(1);
    expect(groupSize({ ...wasm, layers: layers(128) })).toBe(1);
    expect(groupSize({ ...wasm, layers: layers(512) })).toBe(1);
    expect(groupSize({ ...wasm, layers: layers(32), optimizer: 'adam' })).toBe(1);
    expect(groupSize({ ...DEFAULT_CONFIG, backend: 'webgl', layers: layers(32) })).toBe(1);
  });
});

describe('whether a group pays, as measured by the queue’s own runs', () => {
  const c32: TrainConfig = { ...wasm, layers: [{ units: 32, activation: 'sigmoid' }] };
  let n = 0;
  /** A queue's finished run of `c` on WASM whose epochs after the first took `seconds` (its group's, if any). */
  const queued = (c: TrainConfig, seconds: number, group?: number, o: Partial<RunRecord> = {}): RunRecord => ({
    ...newRunRecord(`r${++n}`, n, c, { experiment: 'depth', key: 'w32d1', repeat: 1, quick: false }),
    status: 'done',
    backend: 'wasm',
    params: totalParams(c.layers),
    trainCount: 54000,
    valCount: 6000,
    epochs: [1, 2, 3].map((epoch) => ({
      epoch,
      loss: 1,
      acc: 0.5,
      valLoss: 1,
      valAcc: 0.5,
      seconds: epoch === 1 ? 9 : seconds,
    })),
    ...(group ? { group } : {}),
    ...o,
  });
  test('no measurement of both kinds: the rule (up to GROUP_SIZE for small networks)', () => {
    expect(groupMeasured(c32, [queued(c32, 0.5)])).toBeNull();
    expect(groupSize(c32, [queued(c32, 0.5)])).toBe(GROUP_SIZE);
  });
  test('a group’s share below a run alone: groups; at or above: alone', () => {
    const faster = [queued(c32, 0.5), queued(c32, 0.5), queued(c32, 1.6, 4)];
    expect(groupMeasured(c32, faster)).toEqual({ alone: 0.5, grouped: 0.4 });
    expect(groupSize(c32, faster)).toBe(GROUP_SIZE);
    const slower = [queued(c32, 0.5), queued(c32, 2.4, 4)];
    expect(groupSize(c32, slower)).toBe(1);
  });
  test('only queue runs of the same network, batch size and images on WASM count', () => {
    const other = [
      queued(c32, 2.4, 4, { tag: null }), // a run by hand
      queued(c32, 2.4, 4, { backend: 'webgl' }),
      queued({ ...c32, batchSize: 32 }, 2.4, 4),
      queued({ ...c32, subset: 6000 }, 2.4, 4),
      queued(c32, 2.4, 4, { status: 'stopped' }),
      queued({ ...c32, layers: [{ units: 33, activation: 'sigmoid' }] }, 2.4, 4),
    ];
    expect(groupMeasured(c32, [queued(c32, 0.5), ...other])).toBeNull();
  });
});
