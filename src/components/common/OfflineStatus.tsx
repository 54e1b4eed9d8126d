import { isOffline, offlineText } from '../../store/slices/offlineSlice';
import { useLabState } from '../../store/hooks';

/** "Available offline" once the app's files are kept; a reload button when a new release waits. */
export function OfflineStatus() {
  const { offline } = useLabState('offline');
  const text = offlineText(offline);
  return (
    <div className="offline">
      <span
        className="small muted"
        data-testid="offline-status"
        data-readiness={offline.readiness}
        data-online={String(!isOffline(offline))}
        role="status"
      >
        {text}
      </span>
      {offline.update ? (
        <span className="small update-prompt" data-testid="update-prompt" role="alert">
          A new version of the lab is ready.{' '}
          <button type="button" onClick={offline.update}>
            Reload to update
          </button>
        </span>
      ) : null}
    </div>
  );
}
