/**
 * Offline use (issue 13): whether the app's files are kept by the service worker, whether the
 * lab's server can be reached, and a waiting new release. The page's wiring (app/pwa.ts) reports
 * these; the top bar shows them.
 */
export interface OfflineState {
  /**
   * unsupported: no service worker here (an old browser, a page not served over HTTPS);
   * preparing: the app's files are being stored; ready: the lab opens and runs without a network;
   * failed: the service worker could not be installed (the lab still works online).
   */
  readonly readiness: 'unsupported' | 'preparing' | 'ready' | 'failed';
  /** What the browser says (`navigator.onLine`): false is reliable, true is not. */
  readonly online: boolean;
  /**
   * Whether the last check for a new release reached the lab's server (null: not checked yet).
   * `navigator.onLine` reads true behind a captive portal, on a network without internet, when the
   * server is down, and (in some Chromium releases) in a page the service worker served while the
   * browser is offline; this is what actually happened.
   */
  readonly reachable: boolean | null;
  /** A new release is waiting: calling this reloads the page into it (null: none waiting). */
  readonly update: (() => void) | null;
}

export const INITIAL_OFFLINE: OfflineState = { readiness: 'unsupported', online: true, reachable: null, update: null };

/** Offline as the page should say it: the browser says so, or the server could not be reached. */
export function isOffline(s: Pick<OfflineState, 'online' | 'reachable'>): boolean {
  return !s.online || s.reachable === false;
}

/**
 * What a look at the server (a HEAD request for a file the service worker never keeps, past every
 * cache) says: reached if it answered 2xx from where it was asked. A network error (a thrown
 * error), an error status, or a redirect (a captive portal sending every request to its login
 * page) means the lab's server was not reached.
 */
export function reachableFrom(answer: { readonly ok: boolean; readonly redirected: boolean } | Error): boolean {
  return !(answer instanceof Error) && answer.ok && !answer.redirected;
}

/** The top bar's line for the offline state ('' when there is nothing worth saying). */
export function offlineText(s: OfflineState): string {
  if (isOffline(s)) return s.readiness === 'ready' ? 'Offline: the lab runs from this browser’s copy' : 'Offline';
  if (s.readiness === 'ready') return 'Available offline';
  if (s.readiness === 'preparing') return 'Preparing offline use…';
  return '';
}

export interface OfflineActions {
  /** What the page's wiring reports about offline use. */
  setOffline(change: Partial<OfflineState>): void;
}

export function createOfflineSlice(
  set: (f: (s: { readonly offline: OfflineState }) => { offline: OfflineState }) => void,
): { readonly offline: OfflineState } & OfflineActions {
  return {
    offline: INITIAL_OFFLINE,
    setOffline(change) {
      set((s) => ({ offline: { ...s.offline, ...change } }));
    },
  };
}
