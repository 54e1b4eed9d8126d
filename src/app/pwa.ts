/**
 * Registers the service worker that keeps the app for offline use (vite-plugin-pwa; see
 * vite.config.ts) and reports its state, the network's, and a waiting release to the store.
 *
 * Offline is decided from what happened, not from `navigator.onLine` alone (it reads true behind a
 * captive portal, on a network without internet, when the server is down, and in Chromium 150 in a
 * page the service worker served while the browser is offline). A page the service worker served
 * says nothing about the network (it comes from the kept copy either way), so such a page asks the
 * server for the dataset's manifest (HEAD, past every cache; data/ is never kept by the service
 * worker). If that fails, the server is out of reach, and it is asked again every 30 s.
 * (`registration.update()` is no such test: it resolved with the browser offline here.)
 */
import { registerSW } from 'virtual:pwa-register';
import { reachableFrom } from '../store/slices/offlineSlice';
import type { LabStore } from '../store/store';

const UPDATE_CHECK_MS = 60 * 60 * 1000;
const RETRY_WHILE_UNREACHABLE_MS = 30 * 1000;
const PROBE_TIMEOUT_MS = 10 * 1000;
/** A file of the lab's server that the service worker never keeps (see vite.config.ts). */
const PROBE_URL = 'data/mnist/manifest.json';

/** Whether the lab's server answers now. */
async function serverReachable(): Promise<boolean> {
  try {
    const answer = await fetch(PROBE_URL, {
      method: 'HEAD',
      cache: 'no-store',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return reachableFrom(answer);
  } catch (e) {
    return reachableFrom(e instanceof Error ? e : new Error(String(e)));
  }
}

export function registerOffline(store: LabStore): void {
  const set = store.getState().setOffline;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** Asks the server, reports whether it answered, and asks again in a while if it did not. */
  const probe = () => {
    clearTimeout(retry);
    void serverReachable().then((reachable) => {
      set({ reachable });
      if (!reachable) retry = setTimeout(probe, RETRY_WHILE_UNREACHABLE_MS);
    });
  };
  const online = () => {
    set({ online: navigator.onLine });
    if (navigator.onLine) probe();
  };
  set({ online: navigator.onLine });
  addEventListener('online', online);
  addEventListener('offline', online);
  if (!('serviceWorker' in navigator)) return;
  let registration: ServiceWorkerRegistration | undefined;
  // A page the kept copy served: is the server there? (A page the network served found it.)
  if (navigator.serviceWorker.controller) probe();
  else set({ reachable: true });
  // Already controlled: this page came from the kept copy, so it works offline.
  set({ readiness: navigator.serviceWorker.controller ? 'ready' : 'preparing' });
  // Only the tab where the person asked reloads: the new release takes over every open tab's
  // service worker, but a tab in the middle of a run keeps going on the code it has (onNeedReload
  // below stops vite-plugin-pwa from reloading every tab that showed the prompt).
  const reloadIntoUpdate = () => {
    // Nothing waiting to hand over to (a first visit the old release never controlled, or another
    // tab already made the new release active): the reload alone brings it.
    if (!navigator.serviceWorker.controller || !registration?.waiting) {
      location.reload();
      return;
    }
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    void updateSW(true);
  };
  const updateSW = registerSW({
    immediate: true,
    onOfflineReady: () => set({ readiness: 'ready' }),
    onNeedRefresh: () => set({ update: reloadIntoUpdate }),
    onNeedReload: () => undefined,
    onRegisterError: () => set({ readiness: 'failed' }),
    onRegisteredSW: (_url, r) => {
      registration = r;
      if (!r) return;
      // Installed by an earlier visit (and so ready) though this load was not controlled.
      if (r.active && !r.installing) set({ readiness: 'ready' });
      // A tab may stay open for days: look for a new release (and at the server) every hour.
      setInterval(() => {
        if (!navigator.onLine) return;
        probe();
        r.update().catch(() => undefined);
      }, UPDATE_CHECK_MS);
    },
  });
}
