import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { type Channel, sendTest } from './templates-api';

/**
 * Sends the saved template as a test: to an address, with a chosen profile's data, or to the test
 * profiles. Without a `userId` from its opener (a send step on the canvas) it asks for one itself.
 */
export function SendTestDialog({
  templateId,
  channel,
  version,
  dirty,
  userId: chosenUserId,
  event,
  onClose,
}: {
  templateId: string;
  channel: Channel;
  version: number;
  dirty: boolean;
  userId?: string;
  event: Record<string, unknown> | undefined;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const session = useQuery({ queryKey: ['session'], queryFn: api.session });
  const [to, setTo] = useState('');
  const [typedUserId, setTypedUserId] = useState('');
  const userId = chosenUserId ?? typedUserId;
  const [testProfiles, setTestProfiles] = useState(false);
  const send = useMutation({
    mutationFn: () =>
      sendTest(templateId, {
        ...(to.trim() ? { to: to.trim() } : {}),
        ...(userId.trim() ? { userId: userId.trim() } : {}),
        ...(event ? { event } : {}),
        ...(testProfiles ? { testProfiles } : {}),
      }),
  });
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  useEffect(() => {
    if (channel === 'email' && session.data?.email) setTo((current) => current || session.data.email || '');
  }, [channel, session.data]);

  function submit(e: FormEvent) {
    e.preventDefault();
    send.mutate();
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="send-test-title" onCancel={onClose}>
      <form onSubmit={submit}>
        <h2 id="send-test-title">Send a test</h2>
        <p className="hint">
          Sends version {version} through the workspace’s delivery, marked as a test: no consent or caps
          apply, and it is listed among messages.
          {dirty ? ' Your unsaved changes are not in it — save first to test them.' : ''}
        </p>
        <label>
          To
          <input
            value={to}
            placeholder={channel === 'email' ? 'name@example.com' : 'the profile’s address'}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        {chosenUserId === undefined && (
          <label>
            With the data of (user id)
            <input
              value={typedUserId}
              placeholder="optional"
              onChange={(e) => setTypedUserId(e.target.value)}
            />
          </label>
        )}
        <p className="hint">
          {userId.trim()
            ? `Liquid reads the profile of “${userId.trim()}”${event ? ' and the sample event' : ''}.`
            : 'Liquid reads the profile with this address; choose one under “Preview as” to use another’s data.'}
        </p>
        <label className="check">
          <input type="checkbox" checked={testProfiles} onChange={(e) => setTestProfiles(e.target.checked)} />
          Also send to every test profile (trait <code>test_profile: true</code>)
        </label>
        {send.error ? (
          <p className="error" role="alert">
            {send.error.message}
          </p>
        ) : null}
        {send.data ? (
          <p className="success" role="status">
            Queued {send.data.messages.length} test {send.data.messages.length === 1 ? 'message' : 'messages'}
            {send.data.messages.length > 0
              ? `: ${send.data.messages.map((m) => m.to ?? m.userId ?? '?').join(', ')}`
              : ''}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
          <button type="submit" disabled={send.isPending}>
            Send test
          </button>
        </div>
      </form>
    </dialog>
  );
}
