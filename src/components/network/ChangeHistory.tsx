import { useActions, useLabState } from '../../store/hooks';

/**
 * The one-click changes of this visit (fixes, setups, the guide's network, the quick run), newest
 * first, each with a way back to the settings from before it: Undo stays here after the bar that
 * announced the change has gone. Shown only once there is a change.
 */
export function ChangeHistory() {
  const { changes } = useLabState('changes');
  const { undoChange } = useActions();
  if (changes.length === 0) return null;
  const newestFirst = [...changes].reverse();
  return (
    <details className="change-history" data-testid="change-history">
      <summary>
        One-click changes ({changes.length}) <span className="small muted">· undo any of them</span>
      </summary>
      <ol className="small">
        {newestFirst.map((c, i) => (
          <li key={c.id}>
            <span>{c.message}</span>{' '}
            <button
              type="button"
              className="link"
              data-testid="undo-change"
              onClick={() => undoChange(c.id)}
              title={i === 0 ? undefined : `Also undoes the ${i} change${i === 1 ? '' : 's'} after it`}
            >
              {i === 0 ? 'Undo' : `Undo this and the ${i} after it`}
            </button>
          </li>
        ))}
      </ol>
    </details>
  );
}
