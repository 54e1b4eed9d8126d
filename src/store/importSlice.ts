/**
 * Imports (issue 13): a trained model in TensorFlow.js's Layers format becomes a run in the
 * history, tested here on the test set (its accuracy, confusion matrix and mistakes as for any
 * run) and ready for the draw panel; a runs results file (a Keras script's, or another browser's
 * export) adds its runs, marked with where they ran. The reading and checking is core's
 * (layersImport, forward, runsImport); this calls it and says how it went.
 */
import { evaluation, forwardCost } from '../core/interchange/forward';
import { pickModelFiles, readLayersModel, weightFilesNeeded } from '../core/interchange/layersImport';
import type { KeptModel } from '../core/runs/model';
import { architectureLabel, importedModelRun, makeRunId, type RunRecord } from '../core/runs/runs';
import { MAX_RESULTS_BYTES, readRunsDocument } from '../core/runs/runsImport';
import type { Sample } from '../worker/client';
import { TEST_SIZE, type DatasetName } from '../core/network/spec';

/** A chosen file as the page gets it (a DOM File, or a stand-in in tests). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface ImportState {
  readonly status: 'idle' | 'working' | 'done' | 'error';
  /** What is happening, what came of it, or what does not fit. */
  readonly message: string;
  /** What the lab had to assume about an imported model. */
  readonly notes: readonly string[];
}

export const IDLE_IMPORT: ImportState = { status: 'idle', message: '', notes: [] };

export interface ImportActions {
  /** Imports model.json and its weights file(s) as a run with a kept model. */
  importModel(files: readonly FileLike[]): Promise<void>;
  /** Imports the runs of a results file (mlp-lab-runs JSON). */
  importResults(files: readonly FileLike[]): Promise<void>;
  dismissImport(): void;
}

export interface ImportDeps {
  /** The test images of a dataset (through the worker, which loads and keeps them). */
  testImages(dataset: DatasetName, indices: readonly number[]): Promise<Sample>;
  /** Adds runs to the history and storage. */
  addRuns(records: readonly RunRecord[]): void;
  /** Whether the history already has a run with this id. */
  hasRun(id: string): boolean;
  keepModel(id: string, params: number, kept: KeptModel): void;
  chooseModel(id: string): void;
  now(): number;
  /** Lets the page breathe between chunks of the evaluation. */
  pause?(): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** Multiply-adds per chunk of the evaluation: tens of milliseconds on the main thread. */
const CHUNK_WORK = 4_000_000;

/**
 * A pause that lets the page handle input and paint, through a message rather than a timer: a
 * background tab stretches timers to a second or more, messages not.
 */
function breathe(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function createImportActions(set: (partial: { imports: ImportState }) => void, deps: ImportDeps): ImportActions {
  const pause = deps.pause ?? breathe;
  let seq = 0;
  const say = (mine: number, status: ImportState['status'], text: string, notes: readonly string[] = []) => {
    if (mine === seq) set({ imports: { status, message: text, notes } });
  };

  return {
    async importModel(files) {
      const mine = ++seq;
      const fail = (text: string) => say(mine, 'error', `Could not import the model: ${text}`);
      try {
        const picked = pickModelFiles(files);
        if (!picked.ok) return fail(picked.message);
        say(mine, 'working', `Reading ${picked.value.json.name}…`);
        const text = await picked.value.json.text();
        const needed = weightFilesNeeded(text, picked.value.weights);
        if (!needed.ok) return fail(needed.message);
        const weights = await Promise.all(
          needed.value.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
        );
        const read = readLayersModel(text, weights);
        if (!read.ok) return fail(read.message);
        const { model, config, generatedBy, notes } = read.value;
        const dataset = model.dataset ?? 'mnist';
        say(mine, 'working', `Loading the test images to test ${architectureLabel(model.layers)}…`);
        const sample = await deps.testImages(
          dataset,
          Array.from({ length: TEST_SIZE }, (_, i) => i),
        );
        const ev = evaluation(model, sample.images, sample.labels);
        const chunk = Math.max(1, Math.floor(CHUNK_WORK / forwardCost(model)));
        let result = ev.step(chunk);
        while (!result) {
          say(
            mine,
            'working',
            `Testing ${architectureLabel(model.layers)} on the test images: ${ev.done.toLocaleString('en-US')} of ${TEST_SIZE.toLocaleString('en-US')}…`,
          );
          await pause();
          if (mine !== seq) return;
          result = ev.step(chunk);
        }
        const startedAt = deps.now();
        const record = importedModelRun(makeRunId(startedAt), startedAt, config, result, {
          kind: 'model',
          ranOn: generatedBy ?? 'unknown',
          file: picked.value.json.name,
        });
        const params = record.params;
        deps.addRuns([record]);
        deps.keepModel(record.id, params, { model, test: result.test });
        deps.chooseModel(record.id);
        say(
          mine,
          'done',
          `Imported ${architectureLabel(model.layers)} (${params.toLocaleString('en-US')} parameters): test accuracy ${result.acc.toFixed(4)} on the ${TEST_SIZE.toLocaleString('en-US')} test images. It is in the runs table and reads your drawings now.`,
          notes,
        );
      } catch (e) {
        fail(message(e));
      }
    },

    async importResults(files) {
      const mine = ++seq;
      const fail = (text: string) => say(mine, 'error', `Could not import the results: ${text}`);
      try {
        if (files.length === 0) return;
        const added: RunRecord[] = [];
        const skipped: string[] = [];
        let known = 0;
        for (const f of files) {
          if (f.size > MAX_RESULTS_BYTES)
            return fail(
              `${f.name} is ${(f.size / 1e6).toFixed(1)} MB, too large for a results file (at most ${MAX_RESULTS_BYTES / 1e6} MB).`,
            );
          const r = readRunsDocument(await f.text(), f.name);
          if (!r.ok) return fail(r.message);
          // A run this browser has already (its own export read back) stays as it is.
          for (const run of r.runs) {
            if (deps.hasRun(run.id) || added.some((a) => a.id === run.id)) known++;
            else added.push(run);
          }
          skipped.push(...r.skipped);
        }
        if (mine !== seq) return;
        deps.addRuns(added);
        const where = [...new Set(added.map((r) => r.origin?.ranOn ?? ''))].filter((w) => w !== '').join(', ');
        const skip =
          skipped.length > 0
            ? ` ${skipped.length} could not be read and were left out (${skipped.slice(0, 2).join('; ')}${skipped.length > 2 ? '; …' : ''}).`
            : '';
        const had =
          known > 0
            ? ` ${known} ${known === 1 ? 'was' : 'were'} already in this browser's history and kept as ${known === 1 ? 'it was' : 'they were'}.`
            : '';
        const what =
          added.length === 0
            ? 'No new runs imported.'
            : `Imported ${added.length} run${added.length === 1 ? '' : 's'} (ran in ${where || 'an unknown place'}); they are in the runs table, marked imported.`;
        say(mine, 'done', `${what}${had}${skip}`);
      } catch (e) {
        fail(message(e));
      }
    },

    dismissImport() {
      seq++;
      set({ imports: IDLE_IMPORT });
    },
  };
}
