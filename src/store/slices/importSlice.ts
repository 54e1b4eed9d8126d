/**
 * Imports (issue 13): a trained model in TensorFlow.js's Layers format becomes a run in the
 * history, tested here on the test set (its accuracy, confusion matrix and mistakes as for any
 * run) and ready for the draw panel; a runs results file (a Keras script's, or another browser's
 * export) adds its runs, marked with where they ran. The reading and checking is core's
 * (layersImport, runsImport), the testing the worker's; this calls them and says how it went.
 */
import { pickModelFiles, readLayersModel, weightFilesNeeded } from '../../core/interchange/layersImport';
import type { KeptModel } from '../../core/runs/model';
import { architectureLabel, importedModelRun, makeRunId, type RunRecord } from '../../core/runs/runs';
import { collectRuns, type CollectedRuns, type TextFile } from '../../core/runs/runsImport';
import type { ModelTest, TestProgress } from '../../worker/client';
import type { TrainedModel } from '../../core/runs/model';
import type { TrainConfig } from '../../core/network/spec';
import type { GetState, SetState } from './slice';

/** A chosen file as the page gets it (a DOM File, or a stand-in in tests). */
export interface FileLike extends TextFile {
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads results files against the runs here (core's collectRuns: run here by default, in a worker
 * on the page, worker/resultsClient.ts); `stage` hears what it is doing.
 */
export type ReadResults = (
  files: readonly FileLike[],
  have: readonly string[],
  unreadable: readonly string[],
  stage: (text: string) => void,
) => Promise<CollectedRuns | string>;

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
  /** Tests a model on its dataset's test images (in the worker, which loads and keeps them). */
  testModel(model: TrainedModel, onProgress: (p: TestProgress) => void): Promise<ModelTest>;
  now(): number;
  readResults?: ReadResults;
}

interface Host {
  readonly imports: ImportState;
  readonly runs: { readonly list: readonly RunRecord[]; readonly unreadable: readonly { readonly key: string }[] };
  /** Adds runs to storage and then to the history. */
  addRuns(records: readonly RunRecord[], progress?: (stored: number) => void): Promise<void>;
  keepModel(id: string, params: number, kept: KeptModel): void;
  chooseModel(id: string | null): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createImportSlice(
  set: SetState<Pick<Host, 'imports'>>,
  get: GetState<Host>,
  deps: ImportDeps,
): Pick<Host, 'imports'> & ImportActions {
  let seq = 0;
  const say = (mine: number, status: ImportState['status'], text: string, notes: readonly string[] = []) => {
    if (mine === seq) set({ imports: { status, message: text, notes } });
  };

  return {
    imports: IDLE_IMPORT,
    async importModel(files) {
      const mine = ++seq;
      const fail = (text: string) => say(mine, 'error', `Could not import the model: ${text}`);
      try {
        const read = await readModelFiles(files, (name) => say(mine, 'working', `Reading ${name}…`));
        if (!read.ok) return fail(read.message);
        const { model, notes } = read.value;
        const label = architectureLabel(model.layers);
        say(mine, 'working', `Loading the test images to test ${label}…`);
        const result = await deps.testModel(model, (p) => {
          if (p.stage === 'testing')
            say(
              mine,
              'working',
              `Testing ${label} on the test images: ${p.tested.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}…`,
            );
        });
        if (mine !== seq) return;
        const params = await addImportedModel(get, deps.now(), read.value, result);
        say(
          mine,
          'done',
          `Imported ${label} (${params.toLocaleString('en-US')} parameters): test accuracy ${result.acc.toFixed(4)} on the ${result.test.labels.length.toLocaleString('en-US')} test images. It is in the runs table and reads your drawings now.`,
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
        const { runs } = get();
        const read = await (deps.readResults ?? collectRuns)(
          files,
          runs.list.map((r) => r.id),
          runs.unreadable.map((u) => u.key),
          (text) => say(mine, 'working', text),
        );
        if (typeof read === 'string') return fail(read);
        const { added, known, skipped } = read;
        if (mine !== seq) return;
        // Stored first, then said: closing the tab before this ends is what beforeunload warns of.
        const total = added.length.toLocaleString('en-US');
        await get().addRuns(added, (n) =>
          say(mine, 'working', `Storing the runs: ${n.toLocaleString('en-US')} of ${total}…`),
        );
        say(mine, 'done', resultsText(added, known, skipped));
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

/** model.json and its weights file(s), read and checked; or why not. `reading` hears the file's name. */
async function readModelFiles(files: readonly FileLike[], reading: (name: string) => void) {
  const picked = pickModelFiles(files);
  if (!picked.ok) return picked;
  reading(picked.value.json.name);
  const text = await picked.value.json.text();
  const needed = weightFilesNeeded(text, picked.value.weights);
  if (!needed.ok) return needed;
  const weights = await Promise.all(
    needed.value.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const read = readLayersModel(text, weights);
  return read.ok ? { ok: true as const, value: { ...read.value, file: picked.value.json.name } } : read;
}

/** What a results import says it did: runs added (and where they ran), runs already here, runs left out. */
function resultsText(added: readonly RunRecord[], known: number, skipped: readonly string[]): string {
  const where = [...new Set(added.map((r) => r.origin?.ranOn ?? ''))].filter((w) => w !== '').join(', ');
  const skip =
    skipped.length > 0
      ? ` ${skipped.length.toLocaleString('en-US')} could not be read and were left out (${skipped.slice(0, 2).join('; ')}${skipped.length > 2 ? '; …' : ''}).`
      : '';
  const had =
    known > 0
      ? ` ${known.toLocaleString('en-US')} ${known === 1 ? 'was' : 'were'} already in this browser's history and kept as ${known === 1 ? 'it was' : 'they were'}.`
      : '';
  const what =
    added.length === 0
      ? 'No new runs imported.'
      : `Imported ${added.length.toLocaleString('en-US')} run${added.length === 1 ? '' : 's'} (ran in ${where || 'an unknown place'}); they are in the runs table, marked imported.`;
  return `${what}${had}${skip}`;
}

/** The tested model becomes a run in the history, its model kept and chosen for drawings; its parameter count. */
async function addImportedModel(
  get: GetState<Host>,
  startedAt: number,
  read: { model: TrainedModel; config: TrainConfig; generatedBy: string | null; file: string },
  result: ModelTest,
): Promise<number> {
  const { model, config, generatedBy, file } = read;
  const record = importedModelRun(makeRunId(startedAt), startedAt, config, result, {
    kind: 'model',
    ranOn: generatedBy ?? 'unknown',
    file,
  });
  await get().addRuns([record]);
  get().keepModel(record.id, record.params, { model, test: result.test });
  get().chooseModel(record.id);
  return record.params;
}
