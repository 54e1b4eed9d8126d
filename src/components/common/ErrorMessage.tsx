import { useRun } from '../../store/hooks';

/** The run's error, and a reload button when only a reload mends it (a new release). */
export function ErrorMessage() {
  const { error, errorNeedsReload: reload } = useRun('error', 'errorNeedsReload');
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
