import { describe, expect, test } from 'vitest';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runs';
import { parseConfig, readConfig, readRunRecord, RUN_SCHEMA, toStored } from '../../../../src/core/runs/runSchema';
import { unreadableRun } from '../../../../src/core/runs/unreadable';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

const config: TrainConfig = {
  ...DEFAULT_CONFIG,
  layers: [{ units: 64, activation: 'relu' }],
  optimizer: 'adam',
  learningRate: 0.001,
  subset: 6000,
  dataset: 'fashion',
  seed: 7,
};
const run: RunRecord = {
  ...newRunRecord('0lq8x2k3c-ab12', 1_700_000_000_000, config),
  status: 'done',
  epochs: [{ epoch: 1, loss: 0.4, acc: 0.88, valLoss: 0.35, valAcc: 0.9, seconds: 3 }],
  testAcc: 0.89,
  testLoss: 0.36,
  backend: 'webgl',
  trainCount: 5400,
  valCount: 600,
};

/** A record as the first release wrote it: no schema, no tag, and a config from before some fields existed. */
function firstRelease(): Record<string, unknown> {
  const old: Record<string, unknown> = { ...structuredClone(run) };
  delete old.tag;
  const oldConfig: Record<string, unknown> = { ...run.config };
  for (const k of ['dataset', 'backend', 'subset']) delete oldConfig[k];
  return { ...old, config: oldConfig };
}

describe('item 13: stored runs carry a schema version and are migrated, not hidden', () => {
  test('what this build writes says its schema and reads back equal', () => {
    const stored = toStored(run);
    expect(stored.schema).toBe(RUN_SCHEMA);
    expect(readRunRecord(structuredClone(stored))).toEqual({ ok: true, record: run, from: RUN_SCHEMA });
  });

  test('a record of schema 0 missing fields added since is migrated: each takes what the lab did before it existed', () => {
    const r = readRunRecord(firstRelease());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.from).toBe(0);
    expect(r.record.tag).toBeNull();
    expect(r.record.config).toEqual({ ...config, dataset: 'mnist', backend: 'auto', subset: null });
  });

  test('a record of schema 1 (before the initialiser setting) reads back with Glorot uniform, what it trained with', () => {
    const before: Record<string, unknown> = { ...config };
    delete before.init;
    const r = readRunRecord({ ...toStored(run), schema: 1, config: before });
    expect(r).toEqual({ ok: true, record: { ...run, config: { ...config, init: 'glorot_uniform' } }, from: 1 });
  });

  test('a record of schema 2 (before L2 weight decay) reads back with none, what it trained with', () => {
    const before: Record<string, unknown> = { ...config, l2: undefined };
    delete before.l2;
    const r = readRunRecord({ ...toStored(run), schema: 2, config: before });
    expect(r).toEqual({ ok: true, record: { ...run, config: { ...config, l2: 0 } }, from: 2 });
    expect(readRunRecord({ ...toStored(run), config: { ...config, l2: -1 } })).toEqual({
      ok: false,
      reason: 'L2 weight decay -1 is outside 0..1',
    });
  });

  test('a record of schema 3 (before L1 and max-norm) reads back with neither', () => {
    const before: Record<string, unknown> = { ...config };
    delete before.l1;
    delete before.maxNorm;
    const r = readRunRecord({ ...toStored(run), schema: 3, config: before });
    expect(r).toEqual({ ok: true, record: { ...run, config: { ...config, l1: 0, maxNorm: 0 } }, from: 3 });
  });

  test('an unknown initialiser is a reason', () => {
    expect(readRunRecord({ ...toStored(run), config: { ...config, init: 'orthogonal' } })).toEqual({
      ok: false,
      reason:
        'initialiser "orthogonal" is not one of glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_normal',
    });
  });

  test('a record of schema 1 missing a field is unreadable, with the field named', () => {
    const noSubset: Record<string, unknown> = { ...config };
    delete noSubset.subset;
    expect(readRunRecord({ ...toStored(run), config: noSubset })).toEqual({
      ok: false,
      reason: 'the config has no subset',
    });
  });

  test('a record written by a newer version is unreadable with that reason (kept for that version)', () => {
    const r = readRunRecord({ ...toStored(run), schema: RUN_SCHEMA + 1, config: { something: 'new' } });
    expect(r).toEqual({
      ok: false,
      reason: `it was written by a newer version of the lab (record schema ${RUN_SCHEMA + 1}; this page reads up to ${RUN_SCHEMA})`,
    });
  });

  test.each<[string, unknown, string]>([
    ['not an object', 'run', 'the record is "run", not an object'],
    ['a schema that is no version', { ...toStored(run), schema: 'two' }, 'its schema "two" is not a version'],
    ['a numeric id', { ...toStored(run), id: 7 }, 'its id is 7'],
    [
      'a width beyond the limit',
      { ...toStored(run), config: { ...config, layers: [{ units: 1e9, activation: 'relu' }] } },
      "layer 1's width 1000000000 is outside 1..4096",
    ],
    [
      'an unknown optimizer',
      { ...toStored(run), config: { ...config, optimizer: 'lion' } },
      'optimizer "lion" is not one of sgd, momentum, adam, rmsprop',
    ],
    ['a broken epoch', { ...toStored(run), epochs: [{ epoch: 1 }] }, "epoch 1's numbers are not all numbers"],
    [
      'an unknown tag',
      { ...toStored(run), tag: { experiment: 'nope' } },
      'its experiment tag {"experiment":"nope"} names no experiment run',
    ],
    // Issue 26, item 9: numbers out of their range are refused, not shown.
    ['an accuracy above 1', { ...toStored(run), testAcc: 7 }, 'its test accuracy 7 is outside 0..1'],
    [
      'an epoch accuracy below 0',
      { ...toStored(run), epochs: [{ epoch: 1, loss: 0.5, acc: -0.2, valLoss: null, valAcc: null, seconds: 1 }] },
      "epoch 1's accuracy is outside 0..1",
    ],
    [
      'negative seconds',
      { ...toStored(run), epochs: [{ epoch: 1, loss: 0.5, acc: 0.9, valLoss: null, valAcc: null, seconds: -3 }] },
      'epoch 1 took -3 seconds',
    ],
    [
      'a start in the year 275760',
      { ...toStored(run), startedAt: 8.64e15 },
      'its start time 8640000000000000 is not a time',
    ],
    ['a fractional parameter count', { ...toStored(run), params: 1.5 }, 'its parameter count is 1.5'],
    // Issue 26, item 4: a tag's key becomes a file name in the Keras script.
    [
      'a tag key that is a path',
      { ...toStored(run), tag: { experiment: 'depth', key: '../../x', repeat: 1, quick: false } },
      'its experiment tag {"experiment":"depth","key":"../../x","r… names no experiment run',
    ],
  ])('%s: the reason says what is wrong', (_why, raw, reason) => {
    expect(readRunRecord(raw)).toEqual({ ok: false, reason });
  });

  test('a config is read field by field, not through the URL codec: any learning rate in range comes back exactly', () => {
    const lr = 0.000123456789012345;
    expect(parseConfig({ ...config, learningRate: lr })?.learningRate).toBe(lr);
    expect(readConfig({ ...config, seed: -1 }, true)).toEqual({
      ok: false,
      reason: 'seed -1 is outside 0..4294967295',
    });
  });

  test('an unreadable record keeps its key, and its start time when that can be read', () => {
    expect(unreadableRun('k1', { ...toStored(run), config: null }, 'x')).toEqual({
      key: 'k1',
      reason: 'x',
      startedAt: 1_700_000_000_000,
    });
    expect(unreadableRun('k2', 'junk', 'y')).toEqual({ key: 'k2', reason: 'y', startedAt: null });
    expect(unreadableRun('k3', { startedAt: 1e20 }, 'z').startedAt).toBeNull();
  });
});
