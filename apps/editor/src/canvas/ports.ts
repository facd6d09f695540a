import type { NodeTypeDescription } from '@touchline/journey';
import type { NodeView } from './canvas-store';
import type { CanvasEdge } from './graph-model';

/**
 * A node's out-ports: what the server derived from its config, else the type's static ports, else
 * (a config-derived type whose config does not parse yet) the ports its edges already leave by.
 */
export function portsOf(
  nodeId: string,
  description: NodeTypeDescription | undefined,
  view: NodeView | undefined,
  edges: readonly CanvasEdge[],
): string[] {
  if (view) return view.ports;
  if (description?.ports.kind === 'static') return [...description.ports.names];
  const used = edges
    .filter((edge) => edge.source === nodeId && edge.sourceHandle)
    .map((edge) => edge.sourceHandle!);
  return [...new Set(used)];
}

/** Triggers start a journey: nothing leads into them. */
export const hasTarget = (description: NodeTypeDescription | undefined) =>
  description?.category !== 'trigger';
