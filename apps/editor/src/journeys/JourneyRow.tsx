import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmDialog } from './ConfirmDialog';
import { archiveJourney, duplicateJourney, type JourneyListItem, journeyKeys } from './journeys-api';
import { StatusBadge } from './StatusBadge';
import { timeAgo } from './time-ago';

/** One journey in the list, with its duplicate and archive actions. */
export function JourneyRow({ journey }: { journey: JourneyListItem }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: journeyKeys.lists });
  const duplicate = useMutation({ mutationFn: () => duplicateJourney(journey.id), onSuccess: refresh });
  const archive = useMutation({
    mutationFn: () => archiveJourney(journey.id),
    onSuccess: async () => {
      setConfirming(false);
      await refresh();
    },
  });
  // Never published: nothing ran, so it is deleted rather than archived.
  const removes = journey.liveVersion === null;
  const error = duplicate.error ?? archive.error;

  return (
    <tr>
      <td>
        <Link to={`/journeys/${journey.id}`} className="row-title">
          {journey.name}
        </Link>
        {error ? (
          <div className="row-error" role="alert">
            {error.message}
          </div>
        ) : null}
      </td>
      <td>
        <StatusBadge status={journey.status} />
      </td>
      <td className="num">{journey.liveVersion === null ? '—' : `v${journey.liveVersion}`}</td>
      <td className="num">{journey.entered7d.toLocaleString('en')}</td>
      <td>
        <span className="edited-by">{journey.updatedBy ?? 'API token'}</span>
        <time dateTime={journey.updatedAt} title={new Date(journey.updatedAt).toLocaleString()}>
          {timeAgo(journey.updatedAt)}
        </time>
      </td>
      <td className="actions">
        <button
          type="button"
          className="secondary small"
          disabled={duplicate.isPending}
          onClick={() => duplicate.mutate()}
          aria-label={`Duplicate ${journey.name}`}
        >
          Duplicate
        </button>
        {journey.status !== 'archived' ? (
          <button
            type="button"
            className="secondary small"
            onClick={() => setConfirming(true)}
            aria-label={`${removes ? 'Delete' : 'Archive'} ${journey.name}`}
          >
            {removes ? 'Delete' : 'Archive'}
          </button>
        ) : null}
        {confirming ? (
          <ConfirmDialog
            title={removes ? `Delete “${journey.name}”?` : `Archive “${journey.name}”?`}
            confirmLabel={removes ? 'Delete journey' : 'Archive journey'}
            busy={archive.isPending}
            onConfirm={() => archive.mutate()}
            onCancel={() => setConfirming(false)}
          >
            {removes ? (
              <p>It was never published, so nobody is in it. The draft is deleted.</p>
            ) : (
              <p>
                Nobody new enters it, and everyone in it now leaves it. Its versions and statistics stay
                readable.
              </p>
            )}
          </ConfirmDialog>
        ) : null}
      </td>
    </tr>
  );
}
