import { getSmoothStepPath, type InternalNode, Position } from '@xyflow/react';
import type { CanvasEdge } from './graph-model';

type Placed = Pick<InternalNode, 'internals'>;
type HandleBox = NonNullable<NonNullable<Placed['internals']['handleBounds']>['source']>[number];

/** One edge of the overview layer: its id, its SVG path and its classes. */
export interface OverviewPath {
  id: string;
  d: string;
  className: string;
  /** What the path was drawn from: while these are the same objects, so is the path. */
  edge: CanvasEdge;
  source: Placed;
  target: Placed;
}

/** Where an edge meets a handle, in flow coordinates: the middle of the handle's outer side. */
export function handlePoint(node: Placed, handle: HandleBox): { x: number; y: number } {
  const x = node.internals.positionAbsolute.x + handle.x;
  const y = node.internals.positionAbsolute.y + handle.y;
  switch (handle.position) {
    case Position.Top:
      return { x: x + handle.width / 2, y };
    case Position.Right:
      return { x: x + handle.width, y: y + handle.height / 2 };
    case Position.Bottom:
      return { x: x + handle.width / 2, y: y + handle.height };
    default:
      return { x, y: y + handle.height / 2 };
  }
}

const classesOf = (edge: CanvasEdge) =>
  `tl-overview-edge${edge.selected ? ' selected' : ''}${edge.className ? ` ${edge.className}` : ''}`;

/**
 * The path of one edge as React Flow's smooth-step edge draws it, from the measured handles of its
 * two steps; null while either step or handle is not measured yet.
 */
export function overviewPath(edge: CanvasEdge, source: Placed | undefined, target: Placed | undefined) {
  const from = source?.internals.handleBounds?.source?.find((handle) => handle.id === edge.sourceHandle);
  const into = target?.internals.handleBounds?.target?.find(
    (handle) => handle.id === (edge.targetHandle ?? 'in'),
  );
  if (!source || !target || !from || !into) return null;
  const start = handlePoint(source, from);
  const end = handlePoint(target, into);
  const [d] = getSmoothStepPath({
    sourceX: start.x,
    sourceY: start.y,
    sourcePosition: from.position,
    targetX: end.x,
    targetY: end.y,
    targetPosition: into.position,
  });
  return { id: edge.id, d, className: classesOf(edge), edge, source, target } satisfies OverviewPath;
}

/**
 * Every edge's path, reusing the previous one (the same object) for each edge whose edge and steps
 * are the objects it was drawn from: during a drag only the moved step's edges are computed again,
 * and the list compares equal element by element when nothing moved.
 */
export function overviewPaths(
  edges: readonly CanvasEdge[],
  lookup: ReadonlyMap<string, Placed>,
  previous: ReadonlyMap<string, OverviewPath>,
): OverviewPath[] {
  const paths: OverviewPath[] = [];
  for (const edge of edges) {
    const source = lookup.get(edge.source);
    const target = lookup.get(edge.target);
    const before = previous.get(edge.id);
    if (before && before.edge === edge && before.source === source && before.target === target) {
      paths.push(before);
      continue;
    }
    const path = overviewPath(edge, source, target);
    if (path) paths.push(path);
  }
  return paths;
}

/** Whether two lists hold the same paths in the same order. */
export const samePaths = (a: readonly OverviewPath[], b: readonly OverviewPath[]) =>
  a.length === b.length && a.every((path, index) => path === b[index]);
