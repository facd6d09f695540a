import { useReactFlow } from '@xyflow/react';
import { useContext } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NodeTypesContext, useCanvas } from './canvas-context';
import type { CanvasState, JourneyProblem } from './canvas-store';
import { nodeIndex } from './graph-model';

/** "Wait for order · timeout" — how a problem's place reads to a marketer. */
export function problemPlace(
  problem: JourneyProblem,
  state: Pick<CanvasState, 'nodes'>,
  labels: (type: string) => string,
) {
  if (problem.nodeId === null) return problem.path?.startsWith('settings') ? 'Journey settings' : 'Journey';
  const node = nodeIndex(state.nodes).get(problem.nodeId);
  const name = node ? node.data.label || labels(node.data.nodeType) : problem.nodeId;
  return problem.port ? `${name} · ${problem.port}` : name;
}

/** Every validation problem of the draft; choosing one shows its step. */
export function ProblemsList() {
  const problems = useCanvas((state) => state.validation.problems);
  const select = useCanvas((state) => state.select);
  const descriptions = useContext(NodeTypesContext);
  const { setCenter, getInternalNode } = useReactFlow();
  const labels = (type: string) => descriptions.get(type)?.label ?? type;
  // Strings and flags, not the nodes: moving a node (each frame of a drag) does not render the list.
  const places = useCanvas(
    useShallow((state) => problems.map((problem) => problemPlace(problem, state, labels))),
  );
  const onCanvas = useCanvas(
    useShallow((state) =>
      problems.map((problem) => problem.nodeId !== null && nodeIndex(state.nodes).has(problem.nodeId)),
    ),
  );

  if (problems.length === 0) return null;
  const show = (nodeId: string) => {
    select([nodeId]);
    const internal = getInternalNode(nodeId);
    if (internal) {
      const { x, y } = internal.internals.positionAbsolute;
      setCenter(x + (internal.measured.width ?? 0) / 2, y + (internal.measured.height ?? 0) / 2, {
        zoom: 1,
        duration: 300,
      });
    }
  };

  return (
    <section className="tl-problems" aria-labelledby="tl-problems-title">
      <h2 id="tl-problems-title">
        {problems.length} {problems.length === 1 ? 'problem' : 'problems'}
      </h2>
      <ul aria-label="Problems">
        {problems.map((problem, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat; the order is stable
          <li key={index}>
            {problem.nodeId && onCanvas[index] ? (
              <button type="button" className="link tl-problem-place" onClick={() => show(problem.nodeId!)}>
                {places[index]}
              </button>
            ) : (
              <span className="tl-problem-place">{places[index]}</span>
            )}{' '}
            <span className="tl-problem-message">{problem.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
