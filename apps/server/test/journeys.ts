import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { adminHeaders, type TestApp } from './test-app.js';

const fixtures = fileURLToPath(new URL('../../../packages/nodes/test/fixtures/', import.meta.url));

/** A fixture journey of DESIGN.md, with its template ids replaced by templates created in `t`. */
export async function fixtureJourney(t: TestApp, name: string): Promise<Record<string, unknown>> {
  let text = readFileSync(`${fixtures}${name}.journey.json`, 'utf8');
  const templateIds = [...new Set(text.match(/"tpl_[a-z0-9_]+"/g) ?? [])].map((id) => id.slice(1, -1));
  for (const templateId of templateIds) {
    const channel = templateId.endsWith('_sms')
      ? 'sms'
      : templateId.endsWith('_whatsapp')
        ? 'whatsapp'
        : templateId.startsWith('tpl_push')
          ? 'push'
          : templateId.startsWith('tpl_inapp')
            ? 'inapp'
            : 'email';
    const content =
      channel === 'email'
        ? {
            channel,
            subject: `Hi {{ profile.traits.name }}`,
            mjml: '<mjml><mj-body><mj-text>{{ event.properties.cart_id }}</mj-text></mj-body></mjml>',
          }
        : channel === 'push'
          ? { channel, title: 'Hi', body: 'Come back' }
          : channel === 'inapp'
            ? { channel, title: 'Hi', body: 'Thanks' }
            : channel === 'whatsapp'
              ? { channel, templateName: 'vip_thanks' }
              : { channel, text: 'Your cart misses you' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/templates',
      headers: adminHeaders,
      payload: { name: templateId, ...content },
    });
    expect(created.statusCode, created.body).toBe(201);
    text = text.replaceAll(`"${templateId}"`, JSON.stringify(created.json().id));
  }
  return JSON.parse(text);
}

/** Creates and publishes a journey; returns its id. */
export async function publishJourney(t: TestApp, name: string, graph: unknown): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/journeys',
    headers: adminHeaders,
    payload: { name, graph },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const published = await t.app.inject({
    method: 'POST',
    url: `/api/journeys/${id}/publish`,
    headers: adminHeaders,
    payload: {},
  });
  expect(published.statusCode, published.body).toBe(200);
  return id;
}

/**
 * The smallest sending journey: a trigger (an API call unless given), one send on the channel
 * (email unless given; the step's id is the channel), and its end (sent or suppressed); every
 * trigger re-enters. Published; returns its id.
 */
export function publishSendJourney(
  t: TestApp,
  name: string,
  templateId: string,
  {
    channel = 'email',
    trigger = { type: 'trigger.api', config: {} },
  }: { channel?: string; trigger?: { type: string; config: Record<string, unknown> } } = {},
): Promise<string> {
  return publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      { id: 'start', ...trigger, position: { x: 0, y: 0 } },
      { id: channel, type: `send.${channel}`, config: { templateId }, position: { x: 0, y: 100 } },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: channel },
      { id: 'e2', source: channel, sourcePort: 'out', target: 'done' },
      { id: 'e3', source: channel, sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'always' },
  });
}

/** {@link publishSendJourney} for email. */
export function publishEmailJourney(
  t: TestApp,
  name: string,
  templateId: string,
  trigger?: { type: string; config: Record<string, unknown> },
): Promise<string> {
  return publishSendJourney(t, name, templateId, trigger ? { trigger } : {});
}

/** Polls until `check` stops throwing (the runtime and worker work asynchronously). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
