/**
 * Reading a runs results file back into the history (issue 13): the lab's own JSON export
 * ('mlp-lab-runs', from another browser) or what a generated Keras script wrote. Each run is
 * checked as a stored record is (core/runs/runSchema.ts) and marked with where it ran; a run that
 * cannot be read is skipped with the reason, never allowed to stop the others. Pure.
 */
import { isObject, readRunRecord } from './runSchema';
import type { RunOrigin, RunRecord } from './runs';

/** The largest results file read: about 110,000 runs of five epochs as the lab's Export JSON writes them. */
export const MAX_RESULTS_BYTES = 200_000_000;

/** A chosen file as the page or a worker gets it (a DOM File, or a stand-in in tests). */
export interface TextFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
}

/** What results files add: runs new here, how many this browser has already, and runs left out with why. */
export interface CollectedRuns {
  readonly added: readonly RunRecord[];
  readonly known: number;
  readonly skipped: readonly string[];
}

export type RunsImport =
  | { readonly ok: true; readonly runs: readonly RunRecord[]; readonly skipped: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** The export writes NaN and ±Infinity (a diverged loss) as strings: back to numbers. */
const num = (x: unknown): unknown =>
  x === 'NaN' ? Number.NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x;

/** Where a run in the file ran: a Keras script's backend, or another browser's. */
function ranOn(x: Record<string, unknown>): string {
  const backend = typeof x.backend === 'string' ? x.backend : null;
  if (x.ranOn === 'keras') return backend ?? 'Keras';
  if (isObject(x.origin) && typeof x.origin.ranOn === 'string') return x.origin.ranOn;
  return `MLP Lab in another browser${backend ? ` (${backend})` : ''}`;
}

/** The runs in `text` (a results file called `file`), or why the file cannot be read at all. */
export function readRunsDocument(text: string, file: string): RunsImport {
  if (text.length > MAX_RESULTS_BYTES)
    return {
      ok: false,
      message: `${file} is too large for a results file (${(text.length / 1e6).toFixed(1)} MB; at most ${MAX_RESULTS_BYTES / 1e6} MB).`,
    };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${file} is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (!isObject(doc) || doc.format !== 'mlp-lab-runs') {
    const hint =
      isObject(doc) && (doc.modelTopology !== undefined || doc.format === 'layers-model')
        ? ' It is a model: import it with "Import model".'
        : '';
    return {
      ok: false,
      message: `${file} is not a runs results file (format "mlp-lab-runs", as the lab's Export JSON and its Keras scripts write).${hint}`,
    };
  }
  if (!Array.isArray(doc.runs)) return { ok: false, message: `${file} has no list of runs.` };
  const runs: RunRecord[] = [];
  const skipped: string[] = [];
  doc.runs.forEach((x: unknown, i) => {
    if (!isObject(x)) {
      skipped.push(`run ${i + 1}: not an object`);
      return;
    }
    const startedAt = typeof x.started === 'string' ? Date.parse(x.started) : Number.NaN;
    const epochs = Array.isArray(x.epochs)
      ? x.epochs.map((e: unknown) => (isObject(e) ? { ...e, loss: num(e.loss), valLoss: num(e.valLoss) } : e))
      : x.epochs;
    const raw = {
      ...x,
      schema: 0,
      startedAt,
      epochs,
      testLoss: num(x.testLoss),
      tag: x.tag ?? null,
      origin: undefined,
    };
    const r = readRunRecord(raw);
    if (!r.ok) {
      skipped.push(
        `run ${i + 1}${typeof x.id === 'string' ? ` (${x.id.length > 40 ? `${x.id.slice(0, 40)}…` : x.id})` : ''}: ${r.reason}`,
      );
      return;
    }
    const origin: RunOrigin = { kind: 'results', ranOn: ranOn(x), file };
    // (Read as an unversioned record: fields a file leaves out take their defaults.)
    // A run still 'running' when it was written will never finish here.
    const status = r.record.status === 'running' ? 'stopped' : r.record.status;
    runs.push({ ...r.record, status, origin });
  });
  if (runs.length === 0 && skipped.length > 0)
    return {
      ok: false,
      message: `No run in ${file} could be read: ${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? '; …' : ''}.`,
    };
  return { ok: true, runs, skipped };
}

/**
 * The runs of results files that are new here (`have`: ids of the runs this browser holds); runs
 * it has already are counted (`known`), and runs with the id of a stored record it could not read
 * (`unreadable`) are left out with the reason (that record is kept, not overwritten). A string:
 * why the files cannot be imported. `stage` hears what is being done, for a status line. Sizes are
 * checked before anything is read.
 */
export async function collectRuns(
  files: readonly TextFile[],
  have: Iterable<string>,
  unreadable: Iterable<string>,
  stage: (text: string) => void = () => undefined,
): Promise<CollectedRuns | string> {
  const added: RunRecord[] = [];
  const skipped: string[] = [];
  let known = 0;
  const ids = new Set(have);
  const bad = new Set(unreadable);
  for (const f of files)
    if (f.size > MAX_RESULTS_BYTES)
      return `${f.name} is ${(f.size / 1e6).toFixed(1)} MB, too large for a results file (at most ${MAX_RESULTS_BYTES / 1e6} MB).`;
  for (const f of files) {
    stage(`Reading ${f.name} (${(f.size / 1e6).toFixed(1)} MB)…`);
    const text = await f.text();
    stage(`Checking the runs in ${f.name}…`);
    const r = readRunsDocument(text, f.name);
    if (!r.ok) return r.message;
    // A run this browser has already (its own export read back) stays as it is.
    for (const run of r.runs) {
      if (bad.has(run.id)) skipped.push(`${run.id}: a stored record with this id could not be read and is kept`);
      else if (ids.has(run.id)) known++;
      else {
        ids.add(run.id);
        added.push(run);
      }
    }
    skipped.push(...r.skipped);
  }
  return { added, known, skipped };
}
