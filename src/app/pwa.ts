/**
 * Registers the service worker that keeps the app for offline use (vite-plugin-pwa; see
 * vite.config.ts) and reports its state, the network's, and a waiting release to the store.
 */
import { registerSW } from 'virtual:pwa-register';
import type { LabStore } from '../store/store';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function registerOffline(store: LabStore): void {
  const set = store.getState().setOffline;
  const online = () => set({ online: navigator.onLine });
  online();
  addEventListener('online', online);
  addEventListener('offline', online);
  if (!('serviceWorker' in navigator)) return;
  // Already controlled: this page came from the kept copy, so it works offline.
  set({ readiness: navigator.serviceWorker.controller ? 'ready' : 'preparing' });
  let registration: ServiceWorkerRegistration | undefined;
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
      // A tab may stay open for days: look for a new release every hour.
      setInterval(() => {
        if (navigator.onLine) r.update().catch(() => undefined);
      }, UPDATE_CHECK_MS);
    },
  });
}
