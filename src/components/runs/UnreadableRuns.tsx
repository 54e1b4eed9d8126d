import { unreadableText } from '../../core/runs/unreadable';
import { useActions, useRuns } from '../../store/hooks';

const when = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Stored records this version cannot read: listed with the reason, kept until deleted here. */
export function UnreadableRuns() {
  const { unreadable } = useRuns('unreadable');
  const { deleteUnreadable: remove } = useActions();
  if (unreadable.length === 0) return null;
  return (
    <div
      className="unreadable-runs"
      data-testid="unreadable-runs"
      role="region"
      aria-label="Stored runs that could not be read"
    >
      <p className="small notice-inline">{unreadableText(unreadable.length)}</p>
      <ul className="small">
        {unreadable.map((u) => {
          const name = u.startedAt === null ? `record ${u.key}` : `run of ${when.format(u.startedAt)}`;
          return (
            <li key={u.key} data-testid="unreadable-run">
              <span>
                {name}: {u.reason}.
              </span>{' '}
              <button
                type="button"
                aria-label={`Delete the unreadable ${name}`}
                data-testid="delete-unreadable"
                onClick={() => {
                  if (confirm('Delete this stored record? It cannot be read by this version of the lab.'))
                    remove([u.key]);
                }}
              >
                Delete
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
