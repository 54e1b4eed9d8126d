import { useEffect, useRef } from 'react';
import { useActions, useIsBusy, useIsFinding, useMemoryProblem, useRunStatus } from '../../store/hooks';
import { ConfigNumber } from '../common/ConfigFields';
import { RunProgress } from './RunProgress';

/**
 * Train and Stop, the progress of the run, and the settings changed most: epochs and training
 * images. Train moves the focus to Stop and back when the run ends;
 * Escape stops a run from anywhere on the page.
 */
export function ControlBar() {
  return (
    <section className="control-bar" aria-label="Training controls">
      <RunDock />
      <BarSettings />
    </section>
  );
}

/** Train and Stop, the run's progress, and why the network would not fit device memory. */
function RunDock() {
  const busy = useIsBusy();
  const status = useRunStatus();
  const { train, stop } = useActions();
  const tooBig = useMemoryProblem();
  // The rate finder trains in the same worker: Train waits for it (a queue's run would stop it).
  const finding = useIsFinding();
  const { trainRef, stopRef } = useRunFocus(busy);
  useEscapeStops(busy, stop);
  return (
    <div className="run-dock">
      <div className="run-buttons">
        <button
          ref={trainRef}
          type="button"
          className="primary big"
          data-testid="train-button"
          onClick={train}
          disabled={busy || finding || tooBig !== ''}
          aria-describedby={tooBig ? 'memory-problem' : undefined}
          title={finding ? 'The learning-rate finder is running: Train when it is done' : undefined}
        >
          {status === 'done' || status === 'stopped' || status === 'error' ? 'Train again' : 'Train'}
        </button>
        <button
          ref={stopRef}
          type="button"
          data-testid="stop-button"
          onClick={stop}
          disabled={!busy}
          aria-keyshortcuts="Escape"
          title="Stop (Escape)"
        >
          Stop
        </button>
      </div>
      <RunProgress />
      {tooBig ? (
        <p className="small error memory-problem" id="memory-problem" data-testid="memory-problem" role="status">
          {tooBig}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Focus follows the run: to Stop when it starts from Train, or from a button that the start
 * disabled or removed (the quick run); back to Train when it ends from Stop. Not on page load.
 */
function useRunFocus(busy: boolean) {
  const trainRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current === busy) return;
    wasBusy.current = busy;
    const focus = document.activeElement;
    const adrift = !focus || focus === document.body || (focus instanceof HTMLButtonElement && focus.disabled);
    if (busy && (adrift || focus === trainRef.current)) stopRef.current?.focus();
    if (!busy && (adrift || focus === stopRef.current)) trainRef.current?.focus();
  }, [busy]);
  return { trainRef, stopRef };
}

/** While a run is busy, Escape anywhere on the page (outside an open dialog) stops it. */
function useEscapeStops(busy: boolean, stop: () => void) {
  useEffect(() => {
    if (!busy) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      stop();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, stop]);
}

/** Epochs and training images: the two settings of a run a beginner changes first (the rest are under Advanced). */
function BarSettings() {
  return (
    <div className="bar-settings">
      <ConfigNumber field="epochs" />
      <ConfigNumber field="subset" />
    </div>
  );
}
