import { useEffect, useState } from 'react';

export interface NumberFieldProps {
  readonly label: string;
  readonly value: number | null;
  readonly onCommit: (value: number) => void;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number | 'any';
  readonly placeholder?: string;
  readonly testId?: string;
  /** Label for screen readers only (the row says what the field is). */
  readonly compact?: boolean;
}

/**
 * A labelled number input that lets a person type freely and commits a parsed number as they
 * type (and on blur or Enter); the config edit clamps it, and the field then shows what was used.
 */
export function NumberField({
  label,
  value,
  onCommit,
  min,
  max,
  step = 1,
  placeholder,
  testId,
  compact = false,
}: NumberFieldProps) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  const commit = (raw: string, onlyInRange: boolean) => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) return;
    if (onlyInRange && ((min !== undefined && n < min) || (max !== undefined && n > max))) return;
    onCommit(n);
  };
  return (
    <label className={compact ? 'field compact' : 'field'}>
      <span className={compact ? 'visually-hidden' : undefined}>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        value={text}
        {...(min !== undefined ? { min } : {})}
        {...(max !== undefined ? { max } : {})}
        step={step}
        {...(placeholder ? { placeholder } : {})}
        {...(testId ? { 'data-testid': testId } : {})}
        onChange={(e) => {
          setText(e.target.value);
          commit(e.target.value, true); // out-of-range values wait for blur or Enter, then clamp
        }}
        onBlur={() => {
          commit(text, false);
          setText(value === null ? '' : String(value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(text, false);
        }}
      />
    </label>
  );
}
