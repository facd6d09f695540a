import type { NodeTypeDescription } from '@touchline/journey';
import type { NodeView } from './canvas-store';
import type { CanvasEdge } from './graph-model';

/**
 * A node's out-ports: what the server derived from its config, else the type's static ports. A
 * port an edge still leaves by (a renamed branch, a config that does not parse yet) stays drawn,
 * so that its edge can be seen and deleted; the compiler reports it when it is unknown.
 */
export function portsOf(
  nodeId: string,
  description: NodeTypeDescription | undefined,
  view: NodeView | undefined,
  edges: readonly CanvasEdge[],
): string[] {
  const declared = view ? view.ports : description?.ports.kind === 'static' ? description.ports.names : [];
  const used = edges
    .filter((edge) => edge.source === nodeId && edge.sourceHandle)
    .map((edge) => edge.sourceHandle as string);
  return [...new Set([...declared, ...used])];
}

/** Triggers start a journey: nothing leads into them. */
export const hasTarget = (description: NodeTypeDescription | undefined) =>
  description?.category !== 'trigger';
