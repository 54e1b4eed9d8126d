import { describe, expect, test } from 'vitest';
import { groupKey, ungroupable } from '../../../../src/core/runs/groups';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

const wasm: TrainConfig = { ...DEFAULT_CONFIG, backend: 'wasm' };

describe('which runs can train together in one step', () => {
  test('runs of one config but for the seed, the learning rate, the initializer and the activations share a key, whatever the order of their fields', () => {
    const reordered = Object.fromEntries(Object.entries({ ...wasm, seed: 9 }).reverse()) as unknown as TrainConfig;
    expect(groupKey({ ...wasm, seed: 2, learningRate: 0.1 })).toBe(groupKey(wasm));
    // Other activations or initializers: the same shapes, so one group too.
    const relu = wasm.layers.map((l) => ({ ...l, activation: 'relu' as const }));
    expect(groupKey({ ...wasm, layers: relu, init: 'he_uniform' })).toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, optimizer: 'momentum' })).toBeNull();
    expect(groupKey(reordered)).toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, epochs: 6 })).not.toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, layers: [{ units: 33, activation: 'sigmoid' }] })).not.toBe(groupKey(wasm));
    expect(groupKey({ ...wasm, preprocessing: 'scaled' })).not.toBe(groupKey(wasm));
  });

  test.each<[string, Partial<TrainConfig>, string]>([
    ['another backend', { backend: 'auto' }, 'groups train on WASM or the CPU only'],
    ['WebGL', { backend: 'webgl' }, 'groups train on WASM or the CPU only'],
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
