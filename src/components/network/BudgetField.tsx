import { useState } from 'react';
import { BUDGET_LIMITS } from '../../core/network/budget';
import { formatCount } from '../../core/network/params';
import { useActions, useConfig, useLabState, useParamTotal } from '../../store/hooks';
import { NumberField } from '../common/NumberField';

/**
 * Budget mode: hold the total parameter count while layers are added or removed (the widths are
 * solved for it); a width edited by hand leaves the mode. Folded away until someone wants it (open
 * whenever a budget is held, so a held budget never hides); its number is disabled while the mode
 * is off.
 */
export function BudgetField() {
  const { budget } = useLabState('budget');
  const { setBudget } = useActions();
  const config = useConfig();
  const total = useParamTotal();
  const [opened, setOpened] = useState(false);
  const none = config.layers.length === 0;
  const held = budget !== null;
  const miss = budget === null ? 0 : (total - budget) / budget;
  return (
    <details
      className="budget"
      data-testid="budget"
      open={held || opened}
      onToggle={(e) => setOpened(e.currentTarget.open)}
    >
      <summary>
        Parameter budget <span className="small muted">{held ? `· holding ${formatCount(budget)}` : '· off'}</span>
      </summary>
      <label className="check">
        <input
          type="checkbox"
          data-testid="budget-mode"
          checked={held}
          disabled={none}
          onChange={(e) => setBudget(e.target.checked ? total : null)}
        />{' '}
        hold the parameter count while the depth changes
      </label>
      {/* A disabled fieldset disables the field inside it: the number means nothing while the mode is off. */}
      <fieldset className="plain" disabled={!held || none}>
        <NumberField
          label="parameter budget"
          value={budget ?? total}
          min={BUDGET_LIMITS.min}
          max={BUDGET_LIMITS.max}
          step={50}
          testId="param-budget"
          onCommit={(v) => !none && setBudget(Math.round(Math.min(BUDGET_LIMITS.max, Math.max(BUDGET_LIMITS.min, v))))}
        />
      </fieldset>
      <p className="small muted" data-testid="budget-status" aria-live="polite">
        {budget === null
          ? 'Widths as set. Tick the box to have them solved for a budget.'
          : `Widths solved for ${formatCount(budget)} parameters: ${formatCount(total)} (${miss >= 0 ? '+' : '−'}${Math.abs(miss * 100).toFixed(2)} %)${Math.abs(miss) > 0.01 ? ', the nearest this depth allows' : ''}. Editing a width by hand leaves budget mode.`}
      </p>
    </details>
  );
}
