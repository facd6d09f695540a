import dagre from '@dagrejs/dagre';
import type { CanvasEdge, CanvasNode, LayoutDirection } from './graph-model';

const fallbackSize = { width: 240, height: 110 };

/** Node positions (top-left corners) for a tidy layered layout, left to right or top down. */
export function layoutPositions(
  nodes: readonly CanvasNode[],
  edges: readonly CanvasEdge[],
  direction: LayoutDirection,
): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: direction, nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, {
      width: node.measured?.width ?? fallbackSize.width,
      height: node.measured?.height ?? fallbackSize.height,
    });
  }
  for (const edge of edges) {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const laid = graph.node(node.id);
    if (!laid) continue;
    // dagre gives centres; React Flow positions are top-left corners.
    positions.set(node.id, {
      x: Math.round(laid.x - laid.width / 2),
      y: Math.round(laid.y - laid.height / 2),
    });
  }
  return positions;
}
