import { describeNotice } from '../../core/link/urlCodec';
import { useActions, useLabState } from '../../store/hooks';

/** Lists what the share URL held that the lab could not use, and what it used instead. */
export function NoticeBar() {
  const { notices } = useLabState('notices');
  const { dismissNotices: dismiss } = useActions();
  if (notices.length === 0) return null;
  return (
    <section className="notice" role="status" data-testid="url-notices">
      <strong>Some settings in this link could not be used:</strong>
      <ul>
        {notices.map((n, i) => (
          <li key={i}>{describeNotice(n)}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}
