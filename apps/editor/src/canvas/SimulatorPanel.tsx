import { useContext, useState } from 'react';
import { canvasApi } from './canvas-api';
import { NodeTypesContext, useCanvas, useCanvasStore } from './canvas-context';
import type { CanvasState } from './canvas-store';
import { highlightOf, type SimulationEventInput, type SimulationResult, simulateBody } from './simulation';

const statusText: Record<SimulationResult['status'], string> = {
  not_entered: 'Did not enter',
  waiting: 'Still waiting',
  completed: 'Completed',
  exited: 'Exited',
  failed: 'Failed',
};

interface Props {
  journeyId: string;
  /** Saves the draft first: the server simulates what it holds. */
  beforeRun: () => Promise<void>;
}

function firstTriggerEvent(state: Pick<CanvasState, 'nodes'>) {
  const trigger = state.nodes.find((node) => node.data.nodeType === 'trigger.event');
  const config = trigger?.data.config as { event?: unknown } | undefined;
  return typeof config?.event === 'string' ? config.event : '';
}

/** Runs the draft for one person and a timeline of events, with no side effects; the path lights up. */
export function SimulatorPanel({ journeyId, beforeRun }: Props) {
  const store = useCanvasStore();
  const descriptions = useContext(NodeTypesContext);
  const nodes = useCanvas((state) => state.nodes);
  const select = useCanvas((state) => state.select);
  const [kind, setKind] = useState<'made_up' | 'stored'>('made_up');
  const [userId, setUserId] = useState('');
  const [traits, setTraits] = useState('{ "email": "ada@example.com", "subscriptions": { "email": true } }');
  const [events, setEvents] = useState<SimulationEventInput[]>(() => [
    { event: firstTriggerEvent(store.getState()), after: '', properties: '' },
  ]);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const nameOf = (nodeId: string) => {
    const node = nodes.find((candidate) => candidate.id === nodeId);
    return node ? node.data.label || descriptions.get(node.data.nodeType)?.label || nodeId : nodeId;
  };
  const setEvent = (index: number, patch: Partial<SimulationEventInput>) =>
    setEvents((list) => list.map((event, i) => (i === index ? { ...event, ...patch } : event)));

  const run = async () => {
    setError(null);
    setRunning(true);
    try {
      const body = simulateBody(kind === 'stored' ? { kind, userId } : { kind, traits }, events);
      await beforeRun();
      const answer = await canvasApi.simulate(journeyId, body);
      setResult(answer);
      store.getState().setHighlight(highlightOf(answer, store.getState().edges));
    } catch (failure) {
      setResult(null);
      store.getState().setHighlight(null);
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="tl-panel tl-simulator" aria-labelledby="tl-simulator-title">
      <h2 id="tl-simulator-title">Simulate</h2>
      <p className="tl-panel-note">
        Runs the draft for one person and the events you list. Nothing is sent or stored.
      </p>
      <label>
        Who
        <select value={kind} onChange={(event) => setKind(event.target.value as 'made_up' | 'stored')}>
          <option value="made_up">A made-up person</option>
          <option value="stored">A stored profile</option>
        </select>
      </label>
      {kind === 'stored' ? (
        <label>
          User id
          <input value={userId} onChange={(event) => setUserId(event.target.value)} placeholder="e.g. ada" />
        </label>
      ) : (
        <label>
          Traits (JSON)
          <textarea rows={3} value={traits} onChange={(event) => setTraits(event.target.value)} />
        </label>
      )}
      <fieldset className="tl-sim-events">
        <legend>Events, in order</legend>
        {events.map((event, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and never reordered
          <div className="tl-sim-event" key={index}>
            <label>
              Event {index + 1}
              <input
                value={event.event}
                placeholder="e.g. cart_updated"
                onChange={(change) => setEvent(index, { event: change.target.value })}
              />
            </label>
            <label>
              After start
              <input
                value={event.after}
                placeholder="e.g. PT20M"
                onChange={(change) => setEvent(index, { after: change.target.value })}
              />
            </label>
            <label className="tl-sim-wide">
              Properties (JSON)
              <input
                value={event.properties}
                placeholder='e.g. {"cart_id": "c-42"}'
                onChange={(change) => setEvent(index, { properties: change.target.value })}
              />
            </label>
            {events.length > 1 && (
              <button
                type="button"
                className="tl-button"
                aria-label={`Remove event ${index + 1}`}
                onClick={() => setEvents((list) => list.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="tl-button"
          onClick={() => setEvents((list) => [...list, { event: '', after: '', properties: '' }])}
        >
          Add event
        </button>
      </fieldset>
      <div className="tl-sim-actions">
        <button
          type="button"
          className="tl-button tl-button-primary"
          disabled={running}
          onClick={() => void run()}
        >
          {running ? 'Running…' : 'Run simulation'}
        </button>
        {result && (
          <button
            type="button"
            className="tl-button"
            onClick={() => {
              setResult(null);
              store.getState().setHighlight(null);
            }}
          >
            Clear
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <section className="tl-sim-result" aria-label="Simulation result">
          <p className="tl-sim-status" data-testid="simulation-status">
            <strong>{statusText[result.status]}</strong>
            {result.converted ? ' · converted' : ''}
            {result.waitingAt ? ` at ${nameOf(result.waitingAt.nodeId)}` : ''}
            {result.endReason ? ` · ${result.endReason}` : ''}
          </p>
          {result.error && <p className="error">{result.error.message}</p>}
          <ol className="tl-sim-path" aria-label="Path">
            {result.path.map((step, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a node can be visited twice
              <li key={index}>
                <button type="button" className="link" onClick={() => select([step.nodeId])}>
                  {nameOf(step.nodeId)}
                </button>
                {step.port && <span className="tl-sim-port"> → {step.port}</span>}
                <div className="tl-panel-note">{step.reason}</div>
              </li>
            ))}
          </ol>
          {result.messages.length > 0 && (
            <>
              <h3>Would send</h3>
              <ul>
                {result.messages.map((message, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: messages have no id in a simulation
                  <li key={index}>
                    {message.channel} from {nameOf(message.nodeId)}
                    {message.suppressedReason ? ` — suppressed: ${message.suppressedReason}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>Events</h3>
          <ul>
            {result.events.map((event) => (
              <li key={event.index}>
                <code>{event.event}</code>: {event.outcome}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
