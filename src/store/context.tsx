/**
 * React binding: the store instance through context. Components read it with the hooks of
 * hooks.ts (the actions as one unchanging object, the state in narrow domain pieces); `useLab`
 * subscribes to one selector, for those hooks and the odd value they do not cover.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from './store';

const StoreContext = createContext<LabStore | null>(null);

export function LabStoreProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store instance of the surrounding provider. */
export function useLabStore(): LabStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useLab outside LabStoreProvider');
  return store;
}

/** Subscribes to one selected value of the state: the component re-renders when it changes. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabStore(), selector);
}
