import { useEffect, useState, type ReactNode } from 'react';
import { backendLabel, fallbackReason } from '../../core/device/backends';
import { trialSentence } from '../../core/device/backendTrial';
import { DATASET_LABELS } from '../../core/network/spec';
import { useRun } from '../../store/hooks';
import type { LabState } from '../../store/store';
import { duration, megabytes } from '../lib/format';

type RunState = LabState['run'];

/** The run's status and progress, described from the run's own config (not the controls'). */
export function RunProgress() {
  const run = useRun('status', 'loading', 'choosing', 'progress', 'plan', 'config', 'startedAt', 'backend', 'outcome');
  const { status, backend } = run;
  useSecondTicks(status === 'training' || status === 'loading');
  const { bar, text } = describeRun(run);
  const why = backend ? fallbackReason(backend.reason) : null;
  const where: ReactNode = backend ? (
    <span className="small muted">
      {' '}
      · on{' '}
      <span data-testid="backend-plain">{`${backendLabel(backend.name, backend.reason)}${why ? `, because ${why}` : ''}`}</span>
    </span>
  ) : null;
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

/** Re-renders the component every second while `on`, so elapsed and remaining times move. */
function useSecondTicks(on: boolean) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [on]);
}

type RunFields = Pick<
  RunState,
  'status' | 'loading' | 'choosing' | 'progress' | 'plan' | 'config' | 'startedAt' | 'backend' | 'outcome'
>;

/** The status line's words and the progress bar (null: none) for the run as it stands now. */
function describeRun(run: RunFields): { bar: { value: number; max: number; label: string } | null; text: string } {
  const { status, loading, choosing, progress, plan, config, startedAt, backend, outcome } = run;
  const dataset = DATASET_LABELS[config?.dataset ?? 'mnist'];
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
  return { bar, text };
}
