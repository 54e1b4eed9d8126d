import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import { newRunRecord } from '../../../../src/core/runs/runs';
import { memoryRuns } from '../../../../src/store/runsDb';
import { createLabStore } from '../../../../src/store/store';
import { fakeWorker } from '../fakeWorker';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const storage = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};
let t = 1_000;
const now = () => (t += 1000);

describe('the guide in the store', () => {
  test('a first visit shows step 1; a run done moves it on; closed, it stays closed after a reload', async () => {
    const s = storage();
    const repo = memoryRuns();
    const store = createLabStore('', (cb) => fakeWorker().makeClient(cb), repo, now, s);
    await tick();
    expect(store.getState().guide.at).toBe(1);
    const done = { ...newRunRecord('a', t + 1, DEFAULT_CONFIG), status: 'done' as const, testAcc: 0.88 };
    await store.getState().addRuns([done]);
    expect(store.getState().guide.at).toBe(2);
    store.getState().dismissGuide();
    const again = createLabStore('', (cb) => fakeWorker().makeClient(cb), repo, now, s);
    await tick();
    expect(again.getState().guide.at).toBeNull();
    again.getState().startGuide(1); // "Start here"
    expect(again.getState().guide).toMatchObject({ at: 1, dismissed: false });
  });

  test('?guide=3 opens step 3 even when closed; Next goes on; runs from an earlier visit keep a never-seen guide closed', async () => {
    const s = storage();
    s.setItem('mlp-lab-guide', JSON.stringify({ at: null, since: 0, dismissed: true }));
    const store = createLabStore('?guide=3', (cb) => fakeWorker().makeClient(cb), memoryRuns(), now, s);
    expect(store.getState().guide.at).toBe(3);
    store.getState().nextGuideStep();
    expect(store.getState().guide.at).toBe(4);
    const old = { ...newRunRecord('old', 5, DEFAULT_CONFIG), status: 'done' as const, testAcc: 0.88 };
    const returning = createLabStore('', (cb) => fakeWorker().makeClient(cb), memoryRuns([old]), now, storage());
    await tick();
    expect(returning.getState().guide.at).toBeNull();
  });
});
