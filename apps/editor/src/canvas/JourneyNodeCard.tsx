import { type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef } from 'react';
import { categoryIconImage } from './CategoryIcon';
import { useCanvas, useFields, useNodeType } from './canvas-context';
import type { CanvasNode } from './graph-model';
import { PortHandle } from './PortHandle';
import { hasTarget, mergePorts, problemsOf, usedPortsOf } from './ports';
import type { PathHighlight } from './simulation';

const MAX_MESSAGES = 3;

const pathNodes = new WeakMap<PathHighlight, ReadonlySet<string>>();
const onPathOf = (highlight: PathHighlight | null, id: string) => {
  if (!highlight) return false;
  let nodes = pathNodes.get(highlight);
  if (!nodes) {
    nodes = new Set(highlight.nodes);
    pathNodes.set(highlight, nodes);
  }
  return nodes.has(id);
};

// Nodes whose handles changed in one render (all of them after a new layout direction) are
// measured again in one call, not one React Flow update (and one store change) per node.
type UpdateInternals = (ids: string[]) => void;
const pendingInternals = new Map<UpdateInternals, Set<string>>();
function scheduleInternals(update: UpdateInternals, id: string) {
  const pending = pendingInternals.get(update);
  if (pending) return void pending.add(id);
  pendingInternals.set(update, new Set([id]));
  queueMicrotask(() => {
    const ids = pendingInternals.get(update);
    pendingInternals.delete(update);
    if (ids) update([...ids]);
  });
}

interface CardProps {
  id: string;
  data: CanvasNode['data'];
  selected: boolean;
}

/** One journey step on the canvas: its label, summary, problems and a labelled handle per out-port. */
const JourneyNodeCardView = memo(function JourneyNodeCardView({ id, data, selected }: CardProps) {
  const description = useNodeType(data.nodeType);
  // One subscription per card, each value a lookup in an index built once per change (never a scan
  // of the whole graph), compared field by field: a change elsewhere in the journey (every frame of
  // another step's drag) does not render it.
  const { view, direction, onPath, problems, used } = useCanvas(
    useFields((state) => ({
      view: state.validation.views[id],
      direction: state.direction,
      onPath: onPathOf(state.highlight, id),
      problems: problemsOf(state.validation.problems, id),
      used: usedPortsOf(state.edges, id),
    })),
  );
  const ports = useMemo(() => mergePorts(description, view, used), [description, view, used]);
  const category = description?.category ?? 'unknown';
  const title = data.label || description?.label || data.nodeType;
  const horizontal = direction === 'LR';
  const portProblems = new Map(problems.filter((p) => p.port).map((p) => [p.port, p.message]));
  // Handles that come and go (a split's branches) or move (a new layout direction) are measured
  // anew. Not on mount: React Flow measures a new node and its handles by itself.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = `${direction}:${ports.join(',')}`;
  const measuredKey = useRef(handleKey);
  useEffect(() => {
    if (measuredKey.current === handleKey) return;
    measuredKey.current = handleKey;
    scheduleInternals(updateNodeInternals, id);
  }, [handleKey, id, updateNodeInternals]);

  return (
    <div
      className={`tl-node tl-node-${category}${problems.length > 0 ? ' tl-node-invalid' : ''}${selected ? ' tl-node-selected' : ''}${horizontal ? '' : ' tl-node-tb'}${onPath ? ' tl-node-onpath' : ''}`}
      data-testid={`node-${id}`}
      data-invalid={problems.length > 0 || undefined}
    >
      {hasTarget(description) && (
        <PortHandle
          nodeId={id}
          type="target"
          id="in"
          position={horizontal ? Position.Left : Position.Top}
          className="tl-handle tl-handle-in"
          label={`Into ${title}`}
        />
      )}
      <div className="tl-node-head">
        <span
          className="tl-node-icon"
          aria-hidden="true"
          style={{ backgroundImage: categoryIconImage(description?.category) }}
        />
        <span className="tl-node-title">{title}</span>
      </div>
      {data.label && description && <div className="tl-node-type">{description.label}</div>}
      <div className={`tl-node-summary${view ? '' : ' tl-node-summary-empty'}`}>
        {view?.summary ??
          (description ? 'Set this step up in its settings' : `Unknown step type ${data.nodeType}`)}
      </div>
      {problems.length > 0 && (
        <ul className="tl-node-problems" aria-label={`Problems on ${title}`}>
          {problems.slice(0, MAX_MESSAGES).map((problem, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat; the order is stable
            <li key={index}>{problem.message}</li>
          ))}
          {problems.length > MAX_MESSAGES && <li>and {problems.length - MAX_MESSAGES} more</li>}
        </ul>
      )}
      {ports.length > 0 && (
        <div className="tl-node-ports">
          {ports.map((port) => (
            <div
              key={port}
              className={`tl-port${portProblems.has(port) ? ' tl-port-invalid' : ''}`}
              title={portProblems.get(port)}
            >
              <span className="tl-port-name">
                {portProblems.has(port) && <span aria-hidden="true">⚠ </span>}
                {port}
              </span>
              <PortHandle
                nodeId={id}
                type="source"
                id={port}
                position={horizontal ? Position.Right : Position.Bottom}
                className="tl-handle tl-handle-out"
                label={`${port} port of ${title}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

/**
 * What React Flow renders for a node. It also passes the node's measured size and position, which
 * change when it is measured and on every frame of a drag; the card does not show them, so it only
 * renders again when its id, data or selection change.
 */
export const JourneyNodeCard = memo(function JourneyNodeCard({ id, data, selected }: NodeProps<CanvasNode>) {
  return <JourneyNodeCardView id={id} data={data} selected={selected} />;
});

/** React Flow's node types: a stable module-level value, never rebuilt per render. */
export const nodeTypes = { journey: JourneyNodeCard } as const;
