import { describeConfig, type RunRecord } from '../../core/runs/runs';
import { useActions, useShown, useShownRecord } from '../../store/hooks';

const when = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** The label of a kept run shown instead of the live one: its name and start, what it lacks, the way back. */
function ShownLabel({ record, liveRun }: { record: RunRecord; liveRun: boolean }) {
  const { showRun } = useActions();
  const lacks = record.trace
    ? null
    : record.origin
      ? 'An imported run brings its epochs, not its curve or layer health.'
      : 'This run was kept before runs kept their curves: its epochs are shown, not its curve or layer health.';
  return (
    <p className="run-label small" data-testid="shown-run">
      Kept run: <strong>{describeConfig(record.config)}</strong>
      <span className="muted"> · started {when.format(record.startedAt)}</span>{' '}
      {liveRun ? (
        <button type="button" className="link" onClick={() => showRun(null)}>
          Back to the live run
        </button>
      ) : null}
      {lacks ? <span className="muted"> {lacks}</span> : null}
    </p>
  );
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * Which run the charts show, and its result in large type: the test accuracy when it is done,
 * the newest validation accuracy while it trains; "near chance" when that is all it is.
 */
export function ResultHeadline() {
  const { config, status, outcome, epochs, progress } = useShown('config', 'status', 'outcome', 'epochs', 'progress');
  const { record, liveRun } = useShownRecord();
  const last = epochs.at(-1);
  const value = outcome?.testAcc ?? last?.valAcc ?? null;
  const what =
    outcome?.testAcc != null ? 'Test accuracy' : last?.valAcc != null ? `Validation, epoch ${last.epoch}` : null;
  const chance = value !== null && value <= 0.2;
  return (
    <div className="headline">
      {record ? <ShownLabel record={record} liveRun={liveRun} /> : null}
      <p className="run-label small" data-testid="chart-run" hidden={record !== null}>
        {config ? (
          <>
            {status === 'training' || status === 'loading' ? 'Training now' : 'Last run'}:{' '}
            <strong>{describeConfig(config)}</strong>
            {status === 'training' && progress ? <span className="muted"> · epoch {progress.epoch}</span> : null}
          </>
        ) : (
          <span className="muted">No run yet</span>
        )}
      </p>
      <p className="big-result" data-testid="test-accuracy-headline" data-chance={chance ? 'true' : 'false'}>
        {value !== null && what ? (
          <>
            <span className="big-number">{pct(value)}</span>
            <span className="big-what">
              {what}
              {chance ? <strong className="chance-note"> · no better than guessing (10 %)</strong> : null}
            </span>
          </>
        ) : (
          <span className="big-what muted">Test accuracy appears here after a run.</span>
        )}
      </p>
    </div>
  );
}
