import { describeConfig } from '../../core/runs/runs';
import { useShown } from '../../store/hooks';

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * Which run the charts show, and its result in large type: the test accuracy when it is done,
 * the newest validation accuracy while it trains; "near chance" when that is all it is.
 */
export function ResultHeadline() {
  const { config, status, outcome, epochs, progress } = useShown('config', 'status', 'outcome', 'epochs', 'progress');
  const last = epochs.at(-1);
  const value = outcome?.testAcc ?? last?.valAcc ?? null;
  const what =
    outcome?.testAcc != null ? 'Test accuracy' : last?.valAcc != null ? `Validation, epoch ${last.epoch}` : null;
  const chance = value !== null && value <= 0.2;
  return (
    <div className="headline">
      <p className="run-label small" data-testid="chart-run">
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
