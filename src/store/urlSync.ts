/**
 * Keeps the address bar in step with the config: it is written once at start (so a drawn seed
 * and any values a bad link had replaced are in the address) and on every change, with
 * history.replaceState (no history entry per slider tick), so the address is always a share link.
 */
import { encodeLink } from '../core/urlCodec';
import type { TrainConfig } from '../core/spec';
import type { ExperimentId } from '../core/experiments';
import type { LabStore } from './store';

function write(config: TrainConfig, experiment: ExperimentId | null): void {
  const url = new URL(location.href);
  const search = `?${encodeLink(config, experiment)}`;
  if (url.search === search) return;
  url.search = search;
  history.replaceState(history.state, '', url);
}

export function syncConfigToUrl(store: LabStore): () => void {
  const now = store.getState();
  write(now.config, now.experiments.selected);
  return store.subscribe((state, previous) => {
    if (state.config !== previous.config || state.experiments.selected !== previous.experiments.selected) write(state.config, state.experiments.selected);
  });
}
