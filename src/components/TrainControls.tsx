import { useEffect, useState } from 'react';
import { CopyLinkButton } from './CopyLinkButton';
import { useLab } from '../store/context';
import {
  selectBackend,
  selectConfig,
  selectIsBusy,
  selectLoading,
  selectPlan,
  selectProgress,
  selectStartedAt,
  selectStatus,
  selectStop,
  selectTrain,
} from '../store/selectors';
import { duration, megabytes } from './format';

/** Train and Stop, the run's status, and a progress bar for loading and training. */
export function TrainControls() {
  const status = useLab(selectStatus);
  const busy = useLab(selectIsBusy);
  const train = useLab(selectTrain);
  const stop = useLab(selectStop);
  const backend = useLab(selectBackend);
  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Train</h2>
      <div className="buttons">
        <button type="button" className="primary" data-testid="train-button" onClick={train} disabled={busy}>
          Train
        </button>
        <button type="button" data-testid="stop-button" onClick={stop} disabled={!busy}>
          Stop
        </button>
        <CopyLinkButton />
      </div>
      <p>
        Status: <strong data-testid="run-status">{status}</strong>
      </p>
      <RunProgress />
      <p className="small">
        Backend: <strong data-testid="backend-name">{backend?.name ?? 'not started'}</strong>
        {backend ? <span className="muted"> — {backend.reason}</span> : null}
      </p>
    </section>
  );
}

function RunProgress() {
  const status = useLab(selectStatus);
  const loading = useLab(selectLoading);
  const progress = useLab(selectProgress);
  const plan = useLab(selectPlan);
  const epochs = useLab(selectConfig).epochs;
  const startedAt = useLab(selectStartedAt);
  const [, tick] = useState(0);
  useEffect(() => {
    if (status !== 'training' && status !== 'loading') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [status]);

  if (status === 'loading') {
    const frac = loading && loading.total > 0 ? loading.loaded / loading.total : 0;
    return (
      <div className="progress">
        <progress max={1} value={frac} aria-label="Loading MNIST" />
        <span className="small">
          {loading
            ? `Loading MNIST ${loading.fromCache ? 'from the browser cache' : 'from the server'}: ${megabytes(loading.loaded)} of ${megabytes(loading.total)}`
            : 'Starting the training worker…'}
        </span>
      </div>
    );
  }
  if (status !== 'training' || !progress || !plan) return null;
  const done = (progress.epoch - 1) * plan.batches + progress.batch;
  const all = epochs * plan.batches;
  const elapsed = startedAt === null ? 0 : (Date.now() - startedAt) / 1000;
  const left = ((all - done) * (plan.trainCount / plan.batches)) / Math.max(1, progress.samplesPerSecond);
  return (
    <div className="progress">
      <progress max={all} value={done} aria-label="Training progress" />
      <span className="small">
        Epoch {progress.epoch} of {epochs}, batch {progress.batch} of {plan.batches} · {duration(elapsed)} elapsed · about{' '}
        {duration(left)} left · {Math.round(progress.samplesPerSecond)} images/s
      </span>
    </div>
  );
}
