import type { NodeTypeDescription } from '@touchline/journey';
import { useContext, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NodeTypesContext, useCanvas } from './canvas-context';
import { hasTarget, mergePorts, usedPortsOf } from './ports';

const NOT_CONNECTED = '';
// Joins a step's id and its name in one string, so that a selector can return flat strings.
const SEPARATOR = '\u0000';

/**
 * The selected step's next steps as one labelled list per out-port: the keyboard's (and a screen
 * reader's) way to connect steps, and the quick way across a large journey, where dragging a
 * connection means scrolling the canvas.
 */
export function StepConnections({
  nodeId,
  description,
}: {
  nodeId: string;
  description: NodeTypeDescription | undefined;
}) {
  const descriptions = useContext(NodeTypesContext);
  const readOnly = useCanvas((state) => state.readOnly);
  const connect = useCanvas((state) => state.connect);
  const disconnect = useCanvas((state) => state.disconnect);
  const view = useCanvas((state) => state.validation.views[nodeId]);
  const used = useCanvas((state) => usedPortsOf(state.edges, nodeId));
  const ports = mergePorts(description, view, used);
  // Strings, not edges or nodes: a drag (new nodes every frame) does not render the list again.
  const targets = useCanvas(
    useShallow((state) =>
      ports.map(
        (port) =>
          state.edges.find((edge) => edge.source === nodeId && edge.sourceHandle === port)?.target ??
          NOT_CONNECTED,
      ),
    ),
  );
  const candidates = useCanvas(
    useShallow((state) =>
      state.nodes
        .filter((node) => node.id !== nodeId && hasTarget(descriptions.get(node.data.nodeType)))
        .map((node) => {
          const name = node.data.label || descriptions.get(node.data.nodeType)?.label || node.data.nodeType;
          return `${node.id}${SEPARATOR}${name}`;
        }),
    ),
  );
  const headingId = useId();
  if (ports.length === 0) return null;
  const options = candidates.map((candidate) => {
    const [id = '', name = ''] = candidate.split(SEPARATOR);
    return { id, name };
  });

  return (
    <section className="tl-step-connections" aria-labelledby={headingId}>
      <h3 id={headingId}>Next steps</h3>
      {ports.map((port, index) => (
        <label key={port}>
          <span>
            After <strong>{port}</strong>
          </span>
          <select
            value={targets[index] ?? NOT_CONNECTED}
            disabled={readOnly}
            onChange={(event) => {
              const target = event.target.value;
              if (target === NOT_CONNECTED) disconnect(nodeId, port);
              else connect(nodeId, port, target);
            }}
          >
            <option value={NOT_CONNECTED}>Not connected</option>
            {options.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name} ({option.id})
              </option>
            ))}
          </select>
        </label>
      ))}
    </section>
  );
}
