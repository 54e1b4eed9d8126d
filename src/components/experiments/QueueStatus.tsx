import { useEffect, useMemo, useState } from 'react';
import { experimentById, remainingWork } from '../../core/experiments/experiments';
import { queueName, queueSummary } from '../../core/experiments/queueSummary';
import { estimateRemainingSeconds, makeEstimator } from '../../core/runs/runEstimate';
import { useActions, useExperiments, useIsBusy, useRun, useRunList } from '../../store/hooks';
import { duration } from '../lib/format';

/**
 * The queue of an experiment's runs: where it is, time left, and pause, resume, cancel, restart.
 * Restart is offered only where it does something: for the experiment picked above (not for a
 * check of the diagnosis, nor with no experiment picked), while its queue holds runs and no run
 * trains.
 */
export function QueueStatus() {
  const { queue: q, elsewhere, selected } = useExperiments('queue', 'elsewhere', 'selected');
  const busy = useIsBusy();
  const lab = useActions();
  const { progress } = useRun('progress');
  const runs = useRunList();
  // Built once per change of the history (an epoch's end), not at every progress tick.
  const estimator = useMemo(() => makeEstimator(runs), [runs]);
  const [, tick] = useState(0);
  useEffect(() => {
    if (q.status !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [q.status]);
  if (q.status === 'idle') return null;
  if (elsewhere) {
    return (
      <div className="queue" data-testid="queue-status" data-status="elsewhere">
        <span className="small">
          This experiment’s queue is running in another tab of the lab ({Math.min(q.index + 1, q.items.length)} of{' '}
          {q.items.length} when this tab opened). Its runs appear in the runs table as they finish; this tab takes the
          queue over once that tab stops running it.
        </span>
      </div>
    );
  }
  const n = q.items.length;
  const e = q.experiment && q.experiment !== 'check' ? experimentById(q.experiment) : null;
  const left = estimateRemainingSeconds(
    estimator,
    remainingWork(q.items, q.index, q.status === 'running' ? progress : null),
  );
  const text = queueSummary(
    q,
    queueName(q.experiment, e?.number ?? null),
    progress ? progress.epoch : null,
    q.startedAt ? duration((Date.now() - q.startedAt) / 1000) : null,
    left !== null ? duration(left) : null,
  );
  // What restartQueue would act on: a stopped or finished queue of the experiment picked above
  // that has runs to go through again, while no run trains.
  const restartable =
    (q.status === 'done' || q.status === 'cancelled' || q.status === 'paused') &&
    q.experiment !== null &&
    q.experiment === selected &&
    q.items.length > 0 &&
    !busy;
  return (
    <div className="queue" data-testid="queue-status" data-status={q.status}>
      <progress
        max={n}
        value={q.status === 'done' ? n : q.index}
        aria-label={q.experiment === 'check' ? 'Check progress' : 'Experiment progress'}
      />
      <span className="small">{text}</span>
      <span className="buttons">
        {q.status === 'running' ? (
          <button type="button" onClick={lab.pauseQueue}>
            Pause
          </button>
        ) : null}
        {q.status === 'paused' || q.status === 'cancelled' ? (
          <button type="button" onClick={lab.resumeQueue}>
            Resume
          </button>
        ) : null}
        {q.status === 'running' || q.status === 'paused' ? (
          <button type="button" onClick={lab.cancelQueue}>
            Cancel
          </button>
        ) : null}
        {restartable ? (
          <button type="button" onClick={lab.restartQueue} data-testid="queue-restart">
            Restart
          </button>
        ) : null}
      </span>
    </div>
  );
}
