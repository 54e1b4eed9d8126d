/** React binding: the store instance through context, read with selectors. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from './store';

const StoreContext = createContext<LabStore | null>(null);

export function LabStoreProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useLab<T>(selector: (s: LabState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useLab outside LabStoreProvider');
  return useStore(store, selector);
}
