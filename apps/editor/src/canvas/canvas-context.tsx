import type { NodeTypeDescription } from '@touchline/journey';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { CanvasState, CanvasStore } from './canvas-store';

export const CanvasStoreContext = createContext<CanvasStore | null>(null);

/** The open journey's store; components read it through selectors. */
export function useCanvasStore(): CanvasStore {
  const store = useContext(CanvasStoreContext);
  if (!store) throw new Error('useCanvasStore outside a CanvasStoreContext');
  return store;
}

export function useCanvas<T>(selector: (state: CanvasState) => T): T {
  return useStore(useCanvasStore(), selector);
}

/** The registry's descriptions, by type id (server data from the query cache). */
export const NodeTypesContext = createContext<ReadonlyMap<string, NodeTypeDescription>>(new Map());

export const useNodeType = (type: string) => useContext(NodeTypesContext).get(type);
