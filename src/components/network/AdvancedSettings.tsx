import { useState } from 'react';
import { setNumber, setOptimizer } from '../../core/network/edit';
import { randomSeed } from '../../core/network/rng';
import {
  BACKEND_CHOICES,
  DEFAULT_CONFIG,
  DEFAULT_PATIENCE,
  INIT_RULES,
  INITS,
  LIMITS,
  OPTIMIZERS,
  type BackendChoice,
  type InitName,
  type OptimizerName,
  type TrainConfig,
} from '../../core/network/spec';
import { useActions, useConfig, type LabActions } from '../../store/hooks';
import { ConfigChoice, ConfigNumber } from '../common/ConfigFields';
import { DeviceMemoryLine } from './DeviceMemoryLine';
import { ScheduleFields } from './ScheduleFields';
import { Hint } from '../common/Hint';
import { NumberField } from '../common/NumberField';
import { hasDropout, layerDropout, setDropout } from '../../core/network/dropout';
import { isScheduled } from '../../core/network/schedule';
import { hasBatchNorm, layerNorm, setBatchNorm } from '../../core/network/batchNorm';

/** Whether a config sets any of the settings here away from the article's (seed aside). */
const unusual = (c: TrainConfig) =>
  c.optimizer !== DEFAULT_CONFIG.optimizer ||
  c.learningRate !== DEFAULT_CONFIG.learningRate ||
  c.batchSize !== DEFAULT_CONFIG.batchSize ||
  c.validationSplit !== DEFAULT_CONFIG.validationSplit ||
  c.preprocessing !== DEFAULT_CONFIG.preprocessing ||
  c.backend !== DEFAULT_CONFIG.backend ||
  c.init !== DEFAULT_CONFIG.init ||
  c.l2 !== DEFAULT_CONFIG.l2 ||
  c.l1 !== DEFAULT_CONFIG.l1 ||
  c.maxNorm !== DEFAULT_CONFIG.maxNorm ||
  hasDropout(c) ||
  c.earlyPatience !== null ||
  isScheduled(c) ||
  c.loss !== DEFAULT_CONFIG.loss ||
  c.augment !== DEFAULT_CONFIG.augment ||
  hasBatchNorm(c);

/**
 * Settings a beginner leaves alone at first (the setup switch at the top sets the ones that
 * matter together): optimizer and learning rate, batch size, validation split, input scaling,
 * initialiser, backend and seed. Open from the start when the page opens with any of them
 * changed, so no setting hides.
 */
export function AdvancedSettings() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const [open, setOpen] = useState(() => unusual(config));
  return (
    <details className="advanced" data-testid="advanced" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Advanced: optimizer, batch, seed, …</summary>
      <div className="settings-grid">
        <OptimizerFields config={config} edit={edit} />
        <BatchFields />
        <ChoiceFields config={config} edit={edit} />
        <SeedField edit={edit} />
      </div>
      <DeviceMemoryLine />
    </details>
  );
}

/** A field's view of the controls' config and the way to change it. */
interface FieldProps {
  config: TrainConfig;
  edit: LabActions['editConfig'];
}

/** The optimizer and its learning rate (a slider on a log scale, 10⁻⁶ … 10). */
function OptimizerFields({ config, edit }: FieldProps) {
  return (
    <>
      <ConfigChoice
        label="optimizer"
        value={config.optimizer}
        options={OPTIMIZERS}
        onChange={(v) => edit((c) => setOptimizer(c, v as OptimizerName))}
        hint={['optimizer', 'the optimizer']}
      />
      <div className="with-hint lr">
        <label className="field">
          <span>learning rate {config.learningRate}</span>
          <input
            type="range"
            min={-6}
            max={1}
            step={0.1}
            value={Math.log10(config.learningRate)}
            aria-valuetext={String(config.learningRate)}
            onChange={(e) =>
              edit((c) => setNumber(c, 'learningRate', Number(Math.pow(10, Number(e.target.value)).toPrecision(2))))
            }
          />
        </label>
        <Hint term="learningRate" label="the learning rate" />
      </div>
      <ScheduleFields />
    </>
  );
}

/** Batch size and validation split. */
function BatchFields() {
  return (
    <>
      <ConfigNumber field="batchSize" />
      <ConfigNumber field="validationSplit" />
      <ConfigNumber field="l2" testId="l2" />
      <ConfigNumber field="l1" testId="l1" />
      <ConfigNumber field="maxNorm" testId="maxnorm" />
      <DropoutField />
      <ConfigNumber field="inputDropout" testId="indrop" />
      <BatchNormField />
      <EarlyFields />
    </>
  );
}

const EARLY_CHOICES = [
  ['off', 'off'],
  ['val_loss', 'on validation loss'],
  ['val_accuracy', 'on validation accuracy'],
] as const;

/** Early stopping: off, or what it watches; then its patience. */
function EarlyFields() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const on = config.earlyPatience !== null;
  return (
    <>
      <ConfigChoice
        label="early stopping"
        value={on ? config.earlyMonitor : 'off'}
        options={EARLY_CHOICES}
        testId="early-on"
        onChange={(v) =>
          edit((c) =>
            v === 'val_loss' || v === 'val_accuracy'
              ? { ...c, earlyMonitor: v, earlyPatience: c.earlyPatience ?? DEFAULT_PATIENCE }
              : { ...c, earlyPatience: null },
          )
        }
        hint={['early', 'early stopping']}
      />
      {on ? <ConfigNumber field="earlyPatience" testId="early" /> : null}
    </>
  );
}

/** Dropout after every hidden layer; where the layers differ, each layer's row has its own field. */
function DropoutField() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const rates = config.layers.map(layerDropout);
  const same = rates.every((r) => r === rates[0]);
  return (
    <div className="with-hint">
      <NumberField
        label={same ? 'dropout, every hidden layer' : 'dropout, every hidden layer (now per layer)'}
        value={same ? (rates[0] ?? 0) : null}
        placeholder="per layer"
        min={0}
        max={LIMITS.maxDropout}
        step={0.1}
        testId="dropout"
        onCommit={(v) => edit((c) => setDropout(c, v))}
      />
      <Hint term="dropout" label="dropout" />
    </div>
  );
}

const BN_CHOICES = [
  ['none', 'none'],
  ['all', 'every hidden layer'],
  ['some', 'some layers'],
] as const;

/** Batch normalization in every hidden layer or none; where only some have it, each layer's row says which. */
function BatchNormField() {
  const config = useConfig();
  const { editConfig: edit } = useActions();
  const on = config.layers.map(layerNorm);
  const value = on.length > 0 && on.every(Boolean) ? 'all' : on.some(Boolean) ? 'some' : 'none';
  return (
    <ConfigChoice
      label="batch normalization"
      value={value}
      options={value === 'some' ? BN_CHOICES : BN_CHOICES.slice(0, 2)}
      testId="bn"
      onChange={(v) => edit((c) => (v === 'all' ? setBatchNorm(c, true) : v === 'none' ? setBatchNorm(c, false) : c))}
      hint={['batchNorm', 'batch normalization']}
    />
  );
}

/** Short enough for the settings grid's half-width column ("mean squared error" is cut there). */
const LOSS_CHOICES = [
  ['ce', 'cross-entropy'],
  ['mse', 'squared error'],
] as const;

const AUGMENT_CHOICES = [
  ['none', 'none'],
  ['affine', 'affine'],
  ['elastic', 'elastic'],
] as const;

const INPUTS = [
  ['raw', 'raw 0..255'],
  ['scaled', 'scaled 0..1'],
] as const;

/** The loss, augmentation, input scaling, initialiser and backend. */
function ChoiceFields({ config, edit }: FieldProps) {
  return (
    <>
      <ConfigChoice
        label="loss function"
        value={config.loss}
        options={LOSS_CHOICES}
        testId="loss"
        onChange={(v) => edit((c) => ({ ...c, loss: v === 'mse' ? 'mse' : 'ce' }))}
        hint={['lossFn', 'the loss function']}
      />
      <ConfigChoice
        label="augmentation"
        value={config.augment}
        options={AUGMENT_CHOICES}
        testId="aug"
        onChange={(v) => edit((c) => ({ ...c, augment: v === 'affine' || v === 'elastic' ? v : 'none' }))}
        hint={['augment', 'augmentation']}
      />
      <ConfigChoice
        label="inputs"
        value={config.preprocessing}
        options={INPUTS}
        onChange={(v) => edit((c) => ({ ...c, preprocessing: v === 'scaled' ? 'scaled' : 'raw' }))}
        hint={['inputs', 'raw or scaled inputs']}
      />
      <label className="field wide">
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
