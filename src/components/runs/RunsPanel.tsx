import { useMemo, useState } from 'react';
import type { RunRecord } from '../../core/runs/runs';
import { runsToCsv, runsToJson } from '../../core/runs/runExport';
import { useActions, useModels, useRuns } from '../../store/hooks';
import { ImportControls } from './ImportControls';
import { downloadText } from '../lib/download';
import { kerasScript } from '../../core/interchange/kerasScript';
import { RunRow } from './RunRow';
import { StorageLine } from './StorageLine';
import { UnreadableRuns } from './UnreadableRuns';

/** The time in a file name: 2026-12-05-06-01-30. */
const fileStamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** Rows shown at first and added per "Show more": a long history must not make every update slow. */
export const RUNS_PAGE = 25;

/** Every kept run, newest first: tick runs to compare and export, load one's config, delete. */
export function RunsPanel() {
  const { list: runs, loaded, problem, selected } = useRuns('list', 'loaded', 'problem', 'selected');
  const [shown, setShown] = useState(RUNS_PAGE);
  const tickedIds = useMemo(() => new Set(selected), [selected]);
  const chosen = useMemo(() => runs.filter((r) => tickedIds.has(r.id)), [runs, tickedIds]);

  return (
    <section className="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {problem ? (
        <p className="small notice-inline" role="status">
          {problem} <UnsavedDownload runs={runs} />
        </p>
      ) : null}
      <RunsActions runs={runs} chosen={chosen} />
      <ImportControls />
      <UnreadableRuns />
      <StorageLine />
      {!loaded ? <p className="small muted">Reading kept runs…</p> : null}
      {loaded && runs.length === 0 ? (
        <p className="small muted">No runs yet. Every run you train is kept here, also after a reload.</p>
      ) : null}
      {runs.length > 0 ? (
        <RunsTable
          runs={runs}
          shown={shown}
          tickedIds={tickedIds}
          allTicked={runs.length > 0 && chosen.length === runs.length}
        />
      ) : null}
      {runs.length > shown ? (
        <p className="small">
          Showing the newest {shown} of {runs.length.toLocaleString('en-US')} runs.{' '}
          <button type="button" data-testid="runs-show-more" onClick={() => setShown((n) => n + RUNS_PAGE)}>
            Show {Math.min(RUNS_PAGE, runs.length - shown)} more
          </button>
        </p>
      ) : null}
    </section>
  );
}

/** Exports and delete for the ticked runs, and how many are ticked. */
function RunsActions({ runs, chosen }: { runs: readonly RunRecord[]; chosen: readonly RunRecord[] }) {
  const { deleteRuns } = useActions();
  const stamp = fileStamp();
  return (
    <div className="buttons runs-actions">
      <button
        type="button"
        data-testid="export-csv"
        disabled={chosen.length === 0}
        onClick={() => downloadText(`mlp-lab-runs-${stamp}.csv`, runsToCsv(chosen), 'text/csv')}
      >
        Export CSV
      </button>
      <button
        type="button"
        data-testid="export-json"
        disabled={chosen.length === 0}
        onClick={() => downloadText(`mlp-lab-runs-${stamp}.json`, runsToJson(chosen, Date.now()), 'application/json')}
      >
        Export JSON
      </button>
      <button
        type="button"
        data-testid="export-keras"
        disabled={chosen.length === 0}
        title="A Python file (Keras 3) that trains the ticked runs' networks and writes results the lab's JSON format"
        onClick={() =>
          downloadText(
            `mlp-lab-runs-${stamp}.py`,
            kerasScript(`${chosen.length} MLP Lab run${chosen.length === 1 ? '' : 's'}`, chosen),
            'text/x-python',
          )
        }
      >
        Keras script
      </button>
      <button
        type="button"
        data-testid="delete-selected"
        disabled={chosen.length === 0}
        onClick={() => {
          if (confirm(`Delete ${chosen.length} run${chosen.length === 1 ? '' : 's'} from this browser?`))
            deleteRuns(chosen.map((r) => r.id));
        }}
      >
        Delete selected
      </button>
      <span className="small muted">
        {chosen.length > 0 ? `${chosen.length} of ${runs.length} selected` : 'Tick runs to compare or export them.'}
      </span>
    </div>
  );
}

/** The table of the newest `shown` runs, with a tick for all. */
function RunsTable({
  runs,
  shown,
  tickedIds,
  allTicked,
}: {
  runs: readonly RunRecord[];
  shown: number;
  tickedIds: ReadonlySet<string>;
  allTicked: boolean;
}) {
  const { selectRuns: tick } = useActions();
  const { available: withModels } = useModels('available');
  const modelIds = useMemo(() => new Set(withModels), [withModels]);
  return (
    <div className="table-scroll">
      <table className="runs" data-testid="runs-table">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select all runs"
                checked={allTicked}
                onChange={() => tick(allTicked ? [] : runs.map((r) => r.id))}
              />
            </th>
            <th>hidden layers · settings</th>
            <th>test acc</th>
            <th>val_acc</th>
            <th>status · epochs</th>
            <th>params</th>
            <th>s/epoch</th>
            <th>started</th>
            <th>
              <span className="visually-hidden">delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.slice(0, shown).map((r) => (
            <RunRow key={r.id} run={r} ticked={tickedIds.has(r.id)} hasModel={modelIds.has(r.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Runs the page could not write to storage, as a JSON file (the same format as Export JSON). */
function UnsavedDownload({ runs }: { runs: readonly RunRecord[] }) {
  const { unsaved } = useRuns('unsaved');
  if (unsaved.length === 0) return null;
  const ids = new Set(unsaved);
  const save = () => {
    const stamp = fileStamp();
    const text = runsToJson(
      runs.filter((r) => ids.has(r.id)),
      Date.now(),
    );
    downloadText(`mlp-lab-unsaved-runs-${stamp}.json`, text, 'application/json');
  };
  return (
    <button type="button" data-testid="download-unsaved" onClick={save}>
      Download the {unsaved.length === 1 ? 'run' : `${unsaved.length} runs`} not saved (JSON, for Import results)
    </button>
  );
}
