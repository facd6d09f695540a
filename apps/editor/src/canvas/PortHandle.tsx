import { Handle, type HandleType, type Position } from '@xyflow/react';
import { createContext, memo, useContext } from 'react';

/**
 * Below this zoom a step's handles are a few pixels wide: nobody connects there, and the canvas is
 * showing many steps at once. Handles then stop being React Flow's interactive ones.
 */
export const OVERVIEW_ZOOM = 0.45;

/** True while the canvas is zoomed out below {@link OVERVIEW_ZOOM}. */
export const OverviewContext = createContext(false);

interface PortHandleProps {
  nodeId: string;
  type: HandleType;
  id: string;
  position: Position;
  className: string;
  label: string;
}

/**
 * A step's connection handle. Zoomed in it is React Flow's `Handle`, which starts and ends
 * connections. Zoomed out it is the same element without the component: every React Flow `Handle`
 * subscribes to the flow's store to follow connections in progress, and with hundreds of steps on
 * screen those subscriptions are most of the work of each frame of a drag. React Flow still finds
 * and measures it by its classes and data attributes, so edges stay attached to it.
 */
export const PortHandle = memo(function PortHandle({
  nodeId,
  type,
  id,
  position,
  className,
  label,
}: PortHandleProps) {
  const overview = useContext(OverviewContext);
  if (!overview)
    return <Handle type={type} id={id} position={position} className={className} aria-label={label} />;
  return (
    <div
      className={`react-flow__handle react-flow__handle-${position} ${type} ${className}`}
      data-handleid={id}
      data-nodeid={nodeId}
      data-handlepos={position}
      aria-hidden="true"
    />
  );
});
