import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { type DraftConflict, DraftConflictError } from './use-autosave';

interface Props {
  conflict: DraftConflict;
  /** Drops this tab's unsaved changes and opens the draft as the server holds it. */
  onReload: () => Promise<void>;
  /** Saves this tab's draft over theirs. */
  onKeepMine: () => Promise<void>;
}

/** Says who saved the draft under this editor's feet, and lets the marketer choose whose stays. */
export function DraftConflictNotice({ conflict, onReload, onKeepMine }: Props) {
  const session = useQuery({ queryKey: ['session'], queryFn: api.session, staleTime: 60_000 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who =
    conflict.updatedBy === null
      ? 'An API client'
      : conflict.updatedBy === session.data?.email
        ? `You (${conflict.updatedBy}, in another tab or window)`
        : conflict.updatedBy;
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      // Refused again (someone saved once more): the notice now names that save.
      if (failure instanceof DraftConflictError) return;
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tl-conflict" role="alert" aria-labelledby="tl-conflict-title">
      <div>
        <p id="tl-conflict-title">
          <strong>{who}</strong> changed this journey at{' '}
          <time dateTime={conflict.updatedAt}>{new Date(conflict.updatedAt).toLocaleString()}</time>, after
          you opened it. Your changes since then are not saved.
        </p>
        <p className="tl-conflict-note">
          Reloading shows their version and drops your unsaved changes; keeping yours saves over theirs.
        </p>
        {error && <p className="error">{error}</p>}
      </div>
      <div className="tl-conflict-actions">
        <button type="button" className="tl-button" disabled={busy} onClick={() => void run(onReload)}>
          Reload their version
        </button>
        <button
          type="button"
          className="tl-button tl-button-primary"
          disabled={busy}
          onClick={() => void run(onKeepMine)}
        >
          Keep mine
        </button>
      </div>
    </div>
  );
}
