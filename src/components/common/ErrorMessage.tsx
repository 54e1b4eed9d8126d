import { useLab } from '../../store/context';
import { selectError, selectErrorNeedsReload } from '../../store/selectors';

/** The run's error, and a reload button when only a reload mends it (a new release). */
export function ErrorMessage() {
  const error = useLab(selectError);
  const reload = useLab(selectErrorNeedsReload);
  if (!error) return null;
  return (
    <section className="error" role="alert" data-testid="error-message">
      {error}
      {reload ? (
        <>
          {' '}
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
        </>
      ) : null}
    </section>
  );
}
