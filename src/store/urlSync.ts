/**
 * Keeps the address bar in step with the config: it is written once at start (so a drawn seed
 * and any values a bad link had replaced are in the address) and after every change, with
 * history.replaceState (no history entry per slider tick), so the address is always a share link.
 * Writes are coalesced, at most one per WRITE_INTERVAL_MS and always the newest: Chromium ignores
 * replaceState beyond about 200 calls in 10 s, which a fast slider drag reaches, and the address
 * would then stay behind the controls.
 */
import { encodeLink } from '../core/link/urlCodec';
import type { TrainConfig } from '../core/network/spec';
import type { ExperimentId } from '../core/experiments/experiments';
import type { LabStore } from './store';

export const WRITE_INTERVAL_MS = 200;

function write(config: TrainConfig, experiment: ExperimentId | null, budget: number | null): void {
  const url = new URL(location.href);
  const search = `?${encodeLink(config, experiment, budget)}`;
  if (url.search === search) return;
  url.search = search;
  history.replaceState(history.state, '', url);
}

export function syncConfigToUrl(store: LabStore): () => void {
  const now = store.getState();
  write(now.config, now.experiments.selected, now.budget);
  let last = Date.now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    last = Date.now();
    const s = store.getState();
    write(s.config, s.experiments.selected, s.budget);
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (
      state.config === previous.config &&
      state.budget === previous.budget &&
      state.experiments.selected === previous.experiments.selected
    )
      return;
    if (timer !== null) return; // the pending write will take the newest state
    timer = setTimeout(flush, Math.max(0, last + WRITE_INTERVAL_MS - Date.now()));
  });
  // Leaving the page (or hiding it) writes what is pending, so a reload or a bookmark has it.
  const onHide = () => {
    if (timer !== null) flush();
  };
  addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', onHide);
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
    removeEventListener('pagehide', onHide);
    document.removeEventListener('visibilitychange', onHide);
  };
}
