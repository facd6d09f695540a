import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { createJourney, journeyKeys } from './journeys-api';

/** Names a new draft journey, creates it with its trigger and opens it on the canvas. */
export function NewJourneyDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('Untitled journey');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: createJourney,
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: journeyKeys.lists });
      navigate(`/journeys/${id}`);
    },
  });
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(name);
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-journey-title" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="new-journey-title">New journey</h2>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
        </label>
        {create.error ? (
          <p className="error" role="alert">
            {create.error instanceof ApiError ? create.error.message : 'Could not create the journey'}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending}>
            Create journey
          </button>
        </div>
      </form>
    </dialog>
  );
}
