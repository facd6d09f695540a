import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router';
import { canvasApi } from './canvas-api';
import { journeyFor } from './early-fetch';
import { JourneyEditor } from './JourneyEditor';
import './canvas.css';

/** One journey on the canvas, at /journeys/:id. */
export function JourneyCanvasPage() {
  const { id = '' } = useParams();
  const journey = useQuery({
    queryKey: ['journey', id],
    queryFn: () => journeyFor(id),
    // The canvas store owns the draft once open: never refetched while open, never reused after.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
  const nodeTypes = useQuery({ queryKey: ['node-types'], queryFn: canvasApi.nodeTypes, staleTime: 300_000 });
  // Each reload opens a new editor, so the draft store and the revision it is based on start afresh.
  const [opened, setOpened] = useState(0);
  const { refetch } = journey;
  const reload = useCallback(async () => {
    const fetched = await refetch();
    if (fetched.error) throw fetched.error;
    setOpened((count) => count + 1);
  }, [refetch]);

  // A reload that fails keeps the open editor (and its unsaved changes); its notice says why.
  if ((journey.isError && !journey.data) || (nodeTypes.isError && !nodeTypes.data)) {
    return (
      <main className="content">
        <h1>Journey</h1>
        <p className="error" role="alert">
          {(journey.error ?? nodeTypes.error)?.message}
        </p>
      </main>
    );
  }
  if (!journey.data || !nodeTypes.data) {
    return (
      <main className="content" aria-busy="true">
        <p className="muted">Opening the journey…</p>
      </main>
    );
  }
  return (
    <JourneyEditor
      key={`${id}:${opened}`}
      journey={journey.data}
      nodeTypes={nodeTypes.data}
      onReload={reload}
    />
  );
}
