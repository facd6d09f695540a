import { useCallback, useEffect, useRef, useState } from 'react';
import { canvasApi } from './canvas-api';
import { type CanvasStore, storedGraphOf } from './canvas-store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'failed';

const SAVE_DELAY_MS = 800;
const RETRY_DELAY_MS = 5000;

/**
 * Saves the draft a moment after each change (the server keeps drafts even when invalid). `flush`
 * saves now and resolves once the server holds the latest draft — publishing waits for it.
 */
export function useAutosave(store: CanvasStore, journeyId: string) {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const savedRevision = useRef(store.getState().revision);
  const saving = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    saving.current = saving.current.then(async () => {
      const state = store.getState();
      if (state.readOnly || state.revision === savedRevision.current) return;
      const revision = state.revision;
      setStatus('saving');
      try {
        await canvasApi.saveDraft(journeyId, storedGraphOf(state));
        savedRevision.current = revision;
        setStatus(store.getState().revision === revision ? 'saved' : 'unsaved');
      } catch (error) {
        setStatus('failed');
        // Try again by itself; a change meanwhile reschedules sooner.
        if (!timer.current)
          timer.current = setTimeout(() => void save().catch(() => undefined), RETRY_DELAY_MS);
        throw error;
      }
    });
    const done = saving.current;
    // A failed save must not block the next one.
    saving.current = done.catch(() => undefined);
    return done;
  }, [store, journeyId]);

  useEffect(() => {
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.revision === previous.revision || state.readOnly) return;
      setStatus('unsaved');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save().catch(() => undefined), SAVE_DELAY_MS);
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (store.getState().revision !== savedRevision.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', beforeUnload);
      // Leaving the page saves what is pending.
      if (timer.current) void save().catch(() => undefined);
    };
  }, [store, save]);

  return { status, flush: save };
}
