/**
 * Offline use (issue 13): whether the app's files are kept by the service worker, whether the
 * browser is online, and a waiting new release. The page's wiring (app/pwa.ts) reports these; the
 * top bar shows them.
 */
export interface OfflineState {
  /**
   * unsupported: no service worker here (an old browser, a page not served over HTTPS);
   * preparing: the app's files are being stored; ready: the lab opens and runs without a network;
   * failed: the service worker could not be installed (the lab still works online).
   */
  readonly readiness: 'unsupported' | 'preparing' | 'ready' | 'failed';
  readonly online: boolean;
  /** A new release is waiting: calling this reloads the page into it (null: none waiting). */
  readonly update: (() => void) | null;
}

export const INITIAL_OFFLINE: OfflineState = { readiness: 'unsupported', online: true, update: null };

/** The top bar's line for the offline state ('' when there is nothing worth saying). */
export function offlineText(s: OfflineState): string {
  if (!s.online) return s.readiness === 'ready' ? 'Offline: the lab runs from this browser’s copy' : 'Offline';
  if (s.readiness === 'ready') return 'Available offline';
  if (s.readiness === 'preparing') return 'Preparing offline use…';
  return '';
}
