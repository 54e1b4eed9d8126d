/** A row of the runs table: one kept run, with its results and what can be done with it. */
import { useState } from 'react';
import { formatCount } from '../../core/network/params';
import { architectureLabel, originLabel, secondsPerEpoch, type RunRecord } from '../../core/runs/runs';
import { useActions, useIsBusy, useRuns, useIsSideRun } from '../../store/hooks';
import { downloadModel } from '../lib/modelFiles';
import { fixed } from '../lib/format';

const when = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The settings a row shows under its network: optimizer, batch, inputs, images, seed, backend. */
function runDetails(run: RunRecord) {
  const c = run.config;
  return [
    `${c.optimizer} ${c.learningRate}`,
    `batch ${c.batchSize}`,
    `${c.preprocessing} inputs`,
    c.subset === null ? null : `${c.subset} images`,
    `seed ${c.seed}`,
    run.backend,
  ]
    .filter((d) => d !== null)
    .join(' · ');
}

/** One kept run: tick, load its config, export its model, its results, delete. */
export function RunRow({ run, ticked, hasModel }: { run: RunRecord; ticked: boolean; hasModel: boolean }) {
  const { toggleRunSelected: toggle, deleteRuns } = useActions();
  const { liveId } = useRuns('liveId');
  const busy = useIsBusy();
  const onSide = useIsSideRun(run.id);
  const isLive = (busy && liveId === run.id) || onSide;
  const label = architectureLabel(run.config.layers);
  const last = run.epochs[run.epochs.length - 1];
  const c = run.config;
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
      <ArchCell run={run} label={label} hasModel={hasModel} />
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
      <td
        data-label="s/epoch"
        title={
          run.group
            ? `Trained with ${run.group - 1} other network${run.group === 2 ? '' : 's'} in one step: the seconds are the group's`
            : undefined
        }
      >
        {fixed(secondsPerEpoch(run), 1)}
        {run.group ? <span className="small"> (group of {run.group})</span> : null}
      </td>
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

/** The row's network (a button that loads its config), its settings and origin, and its model's export. */
function ArchCell({ run, label, hasModel }: { run: RunRecord; label: string; hasModel: boolean }) {
  const { loadRunConfig: load, showRun, keptModel } = useActions();
  const [exportProblem, setExportProblem] = useState('');
  const details = runDetails(run);
  const origin = originLabel(run.origin);
  return (
    <td className="arch" data-label="network">
      <button
        type="button"
        className="link"
        data-testid="run-load"
        title={`Show this run above and load its config: ${details}`}
        onClick={() => {
          load(run.id);
          showRun(run.id);
          window.scrollTo({ top: 0 });
        }}
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
  );
}
