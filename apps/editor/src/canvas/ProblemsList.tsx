import { useReactFlow } from '@xyflow/react';
import { useContext } from 'react';
import { NodeTypesContext, useCanvas } from './canvas-context';
import type { CanvasState, JourneyProblem } from './canvas-store';

/** "Wait for order · timeout" — how a problem's place reads to a marketer. */
export function problemPlace(
  problem: JourneyProblem,
  state: Pick<CanvasState, 'nodes'>,
  labels: (type: string) => string,
) {
  if (problem.nodeId === null) return problem.path?.startsWith('settings') ? 'Journey settings' : 'Journey';
  const node = state.nodes.find((candidate) => candidate.id === problem.nodeId);
  const name = node ? node.data.label || labels(node.data.nodeType) : problem.nodeId;
  return problem.port ? `${name} · ${problem.port}` : name;
}

/** Every validation problem of the draft; choosing one shows its step. */
export function ProblemsList() {
  const problems = useCanvas((state) => state.validation.problems);
  const nodes = useCanvas((state) => state.nodes);
  const select = useCanvas((state) => state.select);
  const descriptions = useContext(NodeTypesContext);
  const { setCenter, getInternalNode } = useReactFlow();
  const labels = (type: string) => descriptions.get(type)?.label ?? type;

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
            {problem.nodeId && nodes.some((node) => node.id === problem.nodeId) ? (
              <button type="button" className="link tl-problem-place" onClick={() => show(problem.nodeId!)}>
                {problemPlace(problem, { nodes }, labels)}
              </button>
            ) : (
              <span className="tl-problem-place">{problemPlace(problem, { nodes }, labels)}</span>
            )}{' '}
            <span className="tl-problem-message">{problem.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
