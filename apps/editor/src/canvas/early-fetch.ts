import type { QueryClient } from '@tanstack/react-query';
import { canvasApi, type JourneyDetail } from './canvas-api';

const early = new Map<string, Promise<JourneyDetail>>();

/**
 * Opening a journey by its URL asks for the journey and the node types while the session is
 * still being checked, instead of after: the requests run side by side rather than one after
 * another. A request that fails (signed out) is simply made again when the canvas asks.
 */
export function fetchEarly(pathname: string, queryClient: QueryClient): void {
  const match = /^\/journeys\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return;
  const id = decodeURIComponent(match[1]);
  const journey = canvasApi.journey(id);
  journey.catch(() => undefined);
  early.set(id, journey);
  void queryClient.prefetchQuery({
    queryKey: ['node-types'],
    queryFn: canvasApi.nodeTypes,
    staleTime: 300_000,
  });
}

/** The journey as fetched early, once; else (or if that failed) a fresh request. */
export function journeyFor(id: string): Promise<JourneyDetail> {
  const fetched = early.get(id);
  early.delete(id);
  return fetched ? fetched.catch(() => canvasApi.journey(id)) : canvasApi.journey(id);
}
