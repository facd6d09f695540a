import type { CanvasEdge } from './graph-model';

/** `POST /api/journeys/:id/simulate`'s answer, the parts the canvas shows. */
export interface SimulationResult {
  status: 'not_entered' | 'waiting' | 'completed' | 'exited' | 'failed';
  converted: boolean;
  endReason: string | null;
  waitingAt: { nodeId: string; since: string; wakeAt: string; event: string | null } | null;
  path: Array<{
    nodeId: string;
    type: string;
    visit: number;
    port: string | null;
    at: string;
    reason: string;
  }>;
  messages: Array<{
    nodeId: string;
    channel: string;
    templateId: string | null;
    at: string;
    suppressedReason: string | null;
  }>;
  events: Array<{ index: number; event: string; at: string; outcome: string }>;
  error: { nodeId: string | null; message: string } | null;
}

export interface SimulationEventInput {
  event: string;
  after: string;
  properties: string;
}

/** The canvas highlight of a simulated run: the nodes it visited and the edges it took. */
export interface PathHighlight {
  nodes: string[];
  edges: string[];
}

export function highlightOf(result: SimulationResult, edges: readonly CanvasEdge[]): PathHighlight {
  const nodes = [...new Set(result.path.map((step) => step.nodeId))];
  const taken = new Set<string>();
  result.path.forEach((step, index) => {
    const next = result.path[index + 1];
    if (!step.port || !next) return;
    const edge = edges.find(
      (candidate) =>
        candidate.source === step.nodeId &&
        candidate.sourceHandle === step.port &&
        candidate.target === next.nodeId,
    );
    if (edge) taken.add(edge.id);
  });
  return { nodes, edges: [...taken] };
}

/** The request body from the panel's fields; throws a message naming the field that does not parse. */
export function simulateBody(
  profile: { kind: 'stored'; userId: string } | { kind: 'made_up'; traits: string },
  events: readonly SimulationEventInput[],
) {
  const parse = (text: string, field: string): Record<string, unknown> => {
    if (text.trim() === '') return {};
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new Error(`${field} must be a JSON object, e.g. {"cart_id": "c-42"}`);
  };
  return {
    profile:
      profile.kind === 'stored'
        ? { userId: profile.userId.trim() }
        : { userId: 'simulated-person', traits: parse(profile.traits, 'Traits') },
    events: events
      .filter((event) => event.event.trim() !== '')
      .map((event, index) => ({
        event: event.event.trim(),
        ...(event.after.trim() ? { after: event.after.trim() } : {}),
        properties: parse(event.properties, `Properties of event ${index + 1}`),
      })),
  };
}
