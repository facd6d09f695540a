import { useEffect } from 'react';
import { canvasApi } from './canvas-api';
import { type CanvasStore, storedGraphOf } from './canvas-store';

const VALIDATE_DELAY_MS = 300;
const RETRY_DELAY_MS = 3000;

/**
 * Validates the draft on the server shortly after each edit that can change the answer (moving steps
 * cannot) and stores the answer for the canvas.
 */
export function useLiveValidation(store: CanvasStore) {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let inFlight: AbortController | null = null;
    const run = async () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const state = store.getState();
      const revision = state.logicRevision;
      try {
        const answer = await canvasApi.validate(storedGraphOf(state), controller.signal);
        if (!controller.signal.aborted) store.getState().setValidation({ revision, ...answer });
      } catch (error) {
        if (controller.signal.aborted) return;
        // Publishing waits for an answer: ask again shortly rather than leave it checking forever.
        console.error('validation failed; retrying', error);
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void run(), RETRY_DELAY_MS);
      }
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.logicRevision === previous.logicRevision) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), VALIDATE_DELAY_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      inFlight?.abort();
    };
  }, [store]);
}
