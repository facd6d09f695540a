// @vitest-environment jsdom

import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createBuiltinRegistry } from '@touchline/nodes';
import { afterEach, describe, expect, it } from 'vitest';
import { CanvasStoreContext, NodeTypesContext } from './canvas-context';
import { createCanvasStore, storedGraphOf } from './canvas-store';
import { fromStoredGraph } from './graph-model';
import { StepConnections } from './StepConnections';

const descriptions = new Map(
  createBuiltinRegistry()
    .describe()
    .map((d) => [d.type, d]),
);

const journey = {
  schemaVersion: 1,
  nodes: [
    { id: 'cart', type: 'trigger.event', config: { event: 'cart_updated' }, position: { x: 0, y: 0 } },
    {
      id: 'wait',
      type: 'wait.event',
      config: { event: 'order_completed', timeout: 'PT1H' },
      position: { x: 300, y: 0 },
    },
    { id: 'email', type: 'send.email', config: {}, position: { x: 600, y: 0 }, label: 'Reminder' },
    { id: 'done', type: 'exit', config: {}, position: { x: 900, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'cart', sourcePort: 'out', target: 'wait' },
    { id: 'e2', source: 'wait', sourcePort: 'received', target: 'done' },
  ],
  settings: { reentry: 'after_exit' },
};

function renderFor(nodeId: string) {
  const store = createCanvasStore(fromStoredGraph(journey));
  const nodeType = journey.nodes.find((node) => node.id === nodeId)?.type ?? '';
  render(
    <NodeTypesContext.Provider value={descriptions}>
      <CanvasStoreContext.Provider value={store}>
        <StepConnections nodeId={nodeId} description={descriptions.get(nodeType)} />
      </CanvasStoreContext.Provider>
    </NodeTypesContext.Provider>,
  );
  const edges = () =>
    storedGraphOf(store.getState()).edges.map((edge) => `${edge.source}.${edge.sourcePort}->${edge.target}`);
  return { store, edges };
}

afterEach(cleanup);

describe('next steps in the settings panel', () => {
  it('lists each out-port with the step it leads to, and connects and disconnects through the list', async () => {
    const user = userEvent.setup();
    const { edges } = renderFor('wait');
    const received = screen.getByRole('combobox', { name: /after received/i });
    const timeout = screen.getByRole('combobox', { name: /after timeout/i });
    expect(received).toHaveProperty('value', 'done');
    expect(timeout).toHaveProperty('value', '');
    // A trigger cannot be entered, and a step does not lead to itself.
    const names = [...(timeout as HTMLSelectElement).options].map((option) => option.textContent);
    expect(names).toEqual(['Not connected', 'Reminder (email)', 'Exit (done)']);

    timeout.focus();
    await user.selectOptions(timeout, 'email');
    expect(edges()).toContain('wait.timeout->email');
    await user.selectOptions(received, '');
    expect(edges()).not.toContain('wait.received->done');
    expect(edges()).toEqual(['cart.out->wait', 'wait.timeout->email']);
  });

  it('is undone like any edit', async () => {
    const user = userEvent.setup();
    const { store, edges } = renderFor('cart');
    await user.selectOptions(screen.getByRole('combobox', { name: /after out/i }), 'email');
    expect(edges()).toEqual(['wait.received->done', 'cart.out->email']);
    store.getState().undo();
    expect(edges()).toEqual(['cart.out->wait', 'wait.received->done']);
  });

  it('shows nothing for a step without out-ports', () => {
    renderFor('done');
    expect(screen.queryByRole('combobox')).toBeNull();
  });
});
