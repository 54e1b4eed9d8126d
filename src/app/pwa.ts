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
  // Workbox reloads only for updates it found itself; one found later (by the hourly check, or
  // another tab) counts as external. Either way, the page reloads once the new release controls it.
  const reloadIntoUpdate = () => {
    // A page the old release did not control (the first visit) has nothing to hand over: reload.
    if (!navigator.serviceWorker.controller) {
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
    onRegisterError: () => set({ readiness: 'failed' }),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      // Installed by an earlier visit (and so ready) though this load was not controlled.
      if (registration.active && !registration.installing) set({ readiness: 'ready' });
      // A tab may stay open for days: look for a new release every hour.
      setInterval(() => {
        if (navigator.onLine) registration.update().catch(() => undefined);
      }, UPDATE_CHECK_MS);
    },
  });
}
