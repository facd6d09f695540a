import {
  Background,
  type Connection,
  Controls,
  type FinalConnectionState,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type DragEvent, type RefObject, useCallback, useContext, useMemo, useState } from 'react';
import { NodeTypesContext, useCanvas, useCanvasStore } from './canvas-context';
import type { CanvasEdge, CanvasNode } from './graph-model';
import { nodeTypes } from './JourneyNodeCard';
import { OverviewEdges } from './OverviewEdges';
import { OVERVIEW_ZOOM, OverviewContext } from './PortHandle';
import { hasTarget } from './ports';
import './canvas.css';

/** The MIME type a palette item carries while dragged onto the canvas. */
export const NODE_TYPE_MIME = 'application/x-touchline-node-type';
/** Where a dropped node's top-left corner sits relative to the pointer, so it lands under it. */
export const DROP_OFFSET = { x: 110, y: 30 };

const minimapColour = (node: CanvasNode, categories: ReadonlyMap<string, string>) =>
  `var(--tl-${categories.get(node.data.nodeType) ?? 'flow'})`;

// Props React Flow copies into its store whenever they change by reference: module constants, so
// that a render of the canvas (every frame of a drag) does not update its store and every node.
const defaultEdgeOptions = { type: 'smoothstep' } as const;
const fitViewOptions = { maxZoom: 1, padding: 0.2 } as const;
const proOptions = { hideAttribution: true } as const;
const multiSelectionKeyCode = ['Shift', 'Meta', 'Control'];
const minimapStyle = { width: 160, height: 110 } as const;
const NO_EDGES: CanvasEdge[] = [];

/** The React Flow canvas of the open journey, controlled by its store. */
export function CanvasFlow({ wrapperRef }: { wrapperRef: RefObject<HTMLDivElement | null> }) {
  const store = useCanvasStore();
  const nodes = useCanvas((state) => state.nodes);
  const storedEdges = useCanvas((state) => state.edges);
  const highlight = useCanvas((state) => state.highlight);
  // A simulated path is drawn on the edges it took; the store keeps edges as the document has them.
  const edges = useMemo(() => {
    if (!highlight) return storedEdges;
    const taken = new Set(highlight.edges);
    return storedEdges.map((edge) =>
      taken.has(edge.id) ? { ...edge, className: 'tl-edge-onpath', animated: true } : edge,
    );
  }, [storedEdges, highlight]);
  const readOnly = useCanvas((state) => state.readOnly);
  const onNodesChange = useCanvas((state) => state.onNodesChange);
  const onEdgesChange = useCanvas((state) => state.onEdgesChange);
  const descriptions = useContext(NodeTypesContext);
  const { screenToFlowPosition } = useReactFlow();
  const overview = useStore((state) => state.transform[2] < OVERVIEW_ZOOM);
  // Fit the journey in view when it opens with steps; an empty one keeps zoom 1, so that the first
  // drop does not make the view jump.
  const [openedWithSteps] = useState(() => store.getState().nodes.length > 0);

  // The minimap draws every node again when its colour function changes: keep it the same one.
  const nodeColor = useMemo(() => {
    const categoryByType = new Map([...descriptions.values()].map((d) => [d.type, d.category]));
    return (node: CanvasNode) => minimapColour(node, categoryByType);
  }, [descriptions]);

  const canEnter = useCallback(
    (target: string) => {
      const node = store.getState().nodes.find((candidate) => candidate.id === target);
      return node !== undefined && hasTarget(descriptions.get(node.data.nodeType));
    },
    [store, descriptions],
  );

  const isValidConnection = useCallback(
    (connection: Connection | { source: string; target: string }) =>
      connection.source !== connection.target && canEnter(connection.target),
    [canEnter],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (!connection.sourceHandle) return;
      store.getState().connect(connection.source, connection.sourceHandle, connection.target);
    },
    [store],
  );

  // Dropping a connection anywhere on a node (not only on its small target handle) connects it.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      if (connection.isValid || !connection.fromHandle || connection.fromHandle.type !== 'source') return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!point) return;
      const element = document.elementFromPoint(point.clientX, point.clientY);
      const target = element?.closest('.react-flow__node')?.getAttribute('data-id');
      const source = connection.fromHandle.nodeId;
      const port = connection.fromHandle.id;
      if (target && port && target !== source && canEnter(target))
        store.getState().connect(source, port, target);
    },
    [store, canEnter],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_TYPE_MIME);
      const description = descriptions.get(type);
      if (!description || store.getState().readOnly) return;
      event.preventDefault();
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store
        .getState()
        .addNode(
          type,
          { x: position.x - DROP_OFFSET.x, y: position.y - DROP_OFFSET.y },
          description.defaults ?? {},
        );
    },
    [descriptions, screenToFlowPosition, store],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for the palette's drag; keyboard users add with Enter
    <div
      className={`tl-canvas${overview ? ' tl-canvas-overview' : ''}`}
      ref={wrapperRef}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <OverviewContext.Provider value={overview}>
        <ReactFlow<CanvasNode>
          nodes={nodes}
          // Zoomed out, the edges are drawn by OverviewEdges, in one layer.
          edges={overview ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          edgesReconnectable={false}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={multiSelectionKeyCode}
          defaultEdgeOptions={defaultEdgeOptions}
          fitView={openedWithSteps}
          fitViewOptions={fitViewOptions}
          minZoom={0.2}
          onlyRenderVisibleElements
          proOptions={proOptions}
          aria-label="Journey canvas"
        >
          <Background gap={20} />
          {overview && <OverviewEdges edges={edges} />}
          {nodes.length === 0 && !readOnly && (
            <Panel position="top-center" className="tl-empty-canvas">
              Start with a trigger: drag “When an event happens” here from the steps on the left.
            </Panel>
          )}
          <MiniMap<CanvasNode>
            pannable
            zoomable
            style={minimapStyle}
            ariaLabel="Journey overview"
            nodeColor={nodeColor}
          />
          <Controls showInteractive={false} aria-label="Zoom" />
        </ReactFlow>
      </OverviewContext.Provider>
    </div>
  );
}
