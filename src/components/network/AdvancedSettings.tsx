import { useState } from 'react';
import { setNumber } from '../../core/network/edit';
import { randomSeed } from '../../core/network/rng';
import {
  BACKEND_CHOICES,
  DEFAULT_CONFIG,
  INIT_RULES,
  INITS,
  LIMITS,
  type BackendChoice,
  type InitName,
  type TrainConfig,
} from '../../core/network/spec';
import { useLab } from '../../store/context';
import { selectConfig, selectEditConfig } from '../../store/selectors';
import { Hint } from '../common/Hint';
import { NumberField } from '../common/NumberField';

/** Whether a config sets any of the rarely changed settings away from the article's (seed aside). */
const unusual = (c: TrainConfig) =>
  c.batchSize !== DEFAULT_CONFIG.batchSize ||
  c.validationSplit !== DEFAULT_CONFIG.validationSplit ||
  c.preprocessing !== DEFAULT_CONFIG.preprocessing ||
  c.backend !== DEFAULT_CONFIG.backend ||
  c.init !== DEFAULT_CONFIG.init;

/**
 * Settings changed rarely: batch size, validation split, input scaling, initialiser, backend and seed. Open
 * from the start when the page opens with any of them changed, so no setting hides.
 */
export function AdvancedSettings() {
  const config = useLab(selectConfig);
  const edit = useLab(selectEditConfig);
  const [open, setOpen] = useState(() => unusual(config));
  return (
    <details className="advanced" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Advanced: batch, validation, inputs, init, backend, seed</summary>
      <div className="settings-grid">
        <div className="with-hint">
          <NumberField
            label="batch size"
            value={config.batchSize}
            min={LIMITS.minBatch}
            max={LIMITS.maxBatch}
            onCommit={(v) => edit((c) => setNumber(c, 'batchSize', v))}
          />
          <Hint term="batch" label="the batch size" />
        </div>
        <div className="with-hint">
          <NumberField
            label="validation split"
            value={config.validationSplit}
            min={LIMITS.minVal}
            max={LIMITS.maxVal}
            step={0.05}
            onCommit={(v) => edit((c) => setNumber(c, 'validationSplit', v))}
          />
          <Hint term="validation" label="the validation split" />
        </div>
        <div className="with-hint">
          <label className="field">
            <span>inputs</span>
            <select
              value={config.preprocessing}
              onChange={(e) => edit((c) => ({ ...c, preprocessing: e.target.value === 'scaled' ? 'scaled' : 'raw' }))}
            >
              <option value="raw">raw 0..255 (article)</option>
              <option value="scaled">scaled 0..1</option>
            </select>
          </label>
          <Hint term="inputs" label="raw or scaled inputs" />
        </div>
        <label className="field">
          <span>initialiser</span>
          <select
            data-testid="init"
            value={config.init}
            onChange={(e) => edit((c) => ({ ...c, init: e.target.value as InitName }))}
          >
            {INITS.map((i) => (
              <option key={i} value={i}>
                {INIT_RULES[i].label}
              </option>
            ))}
          </select>
        </label>
        <div className="with-hint">
          <label className="field">
            <span>backend</span>
            <select
              value={config.backend}
              onChange={(e) => edit((c) => ({ ...c, backend: e.target.value as BackendChoice }))}
            >
              {BACKEND_CHOICES.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </label>
          <Hint term="backend" label="the backend" />
        </div>
        <div className="with-hint seed">
          <NumberField
            label="seed"
            value={config.seed}
            min={0}
            max={LIMITS.maxSeed}
            testId="seed"
            onCommit={(v) => edit((c) => setNumber(c, 'seed', v))}
          />
          <Hint term="seed" label="the seed" />
          <button type="button" onClick={() => edit((c) => setNumber(c, 'seed', randomSeed()))}>
            New seed
          </button>
        </div>
      </div>
    </details>
  );
}
