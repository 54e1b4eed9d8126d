import { useEffect, useMemo, useState } from 'react';
import { experimentById } from '../../core/experiments/experiments';
import {
  queueFinished,
  queueName,
  queueSummary,
  queueWork,
  sideSummary,
  sideTrialText,
} from '../../core/experiments/queueSummary';
import { groupTrialKey } from '../../core/runs/groupTrial';
import { estimateRemainingSeconds, makeEstimator } from '../../core/runs/runEstimate';
import {
  useActions,
  useExperiments,
  useIsBusy,
  useRun,
  useRunList,
  useGroupTrials,
  useSideProgress,
  useSideTiming,
  useSideTogether,
} from '../../store/hooks';
import { duration } from '../lib/format';
import type { QueueState } from '../../store/slices/experimentSlice';

/**
 * The queue of an experiment's runs: where it is, time left, and pause, resume, cancel, restart.
 * Restart is offered only where it does something: for the experiment picked above (not for a
 * check of the diagnosis, nor with no experiment picked), while its queue holds runs and no run
 * trains.
 */
export function QueueStatus() {
  const { queue: shown, elsewhere, selected } = useExperiments('queue', 'elsewhere', 'selected');
  const trials = useGroupTrials();
  const sideConfig = shown.sideItems[0] === undefined ? undefined : shown.items[shown.sideItems[0]]?.config;
  const q = {
    ...shown,
    sideTogether: useSideTogether(),
    sideTiming: useSideTiming(),
    sideTrial: sideConfig ? (trials[groupTrialKey(sideConfig)] ?? null) : null,
  };
  const busy = useIsBusy();
  const { progress } = useRun('progress');
  const sideProgress = useSideProgress();
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
          This experiment’s queue is running in another tab of the lab ({queueFinished(q)} of {q.items.length} runs
          finished when this tab opened). Its runs appear in the runs table as they finish; this tab takes the queue
          over once that tab stops running it.
        </span>
      </div>
    );
  }
  const n = q.items.length;
  const e = q.experiment && q.experiment !== 'check' ? experimentById(q.experiment) : null;
  const running = q.status === 'running';
  const work = estimateRemainingSeconds(
    estimator,
    queueWork(q, running ? progress : null, running ? sideProgress : null),
  );
  // Two workers take the runs left two at a time (the history's epoch times are theirs, side by
  // side), while two are left.
  const runsLeft = q.items.length - q.index - q.done.length;
  const left = work !== null && running && q.sideItems.length > 0 && runsLeft > 1 ? work / 2 : work;
  const beside = sideSummary(q, sideProgress ? sideProgress.epoch : null);
  const trialText = sideTrialText(q);
  const text = queueSummary(
    q,
    queueName(q.experiment, e?.number ?? null),
    // While only the side worker trains, the line is about its run.
    (q.liveItem === null && q.sideItems.length > 0 ? sideProgress : progress)?.epoch ?? null,
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
        value={q.status === 'done' ? n : q.index + q.done.length}
        aria-label={q.experiment === 'check' ? 'Check progress' : 'Experiment progress'}
      />
      <span className="small">{text}</span>
      {beside ? (
        <span className="small queue-side" data-testid="queue-side">
          {beside}
        </span>
      ) : null}
      {trialText ? (
        <span className="small queue-side" data-testid="queue-trial">
          {trialText}
        </span>
      ) : null}
      <QueueButtons status={q.status} restartable={restartable} />
    </div>
  );
}

/** Pause, resume, cancel and restart, as the queue's state allows. */
function QueueButtons({ status, restartable }: { status: QueueState['status']; restartable: boolean }) {
  const lab = useActions();
  return (
    <span className="buttons">
      {status === 'running' ? (
        <button type="button" onClick={lab.pauseQueue}>
          Pause
        </button>
      ) : null}
      {status === 'paused' || status === 'cancelled' ? (
        <button type="button" onClick={lab.resumeQueue}>
          Resume
        </button>
      ) : null}
      {status === 'running' || status === 'paused' ? (
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
  );
}
