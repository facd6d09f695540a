import { useShallow } from 'zustand/react/shallow';
import { type FieldError, NodeSettingsForm } from '../settings/NodeSettingsForm';
import { CategoryIcon } from './CategoryIcon';
import { useCanvas, useNodeType } from './canvas-context';
import { type JourneyNodeData, nodeIndex } from './graph-model';
import { problemsOf } from './ports';
import { StepConnections } from './StepConnections';
import { StepTestSend, sendChannelOf } from './StepTestSend';

const templateIdOf = (config: unknown): string | undefined => {
  const id = (config as { templateId?: unknown } | null)?.templateId;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/** The settings of the one selected node: label, id and the form generated from its type's schema. */
export function NodeSettingsPanel({ nodeId }: { nodeId: string }) {
  // The node's data, not the node: moving it (each frame of a drag) does not render the form again.
  const data = useCanvas((state) => nodeIndex(state.nodes).get(nodeId)?.data);
  if (!data) return null;
  return <NodeSettings nodeId={nodeId} data={data} />;
}

function NodeSettings({ nodeId, data }: { nodeId: string; data: JourneyNodeData }) {
  const node = { id: nodeId, data };
  const description = useNodeType(node.data.nodeType);
  const readOnly = useCanvas((state) => state.readOnly);
  const restored = useCanvas((state) => state.restored);
  const updateConfig = useCanvas((state) => state.updateConfig);
  const updateLabel = useCanvas((state) => state.updateLabel);
  const deleteSelection = useCanvas((state) => state.deleteSelection);
  // Conditions on `event` are offered the trigger event's property keys.
  const triggerEvent = useCanvas((state) => {
    const trigger = state.nodes.find((candidate) => candidate.data.nodeType === 'trigger.event');
    const event = (trigger?.data.config as { event?: unknown } | undefined)?.event;
    return typeof event === 'string' && event !== '' ? event : undefined;
  });
  const problems = useCanvas(useShallow((state) => problemsOf(state.validation.problems, node.id)));
  const fieldErrors: FieldError[] = problems
    .filter((problem) => problem.path?.startsWith('config'))
    .map((problem) => ({
      ...(problem.path && problem.path !== 'config' ? { path: problem.path.slice('config.'.length) } : {}),
      message: problem.message,
    }));
  const otherProblems = problems.filter((problem) => !problem.path?.startsWith('config'));

  return (
    <section className="tl-panel" aria-labelledby="tl-node-settings-title">
      <h2 id="tl-node-settings-title">
        <span className={`tl-panel-icon tl-node-${description?.category ?? 'unknown'}`}>
          <CategoryIcon category={description?.category} />
        </span>
        {node.data.label || description?.label || node.data.nodeType}
      </h2>
      <dl className="tl-node-facts">
        <dt>Step id</dt>
        <dd>
          <code>{node.id}</code>
        </dd>
        <dt>Type</dt>
        <dd>
          <code>{node.data.nodeType}</code>
        </dd>
      </dl>
      <label>
        Label
        <input
          key={`label:${node.id}:${restored}`}
          defaultValue={node.data.label ?? ''}
          placeholder={description?.label}
          readOnly={readOnly}
          onChange={(event) => updateLabel(node.id, event.target.value)}
        />
      </label>
      {otherProblems.length > 0 && (
        <ul className="tl-panel-problems">
          {otherProblems.map((problem, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat; the order is stable
            <li key={index}>
              {problem.port ? `${problem.port}: ` : ''}
              {problem.message}
            </li>
          ))}
        </ul>
      )}
      {description ? (
        <div className="tl-node-form">
          <NodeSettingsForm
            key={`form:${node.id}:${restored}`}
            nodeType={description}
            value={node.data.config}
            onChange={(config) => updateConfig(node.id, config)}
            errors={fieldErrors}
            readOnly={readOnly}
            {...(triggerEvent ? { triggerEvent } : {})}
          />
        </div>
      ) : (
        <>
          <p className="error">
            This journey uses a step type the server does not know: {node.data.nodeType}.
          </p>
          <pre className="tl-config-readonly">{JSON.stringify(node.data.config, null, 2)}</pre>
        </>
      )}
      <StepConnections nodeId={node.id} description={description} />
      {sendChannelOf(node.data.nodeType) && typeof templateIdOf(node.data.config) === 'string' && (
        <StepTestSend templateId={templateIdOf(node.data.config) as string} />
      )}
      {!readOnly && (
        <button type="button" className="tl-button tl-button-danger" onClick={deleteSelection}>
          Delete step
        </button>
      )}
    </section>
  );
}
