import { useEffect, useMemo, useState } from 'react';
import { experimentById, remainingWork } from '../../core/experiments/experiments';
import { queueName, queueSummary } from '../../core/experiments/queueSummary';
import { estimateRemainingSeconds, makeEstimator } from '../../core/runs/runEstimate';
import { useActions, useExperiments, useRun, useRunList } from '../../store/hooks';
import { duration } from '../lib/format';

/** The queue of an experiment's runs: where it is, time left, and pause, resume, cancel, restart. */
export function QueueStatus() {
  const { queue: q, elsewhere } = useExperiments('queue', 'elsewhere');
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
        {q.status === 'done' || q.status === 'cancelled' || q.status === 'paused' ? (
          <button type="button" onClick={lab.restartQueue}>
            Restart
          </button>
        ) : null}
      </span>
    </div>
  );
}
