import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from '../store/store';
import { indexedDbRuns } from '../store/runsDb';
import { createTrainingClient } from '../worker/client';
import { LabStoreProvider } from '../store/context';
import { syncConfigToUrl } from '../store/urlSync';
import { App } from './App';
import './styles.css';

const store = createLabStore(location.search, createTrainingClient, indexedDbRuns());
syncConfigToUrl(store);
// Diagnostics for the end-to-end tests: simulate a lost GPU context.
(window as unknown as { mlpLab: object }).mlpLab = { loseWebGLContext: () => store.getState().debugLoseWebGLContext() };
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LabStoreProvider store={store}>
      <App />
    </LabStoreProvider>
  </StrictMode>,
);
