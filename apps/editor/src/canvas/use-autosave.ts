import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api';
import { canvasApi } from './canvas-api';
import { type CanvasStore, storedGraphOf } from './canvas-store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'failed' | 'conflict';

/** Someone else saved the draft after the revision this editor's changes were based on. */
export interface DraftConflict {
  /** The draft's revision on the server now: "Keep mine" saves over exactly this one. */
  draftRevision: number;
  updatedAt: string;
  /** The email of the member who saved it; null for an API client. */
  updatedBy: string | null;
}

/** A save (or a flush before publishing) refused until the conflict is resolved. */
export class DraftConflictError extends Error {
  constructor(readonly conflict: DraftConflict) {
    super(
      `${conflict.updatedBy ?? 'An API client'} saved this journey at ${new Date(conflict.updatedAt).toLocaleString()}, ` +
        'after you opened it, so your changes are not saved. Reload their version or keep yours first.',
    );
  }
}

const SAVE_DELAY_MS = 800;
const RETRY_DELAY_MS = 5000;

function conflictOf(error: unknown): DraftConflict | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const body = error.body as Partial<DraftConflict> | undefined;
  if (typeof body?.draftRevision !== 'number' || typeof body.updatedAt !== 'string') return null;
  return { draftRevision: body.draftRevision, updatedAt: body.updatedAt, updatedBy: body.updatedBy ?? null };
}

interface Tracked {
  base: number;
  saved: number;
  conflict: DraftConflict | null;
}

// What a draft store's saves have reached, kept with the store rather than the component: the
// editor's frame mounts again when a published version is opened and closed, and starting again
// from the revision loaded with the page would refuse its own next save as a conflict.
const trackedByStore = new WeakMap<CanvasStore, Tracked>();

function trackedOf(store: CanvasStore, loadedRevision: number): Tracked {
  let tracked = trackedByStore.get(store);
  if (!tracked) {
    tracked = { base: loadedRevision, saved: store.getState().revision, conflict: null };
    trackedByStore.set(store, tracked);
  }
  return tracked;
}

/**
 * Saves the draft a moment after each change (the server keeps drafts even when invalid). `flush`
 * saves now and resolves once the server holds the latest draft — publishing waits for it.
 *
 * Each save names the draft revision it is based on (the one loaded, then each one saved), so a
 * save over someone else's newer draft is refused instead of silently overwriting it. Then
 * nothing more is saved, and `flush` fails, until `keepMine` saves over theirs (or the editor
 * reloads their version).
 */
export function useAutosave(store: CanvasStore, journeyId: string, loadedRevision: number) {
  // The store's own record, changed in place: the next mount of the frame starts from it.
  const tracked = useRef(trackedOf(store, loadedRevision));
  const [status, setStatus] = useState<SaveStatus>(tracked.current.conflict ? 'conflict' : 'saved');
  const [conflict, setConflict] = useState<DraftConflict | null>(tracked.current.conflict);
  const saving = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = useCallback(
    (force = false): Promise<void> => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      saving.current = saving.current.then(async () => {
        if (tracked.current.conflict) throw new DraftConflictError(tracked.current.conflict);
        const state = store.getState();
        if (state.readOnly || (!force && state.revision === tracked.current.saved)) return;
        const revision = state.revision;
        setStatus('saving');
        try {
          const saved = await canvasApi.saveDraft(journeyId, storedGraphOf(state), tracked.current.base);
          tracked.current.base = saved.draftRevision;
          tracked.current.saved = revision;
          setStatus(store.getState().revision === revision ? 'saved' : 'unsaved');
        } catch (error) {
          const reported = conflictOf(error);
          if (reported) {
            // Not retried: saving again would refuse again. The marketer chooses.
            if (timer.current) clearTimeout(timer.current);
            timer.current = null;
            tracked.current.conflict = reported;
            setConflict(reported);
            setStatus('conflict');
            throw new DraftConflictError(reported);
          }
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
    },
    [store, journeyId],
  );

  /** Saves this editor's draft over theirs, based on the revision the refusal reported. */
  const keepMine = useCallback((): Promise<void> => {
    const reported = tracked.current.conflict;
    if (!reported) return Promise.resolve();
    tracked.current.base = reported.draftRevision;
    tracked.current.conflict = null;
    setConflict(null);
    // Forced: their draft is replaced by what this tab shows, even with no change since the refusal.
    return save(true);
  }, [save]);

  useEffect(() => {
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.revision === previous.revision || state.readOnly || tracked.current.conflict) return;
      setStatus('unsaved');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save().catch(() => undefined), SAVE_DELAY_MS);
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (store.getState().revision !== tracked.current.saved) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', beforeUnload);
      // Leaving the page saves what is pending (not over someone else's draft: that is refused).
      if (timer.current) void save().catch(() => undefined);
    };
  }, [store, save]);

  const flush = useCallback(() => save(), [save]);
  return { status, conflict, flush, keepMine };
}
