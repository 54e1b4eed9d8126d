// Step in the store (issue 25, item 8): each press asks the worker for one batch of the controls'
// network with the drawing (or none), from a fresh network when the settings changed or after Start
// over; not while a run trains; a unit chosen is read again after the next step.
/// <reference types="vite/client" />
import { expect, test } from 'vitest';
import type { StepResult } from '../../../../src/core/step/step';
import { fakeWorkerStore } from '../fakeWorker';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const result = (step: number): StepResult => ({
  step,
  epoch: 1,
  batch: step,
  batches: 422,
  rate: 0.01,
  size: 128,
  loss: 2.3,
  acc: 0.1,
  backend: 'cpu',
  image: new Float32Array(784),
  source: { kind: 'test', index: 0, label: 7 },
  probs: new Float32Array(10).fill(0.1),
  layers: [],
});

const setup = () => fakeWorkerStore('?layers=16&seed=3');

test('the first Step starts a fresh network; the next continues it; a changed setting or Start over starts afresh', async () => {
  const { store, worker } = await setup();
  const s = () => store.getState();
  s().stepOnce();
  expect(s().step.status).toBe('stepping');
  // A second press while the first is under way asks for nothing more.
  s().stepOnce();
  expect(worker.steps).toHaveLength(1);
  expect(worker.steps[0]).toMatchObject({ reset: true, input: null });
  expect(worker.steps[0]?.config.layers).toEqual([{ units: 16, activation: 'sigmoid' }]);
  worker.stepAnswer(result(1));
  await tick();
  expect(s().step).toMatchObject({ status: 'ready', result: { step: 1 } });

  s().stepOnce();
  expect(worker.steps[1]?.reset).toBe(false);
  worker.stepAnswer(result(2));
  await tick();

  s().editConfig((c) => ({ ...c, learningRate: 0.5 }));
  s().stepOnce();
  expect(worker.steps[2]).toMatchObject({ reset: true, config: { learningRate: 0.5 } });
  worker.stepAnswer(result(1));
  await tick();

  s().resetStep();
  expect(s().step.result).toBeNull();
  s().stepOnce();
  expect(worker.steps[3]?.reset).toBe(true);
});

test('Step says why it waits while a run trains, and asks the worker nothing', async () => {
  const { store, worker } = await setup();
  store.getState().train();
  store.getState().stepOnce();
  expect(worker.steps).toHaveLength(0);
  expect(store.getState().step.problem).toMatch(/A run is training/);
});

test('a unit chosen stays chosen and is read again after the next step', async () => {
  const { store, worker } = await setup();
  const s = () => store.getState();
  s().stepOnce();
  worker.stepAnswer(result(1));
  await tick();
  s().showUnit(0, 5);
  await tick();
  expect(s().step.unit).toMatchObject({ layer: 0, unit: 5, weights: { unit: 5 } });
  s().stepOnce();
  worker.stepAnswer(result(2));
  await tick();
  await tick();
  expect(s().step.unit).toMatchObject({ layer: 0, unit: 5, weights: { unit: 5 } });
  s().closeUnit();
  expect(s().step.unit).toBeNull();
});
