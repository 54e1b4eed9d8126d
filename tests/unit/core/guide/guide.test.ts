import { describe, expect, test } from 'vitest';
import {
  guideFromQuery,
  initialGuide,
  isArticleNetwork,
  parseStoredGuide,
  stepDone,
  withArticleNetwork,
} from '../../../../src/core/guide/guide';
import { decodeConfig } from '../../../../src/core/link/urlCodec';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { newRunRecord, type RunRecord } from '../../../../src/core/runs/runs';

const run = (at: number, layers: number, testAcc: number | null, status: RunRecord['status'] = 'done'): RunRecord => ({
  ...newRunRecord(`r${at}`, at, {
    ...DEFAULT_CONFIG,
    layers: Array.from({ length: layers }, () => ({ units: 32, activation: 'sigmoid' as const })),
  }),
  status,
  testAcc,
});

describe('the guided start', () => {
  test('each step is done by what a run since the step shows, not by runs before it', () => {
    expect(stepDone(1, [run(5, 1, 0.88)], 10)).toBe(false);
    expect(stepDone(1, [run(15, 1, null, 'running')], 10)).toBe(false);
    expect(stepDone(1, [run(15, 1, 0.88)], 10)).toBe(true);
    // Step 2: a deeper network that broke; 3 layers at 0.41 has not broken yet.
    expect(stepDone(2, [run(15, 3, 0.41)], 10)).toBe(false);
    expect(stepDone(2, [run(15, 4, 0.1135)], 10)).toBe(true);
    expect(stepDone(2, [run(15, 1, 0.1)], 10)).toBe(false);
    expect(stepDone(3, [run(15, 4, 0.1135)], 10)).toBe(false); // read, then Next
    expect(stepDone(4, [run(15, 4, 0.9594)], 10)).toBe(true);
    expect(stepDone(4, [run(15, 1, 0.95)], 10)).toBe(false);
  });

  test('a link picks a step; a first visit starts at 1; a closed guide stays closed', () => {
    expect(guideFromQuery('?guide=2')).toBe(2);
    expect(guideFromQuery('?guide=9')).toBeNull();
    expect(guideFromQuery('?layers=32')).toBeNull();
    // The link's codec knows the parameter: no "unknown parameter" notice for a teacher's link.
    expect(decodeConfig('?guide=2&layers=32', () => 1).notices).toEqual([]);
    expect(initialGuide(null, null, () => 7)).toEqual({ at: 1, since: 0, dismissed: false });
    const closed = { at: 3 as const, since: 1, dismissed: true };
    expect(initialGuide(closed, null, () => 7).at).toBeNull();
    expect(initialGuide(closed, 2, () => 7)).toEqual({ at: 2, since: 7, dismissed: false });
    expect(initialGuide({ at: 2, since: 1, dismissed: false }, null, () => 7)).toEqual({
      at: 2,
      since: 1,
      dismissed: false,
    });
  });

  test('the stored guide is read defensively', () => {
    expect(parseStoredGuide(null)).toBeNull();
    expect(parseStoredGuide('{')).toBeNull();
    expect(parseStoredGuide('"x"')).toBeNull();
    expect(parseStoredGuide('{"at":7,"since":"x","dismissed":1}')).toEqual({ at: null, since: 0, dismissed: false });
    expect(parseStoredGuide('{"at":"done","since":5,"dismissed":true}')).toEqual({
      at: 'done',
      since: 5,
      dismissed: true,
    });
  });

  test('step 1 trains the article network: recognised, and put back with seed, backend and images kept', () => {
    expect(isArticleNetwork(DEFAULT_CONFIG)).toBe(true);
    const other = { ...DEFAULT_CONFIG, layers: [{ units: 64, activation: 'relu' as const }], seed: 9, subset: 3000 };
    expect(isArticleNetwork(other)).toBe(false);
    const back = withArticleNetwork(other);
    expect(isArticleNetwork(back)).toBe(true);
    expect([back.seed, back.subset]).toEqual([9, 3000]);
  });
});
