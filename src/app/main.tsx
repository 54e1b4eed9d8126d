import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from '../store/store';
import { LabStoreProvider } from '../store/context';
import { App } from './App';
import './styles.css';

const store = createLabStore(location.search);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LabStoreProvider store={store}>
      <App />
    </LabStoreProvider>
  </StrictMode>,
);
