import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleActions, ConsoleState, ConsoleStore } from './state/store.ts';

/** The console store, provided once by <App>; components select from it and call its actions. */
export const ConsoleContext = createContext<ConsoleStore | null>(null);

export function useConsole<T>(selector: (s: ConsoleState) => T): T {
  const store = useContext(ConsoleContext);
  if (store === null) throw new Error('useConsole is used outside <App>: render components inside it');
  return useStore(store, selector);
}

export const useActions = (): ConsoleActions => useConsole((s) => s.actions);
export const useColor = (): boolean => useConsole((s) => s.settings.color);
