/**
 * Keeps the address bar in step with the config: it is written once at start (so a drawn seed
 * and any values a bad link had replaced are in the address) and on every change, with
 * history.replaceState (no history entry per slider tick), so the address is always a share link.
 */
import { encodeConfig } from '../core/urlCodec';
import type { TrainConfig } from '../core/spec';
import type { LabStore } from './store';

function write(config: TrainConfig): void {
  const url = new URL(location.href);
  const search = `?${encodeConfig(config)}`;
  if (url.search === search) return;
  url.search = search;
  history.replaceState(history.state, '', url);
}

export function syncConfigToUrl(store: LabStore): () => void {
  write(store.getState().config);
  return store.subscribe((state, previous) => {
    if (state.config !== previous.config) write(state.config);
  });
}
