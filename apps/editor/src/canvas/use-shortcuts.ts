import { useEffect } from 'react';
import type { CanvasStore } from './canvas-store';
import { isEditableTarget, shortcutOf } from './shortcuts';

/** Undo, redo, copy, paste, delete and select-all on the canvas; fields keep their own keys. */
export function useCanvasShortcuts(store: CanvasStore, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isEditableTarget(event.target)) return;
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      const state = store.getState();
      // Delete and copy act on the canvas selection; with the palette focused, nothing is selected there.
      if (shortcut === 'copy' && window.getSelection()?.toString()) return;
      event.preventDefault();
      switch (shortcut) {
        case 'undo':
          return state.undo();
        case 'redo':
          return state.redo();
        case 'copy':
          return state.copySelection();
        case 'paste':
          return state.paste();
        case 'delete':
          return state.deleteSelection();
        case 'selectAll':
          return state.select(state.nodes.map((node) => node.id));
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store, enabled]);
}
