// The learning-rate finder in the store: one click runs it on the controls' network (not while a run
// trains), its points arrive as they come, the suggestion is worked out at the end, and Use puts it
// into the config (and so the link).
/// <reference types="vite/client" />
import { expect, test } from 'vitest';
import { encodeConfig } from '../../../../src/core/link/urlCodec';
import { fakeWorkerStore } from '../fakeWorker';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

test('the finder runs on the controls’ network, suggests a rate, and Use sets it', async () => {
  const { store } = await fakeWorkerStore('?layers=16&opt=adam&seed=3');
  const s = () => store.getState();
  s().findRate();
  expect(s().finder.config?.layers).toEqual([{ units: 16, activation: 'sigmoid' }]);
  await tick();
  expect(s().finder.status).toBe('done');
  expect(s().finder.points.length).toBeGreaterThan(100);
  const rate = s().finder.suggestion?.rate;
  expect(rate).toBeGreaterThan(0.8e-3);
  expect(rate).toBeLessThan(1.25e-3);
  s().applyFoundRate();
  expect(s().config.learningRate).toBe(rate);
  expect(encodeConfig(s().config)).toContain(`lr=${rate}`);
});

test('not while a run trains: it says why and asks the worker for nothing', async () => {
  const { store } = await fakeWorkerStore('?layers=16&seed=3');
  store.getState().train();
  store.getState().findRate();
  expect(store.getState().finder.status).toBe('idle');
  expect(store.getState().finder.problem).toContain('A run is training');
});
