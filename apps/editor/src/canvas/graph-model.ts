import type { Edge, Node } from '@xyflow/react';

/** What a canvas node carries: the journey node minus its id and position, which React Flow owns. */
export interface JourneyNodeData extends Record<string, unknown> {
  /** The registry's node type id, e.g. `wait.event`. */
  nodeType: string;
  config: unknown;
  label?: string;
  typeVersion?: number;
}

export type CanvasNode = Node<JourneyNodeData, 'journey'>;
/** An edge leaves one port of its source: the port is React Flow's `sourceHandle`. */
export type CanvasEdge = Edge;
export type JourneySettingsDraft = Record<string, unknown>;
export type LayoutDirection = 'LR' | 'TB';

/** The canvas' document: nodes and edges as React Flow holds them, the journey's settings. */
export interface CanvasDocument {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  settings: JourneySettingsDraft;
  direction: LayoutDirection;
  /** Keys of the stored draft the canvas does not edit (schemaVersion…), written back untouched. */
  extra: Record<string, unknown>;
}

/** A journey node as the API stores it. */
export interface StoredNode {
  id: string;
  type: string;
  typeVersion?: number;
  config: unknown;
  position: { x: number; y: number };
  label?: string;
}

export interface StoredEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
}

export interface StoredGraph extends Record<string, unknown> {
  nodes: StoredNode[];
  edges: StoredEdge[];
  settings: JourneySettingsDraft;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function toCanvasNode(raw: unknown, index: number): CanvasNode | null {
  if (!isRecord(raw) || typeof raw.id !== 'string') return null;
  const position = isRecord(raw.position) ? raw.position : {};
  return {
    id: raw.id,
    type: 'journey',
    position: {
      x: typeof position.x === 'number' ? position.x : 0,
      y: typeof position.y === 'number' ? position.y : index * 120,
    },
    data: {
      nodeType: typeof raw.type === 'string' ? raw.type : '',
      config: raw.config ?? {},
      ...(typeof raw.label === 'string' ? { label: raw.label } : {}),
      ...(typeof raw.typeVersion === 'number' ? { typeVersion: raw.typeVersion } : {}),
    },
  };
}

function toCanvasEdge(raw: unknown): CanvasEdge | null {
  if (!isRecord(raw) || typeof raw.id !== 'string') return null;
  if (typeof raw.source !== 'string' || typeof raw.target !== 'string') return null;
  return {
    id: raw.id,
    source: raw.source,
    target: raw.target,
    sourceHandle: typeof raw.sourcePort === 'string' ? raw.sourcePort : null,
    targetHandle: 'in',
  };
}

/** Reads a stored draft (possibly hand-written, possibly invalid) into the canvas' shape. */
export function fromStoredGraph(graph: unknown): CanvasDocument {
  const document = isRecord(graph) ? graph : {};
  const { nodes, edges, settings, editor, ...extra } = document;
  // Top down by default, as marketers know journeys from Braze Canvas and Customer.io.
  const direction = isRecord(editor) && editor.direction === 'LR' ? 'LR' : 'TB';
  return {
    nodes: (Array.isArray(nodes) ? nodes : []).flatMap((raw, index) => toCanvasNode(raw, index) ?? []),
    edges: (Array.isArray(edges) ? edges : []).flatMap((raw) => toCanvasEdge(raw) ?? []),
    settings: isRecord(settings) ? settings : { reentry: 'never' },
    direction,
    extra: { schemaVersion: 1, ...extra },
  };
}

/** The draft to save and validate: what the canvas holds, without React Flow's view state. */
export function toStoredGraph(document: Omit<CanvasDocument, 'extra'> & { extra?: Record<string, unknown> }) {
  return {
    ...document.extra,
    nodes: document.nodes.map(
      (node): StoredNode => ({
        id: node.id,
        type: node.data.nodeType,
        ...(node.data.typeVersion !== undefined ? { typeVersion: node.data.typeVersion } : {}),
        config: node.data.config,
        position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
        ...(node.data.label ? { label: node.data.label } : {}),
      }),
    ),
    edges: document.edges.map(
      (edge): StoredEdge => ({
        id: edge.id,
        source: edge.source,
        sourcePort: edge.sourceHandle ?? '',
        target: edge.target,
      }),
    ),
    settings: document.settings,
    editor: { direction: document.direction },
  } satisfies StoredGraph;
}

const nodeIndexes = new WeakMap<readonly CanvasNode[], ReadonlyMap<string, CanvasNode>>();

/**
 * The nodes by id, built once per nodes array: selectors that look one node up on every change (a
 * drag changes the array each frame) stay O(1) instead of scanning every node.
 */
export function nodeIndex(nodes: readonly CanvasNode[]): ReadonlyMap<string, CanvasNode> {
  let index = nodeIndexes.get(nodes);
  if (!index) {
    index = new Map(nodes.map((node) => [node.id, node]));
    nodeIndexes.set(nodes, index);
  }
  return index;
}
