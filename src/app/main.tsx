import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from '../store/store';
import { indexedDbRuns } from '../store/runsDb';
import { browserTabs } from '../store/tabs';
import { createTrainingClient } from '../worker/client';
import { readResultsInWorker } from '../worker/resultsClient';
import type { InjectedTimes } from '../core/device/backendTrial';
import { LabStoreProvider } from '../store/context';
import { syncConfigToUrl } from '../store/urlSync';
import { App } from './App';
import { registerOffline } from './pwa';
import './styles.css';

/** localStorage, or null where the browser refuses it (some private modes throw on access). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const store = createLabStore(
  location.search,
  createTrainingClient,
  indexedDbRuns(),
  Date.now,
  safeLocalStorage(),
  browserTabs(),
  readResultsInWorker,
);
syncConfigToUrl(store);
registerOffline(store);
// While an import is being read, tested or stored, leaving the page asks first: the runs not yet
// written would be lost (the batches written stay whole).
window.addEventListener('beforeunload', (e) => {
  if (store.getState().imports.status === 'working') e.preventDefault();
});
// Diagnostics for the end-to-end tests and the benchmark, only in their build (vite build --mode
// diagnostics; the shipped app has none): simulate a lost GPU context; time predictions of a
// drawing (ink [width * height], 0..1) with the model in use; give backend=auto times to choose by.
if (import.meta.env.MODE === 'diagnostics') {
  (window as unknown as { mlpLab: object }).mlpLab = {
    loseWebGLContext: () => store.getState().debugLoseWebGLContext(),
    injectBackendTimes: (times: InjectedTimes | null) => store.getState().debugInjectBackendTimes(times),
    timePredictions: (ink: ArrayLike<number>, width: number, height: number, n: number) =>
      store.getState().timePredictions(Float32Array.from(ink), width, height, n),
    // The last Step's probabilities for its image, and the drawing's with the model in use (full precision).
    stepProbs: () => Array.from(store.getState().step.result?.probs ?? []),
    drawnProbs: () => Array.from(store.getState().draw.prediction?.probs ?? []),
    // The current run as the diagnosis reads it (scripts/record-truth.mjs records these).
    trace: () => {
      const { run } = store.getState();
      return {
        status: run.status,
        config: run.config,
        backend: run.backend?.name ?? null,
        samples: run.samples,
        health: run.health,
        epochs: run.epochs,
        testAcc: run.outcome?.testAcc ?? null,
        testLoss: run.outcome?.testLoss ?? null,
      };
    },
  };
}
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LabStoreProvider store={store}>
      <App initialTab={store.getState().experiments.selected ? 'experiments' : 'epochs'} />
    </LabStoreProvider>
  </StrictMode>,
);
