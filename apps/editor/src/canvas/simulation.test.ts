import { describe, expect, it } from 'vitest';
import { fromStoredGraph } from './graph-model';
import { highlightOf, type SimulationResult, simulateBody } from './simulation';

const { edges } = fromStoredGraph({
  nodes: [],
  edges: [
    { id: 'e1', source: 'cart', sourcePort: 'out', target: 'wait' },
    { id: 'e2', source: 'wait', sourcePort: 'received', target: 'done' },
    { id: 'e3', source: 'wait', sourcePort: 'timeout', target: 'email' },
    { id: 'e4', source: 'email', sourcePort: 'out', target: 'done' },
  ],
});

const step = (nodeId: string, port: string | null) => ({
  nodeId,
  type: 't',
  visit: 1,
  port,
  at: '',
  reason: '',
});

describe('a simulated run on the canvas', () => {
  it('lights the nodes visited and the edges taken between them', () => {
    const result = {
      path: [step('cart', 'out'), step('wait', 'timeout'), step('email', 'out'), step('done', null)],
    } as SimulationResult;
    expect(highlightOf(result, edges)).toEqual({
      nodes: ['cart', 'wait', 'email', 'done'],
      edges: ['e1', 'e3', 'e4'],
    });
  });

  it('stops at a wait: the port not yet taken lights no edge', () => {
    const result = { path: [step('cart', 'out'), step('wait', null)] } as SimulationResult;
    expect(highlightOf(result, edges)).toEqual({ nodes: ['cart', 'wait'], edges: ['e1'] });
  });

  it('builds the request from the panel, skipping blank events and naming a field that is not JSON', () => {
    expect(
      simulateBody({ kind: 'made_up', traits: '{"email": "ada@example.com"}' }, [
        { event: ' cart_updated ', after: '', properties: '{"cart_id": "c-42"}' },
        { event: '', after: 'PT1H', properties: '' },
        { event: 'order_completed', after: 'PT20M', properties: '' },
      ]),
    ).toEqual({
      profile: { userId: 'simulated-person', traits: { email: 'ada@example.com' } },
      events: [
        { event: 'cart_updated', properties: { cart_id: 'c-42' } },
        { event: 'order_completed', after: 'PT20M', properties: {} },
      ],
    });
    expect(simulateBody({ kind: 'stored', userId: ' ada ' }, []).profile).toEqual({ userId: 'ada' });
    expect(() =>
      simulateBody({ kind: 'made_up', traits: '' }, [{ event: 'x', after: '', properties: '[1]' }]),
    ).toThrow('Properties of event 1 must be a JSON object');
  });
});
