import { defineNodeType } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

// A custom type whose ports come from its config: the editor learns them only from the server.
const notifyTeams = defineNodeType({
  type: 'acme.notify_teams',
  version: 1,
  category: 'action',
  label: 'Notify teams',
  configSchema: z.strictObject({ teams: z.array(z.string()).min(1) }),
  ports: (config) => config.teams,
  portsNote: 'one port per team',
  summary: (config) => `Notify ${config.teams.join(' and ')}`,
  compile: () => ({ defaultPort: null }),
});

const graph = (splitConfig: unknown) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'signup', type: 'trigger.event', config: { event: 'signed_up' }, position: { x: 0, y: 0 } },
    { id: 'split', type: 'split.audience', config: splitConfig, position: { x: 0, y: 100 } },
    {
      id: 'teams',
      type: 'acme.notify_teams',
      config: { teams: ['sales', 'support'] },
      position: { x: 0, y: 200 },
    },
    { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 300 } },
  ],
  edges: [
    { id: 'e1', source: 'signup', sourcePort: 'out', target: 'split' },
    { id: 'e2', source: 'split', sourcePort: 'vip', target: 'teams' },
    { id: 'e3', source: 'split', sourcePort: 'else', target: 'done' },
    { id: 'e4', source: 'teams', sourcePort: 'sales', target: 'done' },
    { id: 'e5', source: 'teams', sourcePort: 'support', target: 'done' },
  ],
  settings: { reentry: 'never' },
});

const vipSplit = {
  branches: [
    {
      port: 'vip',
      conditions: { all: [{ fact: 'profile', path: 'traits.vip', operator: 'equal', value: true }] },
    },
  ],
};

describe('node summaries and ports for the editor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, createBuiltinRegistry([notifyTeams]));
  });
  afterAll(async () => t.close());

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

  it('a valid graph validates with each node’s summary and its config-derived ports', async () => {
    const response = await api('POST', '/api/journeys/validate', { graph: graph(vipSplit) });
    expect(response.statusCode, response.body).toBe(200);
    const { nodes } = response.json();
    expect(nodes.split).toEqual({ summary: 'Split into vip or else', ports: ['vip', 'else'] });
    expect(nodes.teams).toEqual({ summary: 'Notify sales and support', ports: ['sales', 'support'] });
    expect(nodes.signup.ports).toEqual(['out']);
    expect(nodes.done).toEqual({ summary: 'Exit', ports: [] });
  });

  it('an invalid graph still describes the nodes whose config parses, beside the errors', async () => {
    const response = await api('POST', '/api/journeys/validate', { graph: graph({ branches: [] }) });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.errors.some((error: { nodeId: string }) => error.nodeId === 'split')).toBe(true);
    expect(Object.keys(body.nodes).sort()).toEqual(['done', 'signup', 'teams']);
  });

  it('an opened journey carries its draft’s node summaries and ports', async () => {
    const created = await api('POST', '/api/journeys', { name: 'Teams', graph: graph(vipSplit) });
    expect(created.statusCode, created.body).toBe(201);
    const response = await api('GET', `/api/journeys/${created.json().id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().nodes.teams).toEqual({
      summary: 'Notify sales and support',
      ports: ['sales', 'support'],
    });
    expect(response.json().validation.ok).toBe(true);
  });

  it('a send step names its template, not its id', async () => {
    const template = await api('POST', '/api/templates', {
      name: 'Cart reminder',
      channel: 'email',
      subject: 'Your cart',
      mjml: '<mjml><mj-body></mj-body></mjml>',
    });
    expect(template.statusCode, template.body).toBe(201);
    const templateId = template.json().id as string;
    const sendGraph = {
      schemaVersion: 1,
      nodes: [
        { id: 'cart', type: 'trigger.event', config: { event: 'cart_updated' }, position: { x: 0, y: 0 } },
        { id: 'email', type: 'send.email', config: { templateId }, position: { x: 0, y: 100 } },
        { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        { id: 'e1', source: 'cart', sourcePort: 'out', target: 'email' },
        { id: 'e2', source: 'email', sourcePort: 'out', target: 'done' },
        { id: 'e3', source: 'email', sourcePort: 'suppressed', target: 'done' },
      ],
      settings: { reentry: 'never' },
    };
    const validated = await api('POST', '/api/journeys/validate', { graph: sendGraph });
    expect(validated.statusCode, validated.body).toBe(200);
    expect(validated.json().nodes.email.summary).toBe('Send email “Cart reminder”');

    const created = await api('POST', '/api/journeys', { name: 'Cart', graph: sendGraph });
    const opened = await api('GET', `/api/journeys/${created.json().id}`);
    expect(opened.json().nodes.email.summary).toBe('Send email “Cart reminder”');
  });
});
