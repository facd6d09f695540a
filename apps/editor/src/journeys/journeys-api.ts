import { CURRENT_SCHEMA_VERSION } from '@touchline/journey';
import { request } from '../api';

export const journeyStatuses = ['draft', 'live', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof journeyStatuses)[number];

/** One row of `GET /api/journeys`. */
export interface JourneyListItem {
  id: string;
  name: string;
  status: JourneyStatus;
  liveVersion: number | null;
  updatedAt: string;
  updatedBy: string | null;
  entered7d: number;
}

export interface JourneyFilter {
  q: string;
  status: JourneyStatus | '';
}

/** Query-cache keys: every list under one prefix, so a change refreshes them all. */
export const journeyKeys = {
  lists: ['journeys', 'list'] as const,
  list: (filter: JourneyFilter) => ['journeys', 'list', filter] as const,
};

export function listJourneys(filter: JourneyFilter): Promise<{ journeys: JourneyListItem[] }> {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.status) params.set('status', filter.status);
  const query = params.toString();
  return request('GET', `/api/journeys${query ? `?${query}` : ''}`);
}

/** A new journey starts with its trigger on the canvas: an event trigger waiting for its event. */
export function starterGraph() {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [{ id: 'trigger', type: 'trigger.event', config: { event: '' }, position: { x: 0, y: 0 } }],
    edges: [],
    settings: { reentry: 'never' },
  };
}

export const createJourney = (name: string) =>
  request<{ id: string }>('POST', '/api/journeys', { name, graph: starterGraph() });

export const duplicateJourney = (id: string) =>
  request<{ id: string; name: string }>('POST', `/api/journeys/${id}/duplicate`, {});

/** Archives a published journey; deletes one that was never published (nothing ran). */
export const archiveJourney = (id: string) => request<void>('DELETE', `/api/journeys/${id}`);
