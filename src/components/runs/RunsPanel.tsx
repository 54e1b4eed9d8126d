import { useMemo, useState } from 'react';
import { formatCount } from '../../core/network/params';
import { architectureLabel, originLabel, secondsPerEpoch, type RunRecord } from '../../core/runs/runs';
import { runsToCsv, runsToJson } from '../../core/runs/runExport';
import { useLab } from '../../store/context';
import {
  selectDeleteRuns,
  selectIsBusy,
  selectLiveRunId,
  selectLoadRunConfig,
  selectRuns,
  selectRunsLoaded,
  selectRunsProblem,
  selectSelectedRunIds,
  selectSelectRuns,
  selectToggleRunSelected,
  selectKeptModel,
  selectModelIds,
} from '../../store/selectors';
import { downloadModel } from '../common/modelFiles';
import { ImportControls } from './ImportControls';
import { downloadText } from '../common/download';
import { kerasScript } from '../../core/interchange/kerasScript';
import { fixed } from '../common/format';
import { StorageLine } from './StorageLine';
import { UnreadableRuns } from './UnreadableRuns';

/** Rows shown at first and added per "Show more": a long history must not make every update slow. */
export const RUNS_PAGE = 25;

const when = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Every kept run, newest first: tick runs to compare and export, load one's config, delete. */
export function RunsPanel() {
  const runs = useLab(selectRuns);
  const loaded = useLab(selectRunsLoaded);
  const problem = useLab(selectRunsProblem);
  const selected = useLab(selectSelectedRunIds);
  const tick = useLab(selectSelectRuns);
  const deleteRuns = useLab(selectDeleteRuns);
  const [shown, setShown] = useState(RUNS_PAGE);
  const tickedIds = useMemo(() => new Set(selected), [selected]);
  const withModels = useLab(selectModelIds);
  const modelIds = useMemo(() => new Set(withModels), [withModels]);
  const chosen = useMemo(() => runs.filter((r) => tickedIds.has(r.id)), [runs, tickedIds]);
  const allTicked = runs.length > 0 && chosen.length === runs.length;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

  return (
    <section className="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {problem ? (
        <p className="small notice-inline" role="status">
          {problem}
        </p>
      ) : null}
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
      <ImportControls />
      <UnreadableRuns />
      <StorageLine />
      {!loaded ? <p className="small muted">Reading kept runs…</p> : null}
      {loaded && runs.length === 0 ? (
        <p className="small muted">No runs yet. Every run you train is kept here, also after a reload.</p>
      ) : null}
      {runs.length > 0 ? (
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
      ) : null}
      {runs.length > shown ? (
        <p className="small">
          Showing the newest {shown} of {runs.length} runs.{' '}
          <button type="button" data-testid="runs-show-more" onClick={() => setShown((n) => n + RUNS_PAGE)}>
            Show {Math.min(RUNS_PAGE, runs.length - shown)} more
          </button>
        </p>
      ) : null}
    </section>
  );
}

function RunRow({ run, ticked, hasModel }: { run: RunRecord; ticked: boolean; hasModel: boolean }) {
  const toggle = useLab(selectToggleRunSelected);
  const load = useLab(selectLoadRunConfig);
  const deleteRuns = useLab(selectDeleteRuns);
  const liveId = useLab(selectLiveRunId);
  const busy = useLab(selectIsBusy);
  const isLive = busy && liveId === run.id;
  const keptModel = useLab(selectKeptModel);
  const [exportProblem, setExportProblem] = useState('');
  const label = architectureLabel(run.config.layers);
  const origin = originLabel(run.origin);
  const last = run.epochs[run.epochs.length - 1];
  const c = run.config;
  const details = [
    `${c.optimizer} ${c.learningRate}`,
    `batch ${c.batchSize}`,
    `${c.preprocessing} inputs`,
    c.subset === null ? null : `${c.subset} images`,
    `seed ${c.seed}`,
    run.backend,
  ]
    .filter((d) => d !== null)
    .join(' · ');
  return (
    <tr data-testid="run-row" data-run-id={run.id} className={ticked ? 'ticked' : undefined}>
      <td className="tick-cell">
        <input
          type="checkbox"
          aria-label={`Select run ${label}, ${when.format(run.startedAt)}`}
          checked={ticked}
          onChange={() => toggle(run.id)}
        />
      </td>
      <td className="arch" data-label="network">
        <button
          type="button"
          className="link"
          data-testid="run-load"
          title={`Load this config: ${details}`}
          onClick={() => load(run.id)}
        >
          {label}
        </button>
        <span className="details muted">{details}</span>
        {origin ? (
          <span className="origin" data-testid="run-origin">
            {origin}
          </span>
        ) : null}
        {hasModel ? (
          <button
            type="button"
            className="link small"
            data-testid="run-export-model"
            title="model.json and model.weights.bin, as tf.LayersModel.save writes them (tf.loadLayersModel loads them)"
            onClick={() => {
              setExportProblem('');
              void keptModel(run.id).then((kept) =>
                kept
                  ? downloadModel(kept.model, run.config)
                  : setExportProblem('The kept model of this run could not be read.'),
              );
            }}
          >
            Export model
          </button>
        ) : null}
        {exportProblem ? <span className="small error">{exportProblem}</span> : null}
      </td>
      <td data-testid="run-test-acc" data-label="test acc" className="strong-cell">
        {fixed(run.testAcc)}
      </td>
      <td data-label="val_acc">{fixed(last?.valAcc)}</td>
      <td title={run.error ?? undefined} data-label="status">
        <span data-testid="run-status-cell">
          {isLive ? 'training' : run.status === 'running' ? 'running in another tab' : run.status}
        </span>{' '}
        ·{' '}
        <span data-testid="run-epochs">
          {run.origin?.kind === 'model' ? 'not trained here' : `${run.epochs.length}/${c.epochs}`}
        </span>
      </td>
      <td data-label="params">{formatCount(run.params)}</td>
      <td data-label="s/epoch">{fixed(secondsPerEpoch(run), 1)}</td>
      <td data-label="started">{when.format(run.startedAt)}</td>
      <td className="delete-cell">
        <button
          type="button"
          className="icon"
          aria-label={`Delete run ${label}`}
          title={isLive ? 'Stop the run first' : 'Delete this run'}
          disabled={isLive}
          onClick={() => deleteRuns([run.id])}
        >
          ×
        </button>
      </td>
    </tr>
  );
}
