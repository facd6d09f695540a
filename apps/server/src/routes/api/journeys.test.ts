import { readFileSync } from 'node:fs';
import { createWorkspace, insertApiKey } from '@touchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';
import { hashToken } from '../../auth/secrets.js';

const fixtureDir = new URL('../../../../../packages/nodes/test/fixtures/', import.meta.url);

interface Graph {
  nodes: Array<{ id: string; type: string; config: Record<string, unknown> }>;
  edges: Array<{ id: string; source: string; sourcePort: string; target: string }>;
  settings: Record<string, unknown>;
}

/** A DESIGN.md fixture journey with its template and segment names replaced by real ids. */
function fixture(name: string, ids: Record<string, string>): Graph {
  let text = readFileSync(new URL(`${name}.journey.json`, fixtureDir), 'utf8');
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(`"${from}"`, `"${to}"`);
  return JSON.parse(text);
}

describe('journeys API', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: adminHeaders,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  beforeAll(async () => {
    t = await createTestApp();
    const templates: Array<[string, Record<string, unknown>]> = [
      [
        'tpl_abandoned_cart',
        { channel: 'email', subject: 'You left something', mjml: '<mjml><mj-body></mj-body></mjml>' },
      ],
      ['tpl_cart_discount_sms', { channel: 'sms', text: 'Here is 10% off: {{ code }}' }],
      [
        'tpl_winback_we_miss_you',
        { channel: 'email', subject: 'We miss you', mjml: '<mjml><mj-body></mj-body></mjml>' },
      ],
      [
        'tpl_winback_15_off',
        { channel: 'email', subject: 'Come back', mjml: '<mjml><mj-body></mj-body></mjml>' },
      ],
      [
        'tpl_winback_last_chance',
        { channel: 'email', subject: 'Last call', mjml: '<mjml><mj-body></mj-body></mjml>' },
      ],
    ];
    for (const [key, content] of templates) {
      const created = await api('POST', '/api/templates', { name: key, ...content });
      expect(created.statusCode).toBe(201);
      ids[key] = created.json().id;
    }
    const segment = await api('POST', '/api/segments', {
      name: 'Lapsed buyers',
      definition: {
        kind: 'conditions',
        conditions: {
          all: [
            { fact: 'profile', path: 'computed.orders_count', operator: 'greaterThanInclusive', value: 2 },
          ],
        },
      },
    });
    expect(segment.statusCode).toBe(201);
    ids.seg_lapsed_repeat_buyers = segment.json().id;
  });
  afterAll(async () => t.close());

  it('compiles the abandoned-cart journey of the design through the API', async () => {
    const response = await api('POST', '/api/journeys/validate', { graph: fixture('abandoned-cart', ids) });
    expect(response.statusCode, response.body).toBe(200);
    const { compiled } = response.json();
    expect(Object.keys(compiled.triggers)).toEqual(['cart_updated']);
    expect(compiled.nodes.wait_for_order.next).toEqual({ received: 'converted', timeout: 'email_cart' });
  });

  it('compiles the win-back journey of the design through the API', async () => {
    const response = await api('POST', '/api/journeys/validate', { graph: fixture('win-back', ids) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().compiled.nodes.subject_test.next).toMatchObject({ holdout: 'holdout_exit' });
  });

  it('answers a journey with a dangling port with 422 naming the node and the port', async () => {
    const graph = fixture('abandoned-cart', ids);
    graph.edges = graph.edges.filter((e) => !(e.source === 'wait_for_order' && e.sourcePort === 'timeout'));
    const response = await api('POST', '/api/journeys/validate', { graph });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toContainEqual(
      expect.objectContaining({ nodeId: 'wait_for_order', port: 'timeout', code: 'dangling_port' }),
    );
  });

  it('answers a send of a template this workspace does not have with 422 naming the node', async () => {
    const graph = fixture('abandoned-cart', {
      ...ids,
      tpl_abandoned_cart: '00000000-0000-4000-8000-000000000000',
    });
    const response = await api('POST', '/api/journeys/validate', { graph });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toContainEqual(
      expect.objectContaining({ nodeId: 'email_cart', code: 'unknown_template' }),
    );
  });

  it('saves an invalid draft as drawn, refuses to publish it with the same errors, and publishes it once fixed', async () => {
    const broken = fixture('abandoned-cart', ids);
    const waitNode = broken.nodes.find((n) => n.id === 'wait_for_order');
    if (!waitNode) throw new Error('fixture changed');
    waitNode.config.timeout = 'one hour';

    const created = await api('POST', '/api/journeys', { name: 'Abandoned cart', graph: broken });
    expect(created.statusCode).toBe(201);
    const journey = created.json();
    expect(journey.status).toBe('draft');
    expect(journey.graph).toEqual(broken);
    expect(journey.validation.ok).toBe(false);
    const draftErrors = journey.validation.errors;
    expect(draftErrors).toContainEqual(
      expect.objectContaining({ nodeId: 'wait_for_order', code: 'invalid_config' }),
    );

    const refused = await api('POST', `/api/journeys/${journey.id}/publish`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual(draftErrors);

    const saved = await api('PUT', `/api/journeys/${journey.id}`, { graph: fixture('abandoned-cart', ids) });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().validation, saved.body).toEqual({ ok: true, errors: [] });

    const published = await api('POST', `/api/journeys/${journey.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 1, journey: { status: 'live', liveVersion: 1 } });
    const again = await api('POST', `/api/journeys/${journey.id}/publish`);
    expect(again.json().version).toBe(2);

    const versions = await api('GET', `/api/journeys/${journey.id}/versions`);
    expect(versions.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await api('GET', `/api/journeys/${journey.id}/versions/1`);
    expect(v1.json().compiled.triggers).toHaveProperty('cart_updated');

    expect((await api('POST', `/api/journeys/${journey.id}/pause`)).json().status).toBe('paused');
    expect((await api('POST', `/api/journeys/${journey.id}/pause`)).statusCode).toBe(409);
    expect((await api('POST', `/api/journeys/${journey.id}/resume`)).json().status).toBe('live');

    // A published journey keeps its history: deleting archives it.
    expect((await api('DELETE', `/api/journeys/${journey.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/journeys/${journey.id}`)).json().status).toBe('archived');
    const listed = await api('GET', '/api/journeys');
    expect(listed.json().journeys.map((j: { id: string }) => j.id)).not.toContain(journey.id);
  });

  it('deletes a journey that was never published', async () => {
    const created = await api('POST', '/api/journeys', { name: 'Scratch' });
    expect(created.json().graph).toMatchObject({ nodes: [], edges: [] });
    expect((await api('DELETE', `/api/journeys/${created.json().id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/journeys/${created.json().id}`)).statusCode).toBe(404);
  });

  it('lists and searches journeys by name', async () => {
    await api('POST', '/api/journeys', { name: 'Welcome series' });
    await api('POST', '/api/journeys', { name: 'Win-back 60 days' });
    const found = await api('GET', '/api/journeys?q=welc');
    expect(found.json().journeys.map((j: { name: string }) => j.name)).toEqual(['Welcome series']);
  });

  it('names the field of a bad request', async () => {
    const noName = await api('POST', '/api/journeys', { graph: {} });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().message).toMatch(/body\.name/);
    const badId = await api('GET', '/api/journeys/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().message).toMatch(/params\.id: must be a journey id/);
  });

  it('keeps each workspace’s journeys to itself', async () => {
    const created = await api('POST', '/api/journeys', { name: 'Private' });
    const other = await createWorkspace(t.database.db, 'Other');
    const otherToken = 'tl_admin_other_workspace_0123456789';
    await insertApiKey(t.database.db, {
      workspaceId: other.id,
      kind: 'admin',
      name: 'other',
      tokenHash: hashToken(otherToken),
      tokenPrefix: 'tl_admin_oth',
    });
    const headers = { authorization: `Bearer ${otherToken}` };
    const read = await t.app.inject({ method: 'GET', url: `/api/journeys/${created.json().id}`, headers });
    expect(read.statusCode).toBe(404);
    const list = await t.app.inject({ method: 'GET', url: '/api/journeys', headers });
    expect(list.json().journeys).toEqual([]);
  });

  it('describes every built-in node type with its ports and config JSON Schema', async () => {
    const response = await api('GET', '/api/node-types');
    const types = response.json().nodeTypes as Array<{ type: string; configSchema: { type?: string } }>;
    expect(types.map((n) => n.type)).toEqual(
      expect.arrayContaining([
        'trigger.event',
        'condition',
        'split.random',
        'wait.event',
        'send.email',
        'exit',
      ]),
    );
    expect(types).toHaveLength(19);
    expect(types.find((n) => n.type === 'wait.event')).toMatchObject({
      ports: { kind: 'static', names: ['received', 'timeout'] },
    });
  });
});
