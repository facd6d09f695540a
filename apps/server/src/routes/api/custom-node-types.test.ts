import { defineNodeType } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

const addLoyaltyPoints = defineNodeType({
  type: 'acme.loyalty.add',
  version: 1,
  category: 'action',
  label: 'Add loyalty points',
  configSchema: z.object({ points: z.number().int().positive() }),
  ports: ['out'],
  summary: (config) => `Add ${config.points} points`,
  compile: () => ({}),
});

describe('a custom node type registered by an engineer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, createBuiltinRegistry([addLoyaltyPoints]));
  });
  afterAll(async () => t.close());

  const graph = (points: unknown) => ({
    schemaVersion: 1,
    nodes: [
      { id: 'signup', type: 'trigger.event', config: { event: 'signed_up' }, position: { x: 0, y: 0 } },
      { id: 'points', type: 'acme.loyalty.add', config: { points }, position: { x: 0, y: 100 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'signup', sourcePort: 'out', target: 'points' },
      { id: 'e2', source: 'points', sourcePort: 'out', target: 'done' },
    ],
    settings: { reentry: 'never' },
  });

  it('appears in GET /api/node-types with the JSON Schema of its config', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/node-types', headers: adminHeaders });
    const custom = response.json().nodeTypes.find((n: { type: string }) => n.type === 'acme.loyalty.add');
    expect(custom).toMatchObject({
      label: 'Add loyalty points',
      category: 'action',
      ports: { kind: 'static', names: ['out'] },
      configSchema: { type: 'object', properties: { points: { type: 'integer' } }, required: ['points'] },
    });
  });

  it('compiles in a journey, and its config is validated like a built-in’s', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/journeys/validate',
      headers: adminHeaders,
      payload: { graph: graph(50) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().compiled.nodes.points.next).toEqual({ out: 'done' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/journeys/validate',
      headers: adminHeaders,
      payload: { graph: graph(-5) },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toContainEqual(
      expect.objectContaining({ nodeId: 'points', code: 'invalid_config', path: 'config.points' }),
    );
  });
});
