/**
 * Keeps the address bar in step with the config: every change rewrites the query string with
 * history.replaceState (no history entry per slider tick), so the address is always a share link.
 */
import { encodeConfig } from '../core/urlCodec';
import type { LabStore } from './store';

export function syncConfigToUrl(store: LabStore): () => void {
  return store.subscribe((state, previous) => {
    if (state.config === previous.config) return;
    const url = new URL(location.href);
    url.search = `?${encodeConfig(state.config)}`;
    history.replaceState(history.state, '', url);
  });
}
