import { describe, expect, test, vi } from 'vitest';
import { layersArtifacts, WEIGHTS_FILE } from '../../../../src/core/interchange/layersExport';
import type { KeptModel, TrainedModel } from '../../../../src/core/runs/model';
import type { RunRecord } from '../../../../src/core/runs/runs';
import { runsToJson } from '../../../../src/core/runs/runExport';
import { newRunRecord } from '../../../../src/core/runs/runs';
import { DEFAULT_CONFIG } from '../../../../src/core/network/spec';
import {
  createImportSlice,
  IDLE_IMPORT,
  type FileLike,
  type ImportDeps,
  type ImportState,
} from '../../../../src/store/slices/importSlice';
import { createPredictor } from '../../../../src/ml/predictor';

const file = (name: string, content: string | Uint8Array): FileLike => {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    size: bytes.length,
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
  };
};

/** A 784 -> 3 sigmoid -> 10 network whose output follows pixel 0 only: lit -> class 4, else class 1. */
function model(): TrainedModel {
  const k2 = new Float32Array(30);
  k2[0 * 10 + 4] = 40;
  const k1 = new Float32Array(784 * 3);
  k1[0] = 1;
  const b2 = new Float32Array(10);
  b2[1] = 22; // sigmoid(0) * 40 = 20 < 22: blank reads 1; sigmoid(255) * 40 = 40 > 22: lit reads 4
  return {
    layers: [{ units: 3, activation: 'sigmoid' }],
    preprocessing: 'raw',
    dataset: 'mnist',
    kernels: [k1, k2],
    biases: [new Float32Array(3), b2],
  };
}

/**
 * The worker's side, as the worker does it (ml/predictor.ts on TensorFlow.js's CPU backend), on
 * `images`; `pause` runs after each chunk of 1,000 images, after the progress it reports.
 */
function tester(images: Uint8Array, labels: Uint8Array, pause: () => Promise<void>): ImportDeps['testModel'] {
  return async (m, onProgress) => {
    const p = createPredictor(m, true);
    try {
      return await p.test(images, labels, m.preprocessing === 'scaled' ? 1 / 255 : 1, async (tested) => {
        onProgress({ stage: 'testing', tested, total: labels.length });
        await pause();
      });
    } finally {
      p.dispose();
    }
  };
}

function setup(pause: () => Promise<void> = () => Promise.resolve(), unreadable: readonly string[] = []) {
  let state: ImportState = IDLE_IMPORT;
  const added: RunRecord[] = [];
  const kept: { id: string; kept: KeptModel }[] = [];
  const chosen: string[] = [];
  // Test set: 10,000 images, every fifth has pixel 0 lit and is labelled 4, the rest 1; 100 mislabelled.
  const images = new Uint8Array(10_000 * 784);
  const labels = new Uint8Array(10_000);
  for (let i = 0; i < 10_000; i++) {
    const lit = i % 5 === 0;
    if (lit) images[i * 784] = 255;
    labels[i] = i < 100 ? 9 : lit ? 4 : 1;
  }
  const host = {
    imports: IDLE_IMPORT,
    runs: { list: added, unreadable: unreadable.map((key) => ({ key })) },
    addRuns: (r: readonly RunRecord[]) => Promise.resolve(void added.push(...r)),
    keepModel: (id: string, _p: number, k: KeptModel) => void kept.push({ id, kept: k }),
    chooseModel: (id: string | null) => void chosen.push(id ?? ''),
  };
  const actions = createImportSlice(
    (p) => (state = (typeof p === 'function' ? p({ imports: state }) : p).imports ?? state),
    () => ({ ...host, imports: state }),
    { testModel: tester(images, labels, pause), now: () => Date.UTC(2026, 11, 4) },
  );
  return { actions, added, kept, chosen, state: () => state };
}

describe('importing a model', () => {
  test('the exported files become a done run marked imported, tested on the 10,000 test images, kept and chosen for drawings', async () => {
    const s = setup();
    const art = layersArtifacts(model(), 'layers=3&act=sigmoid&pre=raw&seed=9&epochs=2');
    await s.actions.importModel([
      file('model.json', JSON.stringify(art.modelJson)),
      file(WEIGHTS_FILE, new Uint8Array(art.weightData)),
    ]);
    expect(s.state().status).toBe('done');
    const r = s.added[0] as RunRecord;
    expect(r.status).toBe('done');
    expect(r.testAcc).toBeCloseTo(0.99, 12);
    expect(r.origin).toEqual({ kind: 'model', ranOn: 'MLP Lab', file: 'model.json' });
    expect(r.config.seed).toBe(9);
    expect(r.config.epochs).toBe(2);
    expect(r.params).toBe(784 * 3 + 3 + 30 + 10);
    expect(s.kept[0]?.id).toBe(r.id);
    expect(s.kept[0]?.kept.test.preds[5]).toBe(4);
    expect(s.chosen).toEqual([r.id]);
    expect(s.state().message).toMatch(/test accuracy 0\.9900 on the 10,000 test images/);
  });

  test('a missing weights file, a runs file and no model.json each say what to do, and add nothing', async () => {
    const s = setup();
    const art = layersArtifacts(model(), '');
    await s.actions.importModel([file('model.json', JSON.stringify(art.modelJson))]);
    expect(s.state()).toMatchObject({
      status: 'error',
      message:
        "Could not import the model: model.json's weights are in model.weights.bin, which was not chosen: choose it together with model.json.",
    });
    await s.actions.importModel([file('model.weights.bin', new Uint8Array(8))]);
    expect(s.state().message).toMatch(/no \.json file was among the files chosen/);
    await s.actions.importModel([file('model.json', runsToJson([], 0))]);
    expect(s.state().message).toMatch(/This is a runs results file/);
    expect(s.added).toEqual([]);
  });
});

describe('an import that is dismissed or superseded', () => {
  test('while it tests the model, it stops there: no run, no model, and the page says nothing of it', async () => {
    // The worker waits after its first chunk until the import is dismissed, then tests the rest.
    let resume = () => undefined as void;
    let paused = false;
    const s = setup(() =>
      paused ? Promise.resolve() : new Promise<void>((resolve) => ((paused = true), (resume = resolve))),
    );
    const art = layersArtifacts(model(), '');
    const going = s.actions.importModel([
      file('model.json', JSON.stringify(art.modelJson)),
      file(WEIGHTS_FILE, new Uint8Array(art.weightData)),
    ]);
    await vi.waitFor(() => expect(s.state().message).toMatch(/^Testing 3 sigmoid on the test images/));
    s.actions.dismissImport();
    resume();
    await going;
    expect(s.added).toEqual([]);
    expect(s.kept).toEqual([]);
    expect(s.state()).toEqual(IDLE_IMPORT);
  });
});

describe('importing results', () => {
  test('adds the readable runs and says where they ran', async () => {
    const s = setup();
    const run = {
      ...newRunRecord('r1', Date.UTC(2026, 0, 1), DEFAULT_CONFIG),
      status: 'done' as const,
      testAcc: 0.9,
      testLoss: 0.3,
      backend: 'wasm',
    };
    await s.actions.importResults([file('runs.json', runsToJson([run], 0))]);
    expect(s.added.map((r) => r.id)).toEqual(['r1']);
    expect(s.state().message).toBe(
      'Imported 1 run (ran in MLP Lab in another browser (wasm)); they are in the runs table, marked imported.',
    );
    // The same file again: the run is there already and stays as it was.
    await s.actions.importResults([file('runs.json', runsToJson([run], 0))]);
    expect(s.added).toHaveLength(1);
    expect(s.state().message).toBe("No new runs imported. 1 was already in this browser's history and kept as it was.");
    await s.actions.importResults([file('bad.json', '[1,2')]);
    expect(s.state().status).toBe('error');
    expect(s.added).toHaveLength(1);
  });

  // Issue 26, item 5: the README promises that stored records the page cannot read are kept.
  test('a run with the id of a stored record the page could not read is left out, and that record kept', async () => {
    const s = setup(undefined, ['r1']);
    const run = { ...newRunRecord('r1', Date.UTC(2026, 0, 1), DEFAULT_CONFIG), status: 'done' as const, testAcc: 0.9 };
    const other = { ...run, id: 'r2' };
    await s.actions.importResults([file('runs.json', runsToJson([run, other], 0))]);
    expect(s.added.map((r) => r.id)).toEqual(['r2']);
    expect(s.state().message).toMatch(
      /^Imported 1 run .* 1 could not be read and were left out \(r1: a stored record with this id could not be read and is kept\)\.$/,
    );
  });
});
