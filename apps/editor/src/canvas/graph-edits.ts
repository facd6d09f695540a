import type { CanvasEdge, CanvasNode, JourneySettingsDraft } from './graph-model';

/** The part of the canvas that edits change and undo restores. */
export interface CanvasGraph {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  settings: JourneySettingsDraft;
}

/** A readable, unused node id from the type: `wait.event` → `wait_event_2`. */
export function newNodeId(nodeType: string, taken: ReadonlySet<string>): string {
  const base = nodeType.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'node';
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export const edgeIdFor = (source: string, port: string) => `e_${source}_${port}`;

export function addNode(
  graph: CanvasGraph,
  nodeType: string,
  position: { x: number; y: number },
  config: unknown,
): { graph: CanvasGraph; id: string } {
  const id = newNodeId(nodeType, new Set(graph.nodes.map((node) => node.id)));
  const node: CanvasNode = {
    id,
    type: 'journey',
    position,
    selected: true,
    data: { nodeType, config: structuredClone(config ?? {}) },
  };
  return {
    graph: {
      ...graph,
      nodes: [...graph.nodes.map((other) => (other.selected ? { ...other, selected: false } : other)), node],
      edges: graph.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
    },
    id,
  };
}

/**
 * Connects a source port to a target. A port leaves by one edge: connecting it again replaces the
 * old edge. Self-loops and edges into a node's own port are refused (returns the graph unchanged).
 */
export function connect(graph: CanvasGraph, source: string, port: string, target: string): CanvasGraph {
  if (source === target) return graph;
  if (!graph.nodes.some((node) => node.id === source) || !graph.nodes.some((node) => node.id === target))
    return graph;
  const kept = graph.edges.filter((edge) => !(edge.source === source && edge.sourceHandle === port));
  const edge: CanvasEdge = {
    id: edgeIdFor(source, port),
    source,
    sourceHandle: port,
    target,
    targetHandle: 'in',
  };
  // Another edge could own the id (a hand-written draft): make ours unique.
  let id = edge.id;
  for (let n = 2; kept.some((other) => other.id === id); n++) id = `${edge.id}_${n}`;
  return { ...graph, edges: [...kept, { ...edge, id }] };
}

/** Removes the edge leaving `source` by `port`, if there is one. */
export function disconnect(graph: CanvasGraph, source: string, port: string): CanvasGraph {
  const kept = graph.edges.filter((edge) => !(edge.source === source && edge.sourceHandle === port));
  return kept.length === graph.edges.length ? graph : { ...graph, edges: kept };
}

export function updateNodeData(
  graph: CanvasGraph,
  id: string,
  patch: { config?: unknown; label?: string },
): CanvasGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      if (node.id !== id) return node;
      const data = { ...node.data };
      if ('config' in patch) data.config = patch.config;
      if (patch.label !== undefined) {
        if (patch.label.trim() === '') delete data.label;
        else data.label = patch.label;
      }
      return { ...node, data };
    }),
  };
}

/** Removes the selected nodes with every edge touching them, and the selected edges. */
export function deleteSelection(graph: CanvasGraph): CanvasGraph {
  const removed = new Set(graph.nodes.filter((node) => node.selected).map((node) => node.id));
  return {
    ...graph,
    nodes: graph.nodes.filter((node) => !removed.has(node.id)),
    edges: graph.edges.filter(
      (edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target),
    ),
  };
}

export interface Clipboard {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/** The selected nodes and the edges between them. */
export function copySelection(graph: CanvasGraph): Clipboard | null {
  const nodes = graph.nodes.filter((node) => node.selected);
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((node) => node.id));
  return {
    nodes: structuredClone(nodes),
    edges: structuredClone(graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target))),
  };
}

/** Pastes copies with new ids, offset from the originals, and selects them alone. */
export function paste(graph: CanvasGraph, clipboard: Clipboard, offset = 40): CanvasGraph {
  const taken = new Set(graph.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const pasted = clipboard.nodes.map((node): CanvasNode => {
    const id = newNodeId(node.data.nodeType, taken);
    taken.add(id);
    renamed.set(node.id, id);
    const { measured: _measured, dragging: _dragging, ...rest } = node;
    return {
      ...rest,
      id,
      selected: true,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      data: structuredClone(node.data),
    };
  });
  let next: CanvasGraph = {
    ...graph,
    nodes: [...graph.nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...pasted],
    edges: graph.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
  };
  for (const edge of clipboard.edges) {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    if (source && target && edge.sourceHandle) next = connect(next, source, edge.sourceHandle, target);
  }
  return next;
}

export function moveNodes(graph: CanvasGraph, positions: ReadonlyMap<string, { x: number; y: number }>) {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position } : node;
    }),
  };
}

export function selectOnly(graph: CanvasGraph, ids: ReadonlySet<string>): CanvasGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) =>
      Boolean(node.selected) === ids.has(node.id) ? node : { ...node, selected: ids.has(node.id) },
    ),
    edges: graph.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
  };
}
