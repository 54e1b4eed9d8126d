import { useState } from 'react';
import { setNumber } from '../../core/network/edit';
import { randomSeed } from '../../core/network/rng';
import {
  BACKEND_CHOICES,
  DEFAULT_CONFIG,
  INIT_RULES,
  INITS,
  type BackendChoice,
  type InitName,
  type TrainConfig,
} from '../../core/network/spec';
import { useActions, useConfig, type LabActions } from '../../store/hooks';
import { ConfigChoice, ConfigNumber } from '../common/ConfigFields';

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
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const [open, setOpen] = useState(() => unusual(config));
  return (
    <details className="advanced" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Advanced: batch, validation, inputs, init, backend, seed</summary>
      <div className="settings-grid">
        <BatchFields />
        <ChoiceFields config={config} edit={edit} />
        <SeedField edit={edit} />
      </div>
    </details>
  );
}

/** A field's view of the controls' config and the way to change it. */
interface FieldProps {
  config: TrainConfig;
  edit: LabActions['editConfig'];
}

/** Batch size and validation split. */
function BatchFields() {
  return (
    <>
      <ConfigNumber field="batchSize" />
      <ConfigNumber field="validationSplit" />
    </>
  );
}

const INPUTS = [
  ['raw', 'raw 0..255 (article)'],
  ['scaled', 'scaled 0..1'],
] as const;

/** Input scaling, initialiser and backend. */
function ChoiceFields({ config, edit }: FieldProps) {
  return (
    <>
      <ConfigChoice
        label="inputs"
        value={config.preprocessing}
        options={INPUTS}
        onChange={(v) => edit((c) => ({ ...c, preprocessing: v === 'scaled' ? 'scaled' : 'raw' }))}
        hint={['inputs', 'raw or scaled inputs']}
      />
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
      <ConfigChoice
        label="backend"
        value={config.backend}
        options={BACKEND_CHOICES}
        onChange={(v) => edit((c) => ({ ...c, backend: v as BackendChoice }))}
        hint={['backend', 'the backend']}
      />
    </>
  );
}

/** The seed, and a button for a new random one. */
function SeedField({ edit }: Pick<FieldProps, 'edit'>) {
  return (
    <ConfigNumber field="seed" testId="seed" className="seed">
      <button type="button" onClick={() => edit((c) => setNumber(c, 'seed', randomSeed()))}>
        New seed
      </button>
    </ConfigNumber>
  );
}
