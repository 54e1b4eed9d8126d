import { describe, expect, test } from 'vitest';
import {
  bestSize,
  GROUP_TRIAL_SIZES,
  groupChoice,
  groupTimesText,
  groupTrialKey,
  parseGroupTrials,
  rememberGroupTrial,
  type GroupTrial,
} from '../../../../src/core/runs/groupTrial';
import { GROUP_SIZE } from '../../../../src/core/runs/groups';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/core/network/spec';

const layers = (...units: number[]) => units.map((u) => ({ units: u, activation: 'sigmoid' as const }));
const c32: TrainConfig = { ...DEFAULT_CONFIG, backend: 'wasm', layers: layers(32) };
/** A trial of c32: alone 1 ms a batch; 2: 0.8 ms a network, 4: 0.7, 8: 0.75. */
const trial: GroupTrial = {
  network: groupTrialKey(c32),
  times: [
    { size: 1, msPerRun: 1 },
    { size: 2, msPerRun: 0.8 },
    { size: 4, msPerRun: 0.7 },
    { size: 8, msPerRun: 0.75 },
  ],
  at: 5,
};

describe('the group trial', () => {
  test('it times a run alone and groups up to the largest a queue trains', () => {
    expect(GROUP_TRIAL_SIZES[0]).toBe(1);
    expect(Math.max(...GROUP_TRIAL_SIZES)).toBe(GROUP_SIZE);
  });

  test('a network is known by its widths and batch size, not its activations, seed or rate', () => {
    expect(groupTrialKey(c32)).toBe('32/b128/wasm');
    expect(groupTrialKey({ ...c32, layers: layers(32, 32) })).toBe('32x32/b128/wasm');
    expect(groupTrialKey({ ...c32, layers: [] })).toBe('none/b128/wasm');
    const relu = { ...c32, seed: 9, learningRate: 0.5, layers: [{ units: 32, activation: 'relu' as const }] };
    expect(groupTrialKey(relu)).toBe(groupTrialKey(c32));
    expect(groupTrialKey({ ...c32, batchSize: 32 })).not.toBe(groupTrialKey(c32));
    expect(groupTrialKey({ ...c32, backend: 'cpu' })).toBe('32/b128/cpu');
  });

  test('the size of at most n with the least time per network, and its speed-up over a run alone', () => {
    expect(bestSize(trial, 8)).toEqual({ size: 4, speedup: 1 / 0.7 });
    // 3 runs: 4 was faster than 2, so 3 (between them) at 2's speed-up; 5 runs: 4, since 8 was slower.
    expect(bestSize(trial, 3)).toEqual({ size: 3, speedup: 1 / 0.8 });
    expect(bestSize(trial, 5)).toEqual({ size: 4, speedup: 1 / 0.7 });
    const twoBest = { ...trial, times: trial.times.map((t) => (t.size === 2 ? { ...t, msPerRun: 0.6 } : t)) };
    expect(bestSize(twoBest, 3)).toEqual({ size: 2, speedup: 1 / 0.6 });
    // 4 and 8 as fast: the smaller of equals, 4, for any n from 4 on.
    const tie = { ...trial, times: trial.times.map((t) => (t.size === 8 ? { ...t, msPerRun: 0.7 } : t)) };
    expect(bestSize(tie, 8)).toEqual({ size: 4, speedup: 1 / 0.7 });
    expect(bestSize(tie, 6)).toEqual({ size: 6, speedup: 1 / 0.7 });
    expect(bestSize(trial, 1)).toEqual({ size: 1, speedup: 1 });
    // Groups slower than alone: alone.
    const slower = { ...trial, times: trial.times.map((t) => ({ ...t, msPerRun: t.size === 1 ? 1 : 1.2 })) };
    expect(bestSize(slower, 8)).toEqual({ size: 1, speedup: 1 });
    // No time alone (the trial failed): alone.
    expect(bestSize({ ...trial, times: [] }, 8)).toEqual({ size: 1, speedup: 1 });
  });

  test('a queue asks for a trial only where runs could share a step and have not been timed', () => {
    expect(groupChoice(c32, 4, {})).toBe('trial');
    expect(groupChoice(c32, 4, { [trial.network]: trial })).toEqual({ size: 4, speedup: 1 / 0.7 });
    // One run, a config that cannot share a step, or a network too big to gain: alone, no trial.
    expect(groupChoice(c32, 1, {})).toEqual({ size: 1, speedup: 1 });
    expect(groupChoice({ ...c32, optimizer: 'adam' }, 4, {})).toEqual({ size: 1, speedup: 1 });
    expect(groupChoice({ ...c32, backend: 'webgl' }, 4, {})).toEqual({ size: 1, speedup: 1 });
    expect(groupChoice({ ...c32, backend: 'cpu' }, 4, {})).toBe('trial');
    expect(groupChoice({ ...c32, layers: layers(128) }, 4, {})).toBe('trial');
    expect(groupChoice({ ...c32, layers: layers(256) }, 4, {})).toEqual({ size: 1, speedup: 1 });
    // Quick runs (6,000 images): too short to pay for a trial; a remembered one still counts.
    const quick = { ...c32, subset: 6000 };
    expect(groupChoice(quick, 4, {})).toEqual({ size: 1, speedup: 1 });
    expect(groupChoice(quick, 4, { [trial.network]: trial })).toEqual({ size: 4, speedup: 1 / 0.7 });
    // Two full runs of 5 epochs (2 x 5 x 54,000 images) do.
    expect(groupChoice(c32, 2, {})).toBe('trial');
  });

  test('remembered per network, newest kept; read back only well-formed trials that timed alone and in a group', () => {
    const table = rememberGroupTrial(rememberGroupTrial({}, trial), { ...trial, network: '64/b128/wasm', at: 6 });
    expect(Object.keys(table)).toEqual(['64/b128/wasm', '32/b128/wasm']);
    expect(rememberGroupTrial(table, { ...trial, at: 9 })['32/b128/wasm']?.at).toBe(9);
    // The newest trial is kept even when 60 others are newer (a clock set back).
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`n${i}`, { ...trial, network: `n${i}`, at: 100 + i }]),
    );
    const kept = rememberGroupTrial(many, { ...trial, at: 1 });
    expect(Object.keys(kept)).toHaveLength(60);
    expect(kept['32/b128/wasm']?.at).toBe(1);
    expect(kept.n0).toBeUndefined();
    expect(parseGroupTrials(JSON.stringify(table))).toEqual(table);
    const aloneOnly = { ...trial, times: [{ size: 1, msPerRun: 1 }] };
    const broken = { ...trial, times: [{ size: 0, msPerRun: 1 }, ...trial.times] };
    const misfiled = { ...trial, network: '64/b128/wasm' };
    expect(parseGroupTrials(JSON.stringify({ '32/b128/wasm': aloneOnly }))).toEqual({});
    expect(parseGroupTrials(JSON.stringify({ '32/b128/wasm': broken }))).toEqual({});
    expect(parseGroupTrials(JSON.stringify({ '32/b128/wasm': misfiled }))).toEqual({});
    expect(parseGroupTrials('{not json')).toEqual({});
    expect(parseGroupTrials(null)).toEqual({});
    expect(parseGroupTrials('[]')).toEqual({});
  });

  test('its times in words', () => {
    expect(groupTimesText(trial)).toBe('alone 1 ms a batch; in groups of 2: 0.8 ms a network, 4: 0.7, 8: 0.75');
  });
});
