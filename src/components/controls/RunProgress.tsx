import { useEffect, useState } from 'react';
import { backendLabel, fallbackReason } from '../../core/device/backends';
import { trialShort } from '../../core/device/backendTrial';
import { DATASET_LABELS } from '../../core/network/spec';
import { isScheduled, rateAt } from '../../core/network/schedule';
import { useRun } from '../../store/hooks';
import type { LabState } from '../../store/store';
import { duration, formatRate, megabytes } from '../lib/format';
import './RunProgress.css';

type RunState = LabState['run'];

/**
 * The run's status and progress, described from the run's own config (not the controls'): the
 * status in full on a wide screen and in a few words in a phone's bottom bar, and one short line
 * on the backend ("on WebAssembly (CPU, 2 threads), 11 ms a batch, about as fast as WebGL (11 ms)";
 * the trial in full is under Technical details).
 */
export function RunProgress() {
  const run = useRun('status', 'loading', 'choosing', 'progress', 'plan', 'config', 'startedAt', 'backend', 'outcome');
  const { status, backend } = run;
  useSecondTicks(status === 'training' || status === 'loading');
  const { bar, text, short } = describeRun(run);
  return (
    <div className="run-progress">
      <div className="status-line" data-testid="status-line">
        <strong className={`status-badge status-${status}`} data-testid="run-status">
          {status}
        </strong>{' '}
        <span className="small status-long">{text}</span>
        <span className="small status-short">{short}</span>
      </div>
      <div className="progress-row">
        {backend ? <BackendLine backend={backend} /> : null}
        {bar ? (
          <progress max={bar.max} value={bar.value} aria-label={bar.label} />
        ) : (
          <div className="progress-placeholder" />
        )}
      </div>
    </div>
  );
}

/** Where the run trains, in one line: the backend, why (a fallback), and auto's time per batch. */
function BackendLine({ backend }: { backend: NonNullable<RunState['backend']> }) {
  const why = fallbackReason(backend.reason);
  const trial = backend.trial;
  return (
    <p className="small muted backend-line">
      on{' '}
      <span data-testid="backend-plain">{`${backendLabel(backend.name, backend.reason)}${why ? `, because ${why}` : ''}`}</span>
      {trial ? (
        <>
          {', '}
          <span
            data-testid="backend-trial"
            data-source={trial.source}
            data-chosen={trial.chosen}
            data-times={JSON.stringify(Object.fromEntries(trial.times.map((t) => [t.name, t.ms])))}
          >
            {trialShort(trial)}
          </span>
        </>
      ) : null}
    </p>
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

interface RunWords {
  /** The progress bar, or null for none. */
  readonly bar: { value: number; max: number; label: string } | null;
  /** The status in full. */
  readonly text: string;
  /** The status in a few words, for a phone's bottom bar. */
  readonly short: string;
}

/** The status line's words, in full and short, and the progress bar for the run as it stands now. */
function describeRun(run: RunFields): RunWords {
  const { status, loading, choosing, progress, plan, config, startedAt, backend, outcome } = run;
  const dataset = DATASET_LABELS[config?.dataset ?? 'mnist'];
  if (status === 'loading') {
    const frac = loading && loading.total > 0 ? loading.loaded / loading.total : 0;
    const bar = { value: frac, max: 1, label: `Loading ${dataset}` };
    if (choosing)
      return {
        bar,
        text: 'Choosing the backend: timing a few batches of this network on each…',
        short: 'Timing backends…',
      };
    if (loading)
      return {
        bar,
        text: `Loading ${dataset} ${loading.fromCache ? 'from the browser cache' : 'from the server'}: ${megabytes(loading.loaded)} of ${megabytes(loading.total)}`,
        short: `Loading ${Math.round(frac * 100)} %`,
      };
    const starting = backend || config?.backend === 'auto';
    return { bar, text: starting ? `Loading ${dataset}…` : 'Starting the training worker…', short: 'Starting…' };
  }
  if (status === 'training' && progress && plan && config) {
    const done = (progress.epoch - 1) * plan.batches + progress.batch;
    const all = config.epochs * plan.batches;
    const elapsed = startedAt === null ? 0 : (Date.now() - startedAt) / 1000;
    const left = duration(((all - done) * (plan.trainCount / plan.batches)) / Math.max(1, progress.samplesPerSecond));
    // The rate of the batch just trained, by the function the step used (core/network/schedule.ts).
    const rate = isScheduled(config) ? ` · rate ${formatRate(rateAt(config, done - 1, plan.batches))}` : '';
    return {
      bar: { value: Math.min(done, all), max: all, label: 'Training progress' },
      text: `Epoch ${progress.epoch} of ${config.epochs}, batch ${progress.batch} of ${plan.batches}${rate} · ${duration(elapsed)} · about ${left} left`,
      short: `Epoch ${progress.epoch}/${config.epochs}, ${left} left`,
    };
  }
  return { bar: null, ...settledWords(status, outcome) };
}

/** The words for a run that is not loading or training (a training run before its first progress: starting). */
function settledWords(status: RunState['status'], outcome: RunState['outcome']): Omit<RunWords, 'bar'> {
  const acc = outcome?.testAcc != null ? `${(outcome.testAcc * 100).toFixed(1)} %` : null;
  const epochs = outcome?.epochs.length ?? 0;
  switch (status) {
    case 'training':
    case 'loading':
      return { text: 'Starting…', short: 'Starting…' };
    case 'done':
      return {
        text: `Done${acc ? `: ${acc} of the test images right` : ''}.`,
        short: acc ? `Done: ${acc} right` : 'Done',
      };
    case 'stopped':
      return {
        text: `Stopped after ${epochs} finished epoch${epochs === 1 ? '' : 's'}.`,
        short: `Stopped after ${epochs} epoch${epochs === 1 ? '' : 's'}`,
      };
    case 'error':
      return { text: 'The run failed: see the message below.', short: 'Failed: see the message' };
    default:
      return { text: 'Ready: build a network, then press Train.', short: 'Ready: press Train' };
  }
}
