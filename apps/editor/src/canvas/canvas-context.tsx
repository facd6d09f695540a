import type { NodeTypeDescription } from '@touchline/journey';
import { createContext, useContext, useRef } from 'react';
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

/**
 * Wraps a selector that returns an object with a fixed set of fields so that it keeps returning the
 * same object while every field is the same value (`Object.is`), as `useShallow` does, but without
 * building maps of both objects on each call: every card on the canvas runs its selector on every
 * store change, which is every frame of a drag.
 */
export function useFields<S, T extends object>(selector: (state: S) => T): (state: S) => T {
  const previous = useRef<T | undefined>(undefined);
  return (state) => {
    const next = selector(state);
    const before = previous.current;
    if (before !== undefined && sameFields(before, next)) return before;
    previous.current = next;
    return next;
  };
}

function sameFields<T extends object>(a: T, b: T): boolean {
  for (const key in a) if (!Object.is(a[key], b[key])) return false;
  return true;
}

/** The registry's descriptions, by type id (server data from the query cache). */
export const NodeTypesContext = createContext<ReadonlyMap<string, NodeTypeDescription>>(new Map());

export const useNodeType = (type: string) => useContext(NodeTypesContext).get(type);
