/**
 * Fields of the controls that each edit one setting of the config, with the glossary's hint beside
 * them: a number (epochs, batch size, seed…) or a choice (optimizer, inputs, backend).
 */
import type { ReactNode } from 'react';
import { setNumber } from '../../core/network/edit';
import { LIMITS } from '../../core/network/spec';
import { useActions, useConfig } from '../../store/hooks';
import type { Term } from '../lib/glossary';
import { Hint } from './Hint';
import { NumberField, type NumberFieldProps } from './NumberField';

type NumberKey = Parameters<typeof setNumber>[1];

/** The hint's glossary term and what its button says it explains. */
type HintOf = readonly [Term, string];

type FieldLook = Omit<NumberFieldProps, 'value' | 'onCommit' | 'testId' | 'compact'> & { readonly hint: HintOf };

/** How each number setting is shown: its label, range (the limits edit.ts clamps to) and hint. */
const NUMBER_SETTINGS: Record<Exclude<NumberKey, 'learningRate'>, FieldLook> = {
  epochs: { label: 'epochs', min: LIMITS.minEpochs, max: LIMITS.maxEpochs, hint: ['epochs', 'an epoch'] },
  subset: {
    label: 'training images',
    min: LIMITS.minSubset,
    max: LIMITS.maxSubset,
    placeholder: 'all 60,000',
    hint: ['subset', 'training images'],
  },
  batchSize: { label: 'batch size', min: LIMITS.minBatch, max: LIMITS.maxBatch, hint: ['batch', 'the batch size'] },
  validationSplit: {
    label: 'validation split',
    min: LIMITS.minVal,
    max: LIMITS.maxVal,
    step: 0.05,
    hint: ['validation', 'the validation split'],
  },
  seed: { label: 'seed', min: 0, max: LIMITS.maxSeed, hint: ['seed', 'the seed'] },
  l2: { label: 'L2 weight decay', min: LIMITS.minL2, max: LIMITS.maxL2, step: 0.0001, hint: ['l2', 'L2 weight decay'] },
  l1: {
    label: 'L1 weight decay',
    min: LIMITS.minL2,
    max: LIMITS.maxL2,
    step: 0.00001,
    hint: ['l1', 'L1 weight decay'],
  },
  maxNorm: {
    label: 'max-norm',
    min: 0,
    max: LIMITS.maxMaxNorm,
    step: 0.5,
    hint: ['maxNorm', 'the max-norm constraint'],
  },
  earlyPatience: {
    label: 'patience (epochs)',
    min: 0,
    max: LIMITS.maxEpochs,
    placeholder: 'off',
    hint: ['early', 'early stopping'],
  },
  warmup: {
    label: 'warm-up (epochs)',
    min: 0,
    max: LIMITS.maxEpochs - 1,
    hint: ['warmup', 'warm-up'],
  },
  inputDropout: {
    label: 'input dropout',
    min: 0,
    max: LIMITS.maxDropout,
    step: 0.1,
    hint: ['inputDropout', 'input dropout'],
  },
};

/** A number setting of the config (clamped by core/network/edit.ts), with its hint; `children` follow the hint. */
export function ConfigNumber({
  field,
  testId,
  className,
  children,
}: {
  readonly field: keyof typeof NUMBER_SETTINGS;
  readonly testId?: string;
  readonly className?: string;
  readonly children?: ReactNode;
}) {
  const config = useConfig();
  const { editConfig } = useActions();
  const { hint, ...look } = NUMBER_SETTINGS[field];
  return (
    <div className={className ? `with-hint ${className}` : 'with-hint'}>
      <NumberField
        {...look}
        {...(testId ? { testId } : {})}
        value={config[field]}
        onCommit={(v) => editConfig((c) => setNumber(c, field, v))}
      />
      <Hint term={hint[0]} label={hint[1]} />
      {children}
    </div>
  );
}

/** A choice among a few values, with its hint. Options are the values themselves, or [value, label]. */
export function ConfigChoice({
  label,
  value,
  options,
  onChange,
  hint,
  testId,
}: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly (string | readonly [string, string])[];
  readonly onChange: (value: string) => void;
  readonly hint: HintOf;
  readonly testId?: string;
}) {
  return (
    <div className="with-hint">
      <label className="field">
        <span>{label}</span>
        <select value={value} onChange={(e) => onChange(e.target.value)} {...(testId ? { 'data-testid': testId } : {})}>
          {options.map((o) =>
            typeof o === 'string' ? (
              <option key={o}>{o}</option>
            ) : (
              <option key={o[0]} value={o[0]}>
                {o[1]}
              </option>
            ),
          )}
        </select>
      </label>
      <Hint term={hint[0]} label={hint[1]} />
    </div>
  );
}
