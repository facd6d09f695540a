import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { starterContent } from './starter-content';
import { type Channel, channelLabels, channels, createTemplate, templateKeys } from './templates-api';

/** Names a new template of a channel, creates it from that channel's starter and opens it. */
export function NewTemplateDialog({ channel: initial, onClose }: { channel: Channel; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [channel, setChannel] = useState<Channel>(initial);
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      createTemplate(name.trim() || `Untitled ${channelLabels[channel]}`, starterContent[channel]),
    onSuccess: async ({ id }) => {
      await queryClient.invalidateQueries({ queryKey: templateKeys.lists });
      navigate(`/templates/${id}`);
    },
  });
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="new-template-title" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="new-template-title">New template</h2>
        <label>
          Channel
          <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelLabels[c]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            value={name}
            placeholder={`Untitled ${channelLabels[channel]}`}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            autoFocus
          />
        </label>
        {create.error ? (
          <p className="error" role="alert">
            {create.error.message}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending}>
            Create template
          </button>
        </div>
      </form>
    </dialog>
  );
}
