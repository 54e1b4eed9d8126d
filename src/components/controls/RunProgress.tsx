import { useEffect, useState } from 'react';
import { backendLabel, fallbackReason } from '../../core/device/backends';
import { trialSentence } from '../../core/device/backendTrial';
import { DATASET_LABELS } from '../../core/network/spec';
import { useLab } from '../../store/context';
import {
  selectBackend,
  selectChoosing,
  selectLoading,
  selectOutcome,
  selectPlan,
  selectProgress,
  selectRunConfig,
  selectStartedAt,
  selectStatus,
} from '../../store/selectors';
import { duration, megabytes } from '../common/format';

/** The run's status and progress, described from the run's own config (not the controls'). */
export function RunProgress() {
  const status = useLab(selectStatus);
  const loading = useLab(selectLoading);
  const choosing = useLab(selectChoosing);
  const progress = useLab(selectProgress);
  const plan = useLab(selectPlan);
  const config = useLab(selectRunConfig);
  const startedAt = useLab(selectStartedAt);
  const backend = useLab(selectBackend);
  const outcome = useLab(selectOutcome);
  const [, tick] = useState(0);
  useEffect(() => {
    if (status !== 'training' && status !== 'loading') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [status]);

  const dataset = DATASET_LABELS[config?.dataset ?? 'mnist'];
  const why = backend ? fallbackReason(backend.reason) : null;
  const where = backend ? (
    <span className="small muted">
      {' '}
      · on{' '}
      <span data-testid="backend-plain">{`${backendLabel(backend.name, backend.reason)}${why ? `, because ${why}` : ''}`}</span>
    </span>
  ) : null;
  let bar: { value: number; max: number; label: string } | null = null;
  let text: string;
  if (status === 'loading') {
    const frac = loading && loading.total > 0 ? loading.loaded / loading.total : 0;
    bar = { value: frac, max: 1, label: `Loading ${dataset}` };
    text = choosing
      ? 'Choosing the backend: timing a few batches of this network on each…'
      : loading
        ? `Loading ${dataset} ${loading.fromCache ? 'from the browser cache' : 'from the server'}: ${megabytes(loading.loaded)} of ${megabytes(loading.total)}`
        : backend || config?.backend === 'auto'
          ? `Loading ${dataset}…`
          : 'Starting the training worker…';
  } else if (status === 'training' && progress && plan && config) {
    const done = (progress.epoch - 1) * plan.batches + progress.batch;
    const all = config.epochs * plan.batches;
    const elapsed = startedAt === null ? 0 : (Date.now() - startedAt) / 1000;
    const left = ((all - done) * (plan.trainCount / plan.batches)) / Math.max(1, progress.samplesPerSecond);
    bar = { value: Math.min(done, all), max: all, label: 'Training progress' };
    text = `Epoch ${progress.epoch} of ${config.epochs}, batch ${progress.batch} of ${plan.batches} · ${duration(elapsed)} · about ${duration(left)} left`;
  } else if (status === 'training') {
    text = 'Starting…';
  } else if (status === 'done') {
    text = `Done${outcome?.testAcc != null ? `: ${(outcome.testAcc * 100).toFixed(1)} % of the test images right` : ''}.`;
  } else if (status === 'stopped') {
    text = `Stopped after ${outcome?.epochs.length ?? 0} finished epoch${outcome?.epochs.length === 1 ? '' : 's'}.`;
  } else if (status === 'error') {
    text = 'The run failed: see the message below.';
  } else {
    text = 'Ready: build a network, then press Train.';
  }
  return (
    <div className="run-progress">
      <div className="status-line">
        <strong className={`status-badge status-${status}`} data-testid="run-status">
          {status}
        </strong>{' '}
        <span className="small">{text}</span>
        {where}
      </div>
      {backend?.trial ? (
        <p
          className="small muted trial-line"
          data-testid="backend-trial"
          data-source={backend.trial.source}
          data-chosen={backend.trial.chosen}
          data-times={JSON.stringify(Object.fromEntries(backend.trial.times.map((t) => [t.name, t.ms])))}
          title={trialSentence(backend.trial)}
        >
          {trialSentence(backend.trial)}
        </p>
      ) : null}
      {bar ? (
        <progress max={bar.max} value={bar.value} aria-label={bar.label} />
      ) : (
        <div className="progress-placeholder" />
      )}
    </div>
  );
}
