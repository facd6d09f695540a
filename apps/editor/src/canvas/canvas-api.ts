import type { NodeTypeDescription } from '@touchline/journey';
import { ApiError, request } from '../api';
import type { JourneyProblem, NodeView, Validation } from './canvas-store';
import type { SimulationResult } from './simulation';

export type JourneyStatus = 'draft' | 'live' | 'paused' | 'archived';

export interface JourneySummary {
  id: string;
  name: string;
  status: JourneyStatus;
  liveVersion: number | null;
  updatedAt: string;
}

export interface JourneyDetail extends JourneySummary {
  graph: unknown;
  /** Bumped on every draft save; a save names the one it is based on (see useAutosave). */
  draftRevision: number;
  createdAt: string;
  validation?: { ok: boolean; errors: JourneyProblem[] };
  nodes?: Record<string, NodeView>;
}

export interface VersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export type RunningEnrollments = 'stay' | 'move';

export const canvasApi = {
  journey: (id: string) => request<JourneyDetail>('GET', `/api/journeys/${id}`),
  nodeTypes: () =>
    request<{ nodeTypes: NodeTypeDescription[] }>('GET', '/api/node-types').then((body) => body.nodeTypes),
  /** With `baseRevision`, a 409 (someone else saved since) instead of saving over their draft. */
  saveDraft: (id: string, graph: unknown, baseRevision?: number) =>
    request<JourneyDetail>('PUT', `/api/journeys/${id}`, {
      graph,
      ...(baseRevision !== undefined ? { baseRevision } : {}),
    }),
  rename: (id: string, name: string) => request<JourneyDetail>('PUT', `/api/journeys/${id}`, { name }),
  publish: (id: string, runningEnrollments: RunningEnrollments) =>
    request<{ journey: JourneySummary; version: number; moved: number }>(
      'POST',
      `/api/journeys/${id}/publish`,
      {
        runningEnrollments,
      },
    ),
  setRunning: (id: string, action: 'pause' | 'resume') =>
    request<JourneySummary>('POST', `/api/journeys/${id}/${action}`),
  versions: (id: string) =>
    request<{ versions: VersionSummary[] }>('GET', `/api/journeys/${id}/versions`).then(
      (body) => body.versions,
    ),
  version: (id: string, version: number) =>
    request<VersionSummary & { graph: unknown }>('GET', `/api/journeys/${id}/versions/${version}`),

  simulate: (id: string, body: unknown) =>
    request<SimulationResult>('POST', `/api/journeys/${id}/simulate`, body),

  /** Validates a graph; a 422 is an answer (the errors), not a failure. */
  async validate(graph: unknown, signal?: AbortSignal): Promise<Omit<Validation, 'revision'>> {
    const response = await fetch('/api/journeys/validate', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ graph }),
      ...(signal ? { signal } : {}),
    });
    const body = (await response.json().catch(() => ({}))) as {
      errors?: JourneyProblem[];
      nodes?: Record<string, NodeView>;
      message?: string;
    };
    if (response.status !== 200 && response.status !== 422)
      throw new ApiError(response.status, body.message ?? response.statusText);
    return { problems: body.errors ?? [], views: body.nodes ?? {} };
  },
};
