import { useStore, ViewportPortal } from '@xyflow/react';
import { memo, useCallback, useRef } from 'react';
import type { CanvasEdge } from './graph-model';
import { type OverviewPath, overviewPaths, samePaths } from './overview-edges';

const Path = memo(function Path({ path }: { path: OverviewPath }) {
  return <path data-id={path.id} className={path.className} d={path.d} />;
});

/**
 * The edges of a zoomed-out canvas, all in one <svg> under the steps. React Flow draws each edge
 * in an <svg> of its own, positioned and stacked on its own, with a store subscription each: with
 * hundreds on screen those svgs were most of a drag frame's layout and compositing. Zoomed out the
 * edges are thin lines nobody clicks, so they are drawn here instead, not interactive; zoomed in,
 * React Flow's own edges (selectable, focusable) come back.
 */
export const OverviewEdges = memo(function OverviewEdges({ edges }: { edges: readonly CanvasEdge[] }) {
  const drawn = useRef(new Map<string, OverviewPath>());
  const previous = useRef<OverviewPath[]>([]);
  const paths = useStore(
    useCallback(
      (state) => {
        const next = overviewPaths(edges, state.nodeLookup, drawn.current);
        if (samePaths(next, previous.current)) return previous.current;
        previous.current = next;
        drawn.current = new Map(next.map((path) => [path.id, path]));
        return next;
      },
      [edges],
    ),
  );
  return (
    <ViewportPortal>
      <svg className="tl-overview-edges" aria-hidden="true">
        {paths.map((path) => (
          <Path key={path.id} path={path} />
        ))}
      </svg>
    </ViewportPortal>
  );
});
