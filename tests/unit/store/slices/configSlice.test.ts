// One-click changes (issue 25, item 6): each is kept in the visit's history with the settings it
// replaced, so that it can be undone after its bar has gone; undoing one also undoes those after it.
/// <reference types="vite/client" />
import { expect, test } from 'vitest';
import { MAX_CHANGES } from '../../../../src/store/slices/configSlice';
import { fakeWorkerStore } from '../fakeWorker';

const setup = async () => (await fakeWorkerStore('?layers=32,32,32,32&seed=1')).store;

test('changes are kept after the bar goes, and undoing one puts back the settings from before it', async () => {
  const store = await setup();
  const s = () => store.getState();
  const original = s().config;
  s().chooseSetup('learns-well');
  const learnsWell = s().config;
  s().dismissUndo(); // the bar goes
  // A manual edit between changes: it stays part of the settings a later change replaced.
  s().editConfig((c) => ({ ...c, epochs: 7 }));
  s().chooseSetup('article');
  expect(s().changes.map((c) => c.message)).toEqual([
    expect.stringMatching(/learns well/),
    expect.stringMatching(/article’s setup/),
  ]);

  // Undo the newest: back to the learns-well setup with 7 epochs.
  s().undoChange(s().changes[1]?.id ?? -1);
  expect(s().config).toEqual({ ...learnsWell, epochs: 7 });
  expect(s().changes).toHaveLength(1);

  // Undo the first: back to where the visit started; the history is empty.
  s().chooseSetup('article');
  s().undoChange(s().changes[0]?.id ?? -1);
  expect(s().config).toEqual(original);
  expect(s().changes).toEqual([]);
  expect(s().undo).toBeNull();
});

test("the bar's Undo is the history's newest change; the history keeps the last few", async () => {
  const store = await setup();
  const s = () => store.getState();
  const original = s().config;
  s().chooseSetup('learns-well');
  s().undoReplace();
  expect(s().config).toEqual(original);
  expect(s().changes).toEqual([]);
  for (let i = 0; i < MAX_CHANGES + 3; i++) s().chooseSetup(i % 2 === 0 ? 'learns-well' : 'article');
  expect(s().changes).toHaveLength(MAX_CHANGES);
  // An id no longer kept changes nothing.
  const before = s().config;
  s().undoChange(1);
  expect(s().config).toBe(before);
});
