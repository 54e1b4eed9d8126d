import { describe, expect, test } from 'vitest';
import {
  fastestFirst,
  parseTrialTable,
  recallTrial,
  rememberTrial,
  sizeClass,
  trainFlopsPerBatch,
  trialDone,
  trialMsPerBatch,
  trialSentence,
  trialShort,
  trialTimesText,
  TRIALS_STORAGE_KEY,
  type BackendTrial,
  type TrialMark,
} from '../../../../src/core/device/backendTrial';
import type { HiddenLayer } from '../../../../src/core/network/spec';

const layers = (...units: number[]): HiddenLayer[] => units.map((u) => ({ units: u, activation: 'sigmoid' }));
const webgl = { name: 'webgl' as const, label: 'WebGL (software renderer)', ms: 52 };
const wasm = { name: 'wasm' as const, label: 'WebAssembly (CPU, 1 thread)', ms: 9 };
const trial = (over: Partial<BackendTrial> = {}): BackendTrial => ({
  device: 'SwiftShader · 2 cores · 1 WASM thread',
  sizeClass: 24,
  times: [wasm, webgl],
  chosen: 'wasm',
  source: 'measured',
  at: 1000,
  ...over,
});

describe('the arithmetic of one training step, and size classes', () => {
  test('forward and kernel gradient for every layer, the input gradient for all but the first', () => {
    // [32] at 128: 784×32 forward + kernel gradient, 32×10 forward + kernel + input gradient.
    expect(trainFlopsPerBatch(layers(32), 128)).toBe(2 * 128 * 784 * 32 * 2 + 2 * 128 * 32 * 10 * 3);
    expect(trainFlopsPerBatch(layers(512), 128)).toBeCloseTo(0.2094e9, -6);
    expect(trainFlopsPerBatch(layers(32), 256)).toBe(2 * trainFlopsPerBatch(layers(32), 128));
  });

  test('each doubling of the width of the article’s width experiment is its own class; equal arithmetic shares one', () => {
    const classes = [32, 64, 128, 256, 512, 1024, 2048].map((w) => sizeClass(layers(w), 128));
    expect(new Set(classes).size).toBe(7);
    expect(classes).toEqual([...classes].sort((a, b) => a - b));
    expect(sizeClass(layers(32), 128)).toBe(sizeClass(layers(33), 128));
    expect(sizeClass(layers(32), 128)).not.toBe(sizeClass(layers(32), 512));
  });
});

describe('choosing', () => {
  test('the fastest first; ties keep their order; a time that is not a number is never chosen', () => {
    expect(fastestFirst([webgl, wasm]).map((t) => t.name)).toEqual(['wasm', 'webgl']);
    expect(fastestFirst([{ ...webgl, ms: 5 }, wasm]).map((t) => t.name)).toEqual(['webgl', 'wasm']);
    expect(fastestFirst([{ ...webgl, ms: 9 }, wasm]).map((t) => t.name)).toEqual(['webgl', 'wasm']);
    expect(fastestFirst([{ ...wasm, ms: NaN }, webgl]).map((t) => t.name)).toEqual(['webgl']);
  });

  test('the words name each backend and its time, fastest first', () => {
    expect(trialTimesText([webgl, wasm])).toBe(
      'WebAssembly (CPU, 1 thread): 9 ms per batch; WebGL (software renderer): 52 ms',
    );
    expect(
      trialTimesText([
        { ...webgl, ms: 1250.4 },
        { ...wasm, ms: 0.84 },
      ]),
    ).toBe('WebAssembly (CPU, 1 thread): 0.8 ms per batch; WebGL (software renderer): 1,250 ms');
    expect(trialSentence(trial())).toBe(
      'Auto timed the backends (timed just now on this network): WebAssembly (CPU, 1 thread): 9 ms per batch; ' +
        'WebGL (software renderer): 52 ms. Chose WebAssembly, the faster.',
    );
    expect(trialSentence(trial({ source: 'remembered' }))).toContain('remembered from a trial');
    expect(trialSentence(trial({ source: 'injected' }))).toContain('injected by a test');
  });

  test('the control bar’s words are short: the chosen time, and the other backend faster than or about as fast', () => {
    expect(trialShort(trial())).toBe('9 ms a batch, faster than WebGL (52 ms)');
    expect(trialShort(trial({ times: [wasm] }))).toBe('9 ms a batch');
    expect(trialSentence(trial({ times: [wasm] }))).toMatch(/Chose WebAssembly, the only backend timed\.$/);
    expect(trialShort(trial({ times: [] }))).toBe('');
  });

  test('times within 10 % are a tie, said as one; the choice is still named, never called the faster', () => {
    // The case: 11 ms against 11 ms.
    const tie = trial({
      times: [
        { ...wasm, ms: 10.8 },
        { ...webgl, ms: 11.3 },
      ],
    });
    expect(trialShort(tie)).toBe('11 ms a batch, about as fast as WebGL (11 ms)');
    expect(trialSentence(tie)).toMatch(
      /: WebAssembly \(CPU, 1 thread\): 11 ms per batch; WebGL \(software renderer\): 11 ms\. /,
    );
    expect(trialSentence(tie)).toMatch(/About as fast \(within 10 %\); chose WebAssembly\.$/);
    expect(trialSentence(tie)).not.toContain('faster');
    // Exactly 10 % slower is still a tie; just over it is not.
    expect(
      trialShort(
        trial({
          times: [
            { ...wasm, ms: 20 },
            { ...webgl, ms: 22 },
          ],
        }),
      ),
    ).toContain('about as fast as');
    expect(
      trialShort(
        trial({
          times: [
            { ...wasm, ms: 20 },
            { ...webgl, ms: 22.5 },
          ],
        }),
      ),
    ).toBe('20 ms a batch, faster than WebGL (23 ms)');
    // Equal as written (both "0.1 ms") is a tie whatever the margin.
    expect(
      trialShort(
        trial({
          times: [
            { ...wasm, ms: 0.05 },
            { ...webgl, ms: 0.06 },
          ],
        }),
      ),
    ).toBe('0.1 ms a batch, about as fast as WebGL (0.1 ms)');
  });

  test('the words stay true when the choice was not the fastest, and with three backends timed', () => {
    const slower = trial({ chosen: 'webgl' });
    expect(trialShort(slower)).toBe('52 ms a batch, slower than WebAssembly (9 ms)');
    expect(trialSentence(slower)).toMatch(/Chose WebGL\.$/);
    const three = trial({ times: [webgl, wasm, { name: 'cpu', label: 'JavaScript (CPU)', ms: 300 }] });
    expect(trialShort(three)).toBe('9 ms a batch, faster than WebGL (52 ms)');
    expect(trialSentence(three)).toMatch(/JavaScript \(CPU\): 300 ms\. Chose WebAssembly, the fastest\.$/);
  });
});

describe('remembering trials per device and size class', () => {
  test('a measured trial is recalled for its device and class only, as remembered', () => {
    const table = rememberTrial({}, trial());
    expect(recallTrial(table, trial().device, 24)).toMatchObject({
      chosen: 'wasm',
      source: 'remembered',
      times: [wasm, webgl],
    });
    expect(recallTrial(table, trial().device, 25)).toBeNull();
    expect(recallTrial(table, 'NVIDIA · 8 cores · 4 WASM threads', 24)).toBeNull();
  });

  test('injected or remembered times are not written back; a new trial replaces the old of its class', () => {
    expect(rememberTrial({}, trial({ source: 'injected' }))).toEqual({});
    expect(rememberTrial({}, trial({ source: 'remembered' }))).toEqual({});
    const again = rememberTrial(
      rememberTrial({}, trial()),
      trial({ times: [webgl, { ...wasm, ms: 80 }], chosen: 'webgl', at: 2000 }),
    );
    expect(recallTrial(again, trial().device, 24)?.chosen).toBe('webgl');
  });

  test('the table stays small: 40 classes per device and 4 devices, the newest kept', () => {
    let table = {};
    for (let c = 0; c < 50; c++) table = rememberTrial(table, trial({ sizeClass: c, at: c }));
    for (let d = 0; d < 6; d++) table = rememberTrial(table, trial({ device: `device ${d}`, at: 100 + d }));
    expect(Object.keys(table)).toHaveLength(4);
    expect(Object.keys(table)).not.toContain(trial().device);
    expect(recallTrial(table, 'device 5', 24)).not.toBeNull();
    let one = {};
    for (let c = 0; c < 50; c++) one = rememberTrial(one, trial({ sizeClass: c, at: c }));
    expect(recallTrial(one, trial().device, 49)).not.toBeNull();
    expect(recallTrial(one, trial().device, 9)).toBeNull();
    expect(Object.keys(Object.values(one)[0] as object)).toHaveLength(40);
  });

  test('what storage holds is read back whole; anything malformed is dropped, never thrown', () => {
    const stored = JSON.stringify(rememberTrial({}, trial()));
    expect(recallTrial(parseTrialTable(stored), trial().device, 24)?.times).toEqual([wasm, webgl]);
    expect(TRIALS_STORAGE_KEY).toMatch(/^mlp-lab:/);
    for (const bad of [null, '', '{', '[]', '"x"', '{"d":1}', '{"d":{"24":{}}}'])
      expect(parseTrialTable(bad)).toEqual({});
    const wrong = (t: object) => JSON.stringify({ [trial().device]: { '24': { ...trial(), ...t } } });
    expect(parseTrialTable(wrong({ chosen: 'cpu' }))).toEqual({});
    expect(parseTrialTable(wrong({ times: [{ ...wasm, ms: -1 }] }))).toEqual({});
    expect(parseTrialTable(wrong({ times: [{ ...wasm, name: 'metal' }] }))).toEqual({});
    expect(parseTrialTable(wrong({ sizeClass: 25 }))).toEqual({});
    expect(parseTrialTable(JSON.stringify({ other: { '24': trial() } }))).toEqual({});
  });
});

describe('timing a trial from its read-backs', () => {
  const timing = { warmMs: 250, intervals: 2, budgetMs: 1500 };
  /** Read-backs every 3 batches, `ms` per batch for each interval in turn. */
  const marks = (...ms: number[]): TrialMark[] => {
    const out: TrialMark[] = [{ batch: 3, t: 1000 }];
    for (const m of ms) {
      const last = out[out.length - 1] as TrialMark;
      out.push({ batch: last.batch + 3, t: last.t + 3 * m });
    }
    return out;
  };

  test('a backend that starts slow is timed at the speed it settles at, after a quarter second', () => {
    // Cold code: 20 ms per batch, then 2 ms. Warm at the read-back 300 ms after the first (the
    // fifth interval), then two timed intervals.
    const cold = marks(20, 20, 20, 20, 20, 2, 2);
    expect(trialDone(cold.slice(0, 6), timing)).toBe(false);
    expect(trialDone(cold.slice(0, 7), timing)).toBe(false);
    expect(trialDone(cold, timing)).toBe(true);
    expect(trialMsPerBatch(cold, timing)).toBe(2);
    // The mean from the first read-back would have said about 15.
    expect(((cold[7]?.t ?? 0) - 1000) / 21).toBeCloseTo(14.86, 1);
  });

  test('of the timed intervals the fastest counts (a pause of the machine lands on one)', () => {
    expect(trialMsPerBatch(marks(100, 5, 9), timing)).toBe(5);
    expect(trialMsPerBatch(marks(100, 9, 5), timing)).toBe(5);
  });

  test('a large network stops at the budget and gives its mean when no interval followed the warm-up', () => {
    const slow = marks(600);
    // 1.8 s after the first read-back: over the budget, and warm only at that last mark.
    expect(trialDone(slow, timing)).toBe(true);
    expect(trialMsPerBatch(slow, timing)).toBe(600);
    const slower = marks(300, 300);
    expect(trialDone(slower, timing)).toBe(true);
    expect(trialMsPerBatch(slower, timing)).toBe(300);
  });

  test('fewer than two read-backs give no time', () => {
    expect(trialMsPerBatch([], timing)).toBeNaN();
    expect(trialMsPerBatch(marks(), timing)).toBeNaN();
    expect(trialDone(marks(), timing)).toBe(false);
  });
});
