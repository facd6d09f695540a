import {
  type ChannelAdapter,
  createChannelRegistry,
  createSandboxAdapter,
  PermanentDeliveryError,
  RetryableDeliveryError,
} from '@touchline/channels';
import { createDelivery, type Delivery, deliverMessage } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney } from '../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

/**
 * Delivery through an idempotent adapter (a provider that deduplicates by the idempotency key)
 * commits each message once, `sent`, without the `sending` claim; a hand-off whose answer was
 * lost is handed over again with the same key and marked once.
 */

let t: TestApp;
let delivery: Delivery;
let journeyId: string;
/** What the provider was handed, by idempotency key (it delivers each key once). */
const handedOver = new Map<string, number>();
/** Keys whose next hand-off the provider takes but whose answer never reaches the worker. */
const answerLost = new Set<string>();
/** Addresses the provider refuses for now (once each), and for good. */
const busyOnce = new Set<string>();
const refused = new Set<string>();

const provider: ChannelAdapter = {
  name: 'dedup-provider',
  channels: ['email'],
  idempotent: true,
  async send(message) {
    handedOver.set(message.idempotencyKey, (handedOver.get(message.idempotencyKey) ?? 0) + 1);
    if (answerLost.delete(message.idempotencyKey))
      throw new Error('connection reset after the provider took it');
    if (busyOnce.delete(message.to ?? '')) throw new RetryableDeliveryError('provider busy');
    if (refused.has(message.to ?? '')) throw new PermanentDeliveryError('no such mailbox');
    return { providerId: `provider:${message.idempotencyKey}` };
  },
};

const messageOf = async (userId: string) =>
  (
    await sql<{
      id: string;
      status: string;
      error: string | null;
      adapter: string | null;
      claimed_at: Date | null;
      provider_id: string | null;
      delivery_attempts: number;
      idempotency_key: string;
    }>`select m.id, m.status, m.error, m.adapter, m.claimed_at, m.provider_id, m.delivery_attempts, m.idempotency_key
         from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
        where p.user_id = ${userId} and m.journey_id = ${journeyId}`.execute(t.database.db)
  ).rows;

const enroll = async (userId: string) => {
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { email: `${userId}@example.com` } },
  });
  expect(identified.statusCode, identified.body).toBe(200);
  const entered = await t.app.inject({
    method: 'POST',
    url: `/api/journeys/${journeyId}/enroll`,
    headers: adminHeaders,
    payload: { userId, key: `idem-${userId}` },
  });
  expect(entered.json(), entered.body).toEqual({ entered: true });
};

beforeAll(async () => {
  delivery = createDelivery({ channels: createChannelRegistry([createSandboxAdapter(), provider]) });
  t = await createTestApp({}, undefined, { worker: true, delivery });
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: {
      name: 'Welcome',
      channel: 'email',
      subject: 'Welcome',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  });
  expect(template.statusCode, template.body).toBe(201);
  journeyId = await publishEmailJourney(t, 'Welcome', template.json().id);
});
afterAll(async () => {
  await t?.close();
});

describe('delivery through an idempotent adapter', () => {
  it('marks the message sent in one step: never claimed, one attempt, the adapter recorded', async () => {
    await enroll('ada');
    const [message] = await eventually(async () => {
      const rows = await messageOf('ada');
      expect(rows.map((r) => r.status)).toEqual(['sent']);
      return rows;
    });
    expect(message).toMatchObject({
      adapter: 'dedup-provider',
      claimed_at: null,
      delivery_attempts: 1,
      error: null,
      provider_id: `provider:${message?.idempotency_key}`,
    });
    expect(handedOver.get(message?.idempotency_key as string)).toBe(1);
    // The same job again finds it sent and hands nothing over.
    expect(await deliverMessage(t.database.db, delivery, t.workspaceId, message?.id as string)).toEqual({
      outcome: 'skipped',
      status: 'sent',
    });
    expect(handedOver.get(message?.idempotency_key as string)).toBe(1);
  });

  it('hands a message whose answer was lost over again with the same key, and marks it sent once', async () => {
    await enroll('bea');
    const message = await eventually(async () => {
      const [row] = await messageOf('bea');
      expect(row?.status).toBe('sent');
      return row;
    });
    const key = message?.idempotency_key as string;
    // The state a crash between the hand-off and the mark leaves: the provider has the message,
    // the outbox still says queued. The next hand-off's answer is lost as well.
    answerLost.add(key);
    await sql`update messages set status = 'queued', sent_at = null, provider_id = null
               where id = ${message?.id as string}`.execute(t.database.db);
    await expect(
      deliverMessage(t.database.db, delivery, t.workspaceId, message?.id as string),
    ).rejects.toThrow(/connection reset/);
    const [lost] = await messageOf('bea');
    expect(lost).toMatchObject({ status: 'queued', delivery_attempts: 2 });
    expect(lost?.error).toMatch(/^attempt 2: connection reset/);

    expect(await deliverMessage(t.database.db, delivery, t.workspaceId, message?.id as string)).toEqual({
      outcome: 'sent',
      providerId: `provider:${key}`,
    });
    const [sent] = await messageOf('bea');
    expect(sent).toMatchObject({ status: 'sent', delivery_attempts: 3, error: null, claimed_at: null });
    // Three hand-offs of one key: the provider delivered it once.
    expect(handedOver.get(key)).toBe(3);
  });

  it('hands over again a message an earlier claimed attempt left sending', async () => {
    await enroll('cy');
    const message = await eventually(async () => {
      const [row] = await messageOf('cy');
      expect(row?.status).toBe('sent');
      return row;
    });
    await sql`update messages set status = 'sending', claimed_at = now() where id = ${message?.id as string}`.execute(
      t.database.db,
    );
    expect(await deliverMessage(t.database.db, delivery, t.workspaceId, message?.id as string)).toMatchObject(
      {
        outcome: 'sent',
      },
    );
    const [sent] = await messageOf('cy');
    expect(sent).toMatchObject({ status: 'sent', delivery_attempts: 2 });
    expect(handedOver.get(message?.idempotency_key as string)).toBe(2);
  });

  it('delivers a due message from the outbox, without a job; a refusal for now is due again after a backoff', async () => {
    busyOnce.add('dan@example.com');
    await enroll('dan');
    const retried = await eventually(async () => {
      const [row] = await messageOf('dan');
      expect(row).toMatchObject({ status: 'queued', delivery_attempts: 1 });
      return row;
    });
    expect(retried?.error).toMatch(/^attempt 1: provider busy/);
    const due = await sql<{ ahead_ms: number; jobs: number }>`
      select extract(epoch from due_at - now()) * 1000 as ahead_ms,
             (select count(*)::int from graphile_worker._private_jobs where key = 'deliver:' || m.id) as jobs
        from messages m where id = ${retried?.id as string}`.execute(t.database.db);
    // graphile-worker's first backoff, e^1 s, less the moments since.
    expect(Number(due.rows[0]?.ahead_ms)).toBeGreaterThan(1_000);
    expect(due.rows[0]?.jobs).toBe(0);
    // The backoff passed: the sweep hands it over again, with the same key, and marks it sent.
    await sql`update messages set due_at = now() where id = ${retried?.id as string}`.execute(t.database.db);
    const sent = await eventually(async () => {
      const [row] = await messageOf('dan');
      expect(row).toMatchObject({ status: 'sent', delivery_attempts: 2, error: null });
      return row;
    });
    expect(handedOver.get(sent?.idempotency_key as string)).toBe(2);
    const after = await sql<{
      due_at: Date | null;
    }>`select due_at from messages where id = ${sent?.id as string}`.execute(t.database.db);
    expect(after.rows[0]?.due_at).toBeNull();
  });

  it('fails a message the provider refuses for good, and hands it over no more', async () => {
    refused.add('eve@example.com');
    await enroll('eve');
    const failed = await eventually(async () => {
      const [row] = await messageOf('eve');
      expect(row?.status).toBe('failed');
      return row;
    });
    expect(failed?.error).toMatch(/no such mailbox/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handedOver.get(failed?.idempotency_key as string)).toBe(1);
  });
});
