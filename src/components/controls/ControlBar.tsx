import { useEffect, useRef } from 'react';
import { setNumber, setOptimizer } from '../../core/network/edit';
import { LIMITS, OPTIMIZERS, type OptimizerName } from '../../core/network/spec';
import { useLab } from '../../store/context';
import {
  selectConfig,
  selectEditConfig,
  selectIsBusy,
  selectMemoryProblem,
  selectStatus,
  selectStop,
  selectTrain,
} from '../../store/selectors';
import { Hint } from '../common/Hint';
import { NumberField } from '../common/NumberField';
import { RunProgress } from './RunProgress';

/**
 * Train and Stop, the progress of the run, and the settings changed most: epochs, training
 * images, optimizer and learning rate. Train moves the focus to Stop and back when the run ends;
 * Escape stops a run from anywhere on the page.
 */
export function ControlBar() {
  const busy = useLab(selectIsBusy);
  const status = useLab(selectStatus);
  const train = useLab(selectTrain);
  const stop = useLab(selectStop);
  const config = useLab(selectConfig);
  const edit = useLab(selectEditConfig);
  const tooBig = useLab(selectMemoryProblem);
  const trainRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  // Focus follows the run: to Stop when it starts from Train, or from a button that the start
  // disabled or removed (the quick run); back to Train when it ends from Stop. Not on page load.
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current === busy) return;
    wasBusy.current = busy;
    const focus = document.activeElement;
    const adrift = !focus || focus === document.body || (focus instanceof HTMLButtonElement && focus.disabled);
    if (busy && (adrift || focus === trainRef.current)) stopRef.current?.focus();
    if (!busy && (adrift || focus === stopRef.current)) trainRef.current?.focus();
  }, [busy]);

  useEffect(() => {
    if (!busy) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      stop();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, stop]);

  const lrExp = Math.log10(config.learningRate);
  return (
    <section className="control-bar" aria-label="Training controls">
      <div className="run-dock">
        <div className="run-buttons">
          <button
            ref={trainRef}
            type="button"
            className="primary big"
            data-testid="train-button"
            onClick={train}
            disabled={busy || tooBig !== ''}
            aria-describedby={tooBig ? 'memory-problem' : undefined}
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
      <div className="bar-settings">
        <div className="with-hint">
          <NumberField
            label="epochs"
            value={config.epochs}
            min={LIMITS.minEpochs}
            max={LIMITS.maxEpochs}
            onCommit={(v) => edit((c) => setNumber(c, 'epochs', v))}
          />
          <Hint term="epochs" label="an epoch" />
        </div>
        <div className="with-hint">
          <NumberField
            label="training images"
            value={config.subset}
            min={LIMITS.minSubset}
            max={LIMITS.maxSubset}
            placeholder="all 60,000"
            onCommit={(v) => edit((c) => setNumber(c, 'subset', v))}
          />
          <Hint term="subset" label="training images" />
        </div>
        <div className="with-hint">
          <label className="field">
            <span>optimizer</span>
            <select
              value={config.optimizer}
              onChange={(e) => edit((c) => setOptimizer(c, e.target.value as OptimizerName))}
            >
              {OPTIMIZERS.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <Hint term="optimizer" label="the optimizer" />
        </div>
        <div className="with-hint lr">
          <label className="field">
            <span>learning rate {config.learningRate}</span>
            <input
              type="range"
              min={-6}
              max={1}
              step={0.1}
              value={lrExp}
              aria-valuetext={String(config.learningRate)}
              onChange={(e) =>
                edit((c) => setNumber(c, 'learningRate', Number(Math.pow(10, Number(e.target.value)).toPrecision(2))))
              }
            />
          </label>
          <Hint term="learningRate" label="the learning rate" />
        </div>
      </div>
    </section>
  );
}
