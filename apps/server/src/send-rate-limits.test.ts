import { createDefaultChannels } from '@touchline/channels';
import { createDb } from '@touchline/db';
import { createDelivery, startWorker } from '@touchline/worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney, publishSendJourney } from '../test/journeys.js';
import { identify } from '../test/runtime-harness.js';
import { startSmtpServer } from '../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let newsletterId: string;

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

const enroll = async (journeyId: string, userId: string) => {
  const response = await api('POST', `/api/journeys/${journeyId}/enroll`, {
    userId,
    key: `${journeyId}-${userId}`,
  });
  expect(response.json(), response.body).toEqual({ entered: true });
};

const messagesOf = async (journeyId: string) =>
  (
    await sql<{
      id: string;
      status: string;
      suppressed_reason: string | null;
      sent_at: Date | null;
      delivery_attempts: number;
      paced_until: Date | null;
      user_id: string;
    }>`select m.id, m.status, m.suppressed_reason, m.sent_at, m.delivery_attempts, m.paced_until, p.user_id
         from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
        where m.journey_id = ${journeyId} order by m.created_at`.execute(t.database.db)
  ).rows;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'Shop <news@shop.test>',
      unsubscribeMailto: 'unsubscribe@shop.test',
    }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
  const patched = await api('PATCH', '/api/workspace', {
    settings: { messaging: { rateLimits: { email: { perSecond: 2 } }, budget: { sms: { perDay: 2 } } } },
  });
  expect(patched.statusCode, patched.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('per-channel send rate limits and budget', () => {
  it('refuses a rate or budget that is not one, naming the field', async () => {
    const rate = await api('PATCH', '/api/workspace', {
      settings: { messaging: { rateLimits: { email: { perSecond: 0 } } } },
    });
    expect(rate.statusCode).toBe(400);
    expect(rate.json().message).toBe(
      'body.settings.messaging.rateLimits.email.perSecond: must be more than 0',
    );
    const budget = await api('PATCH', '/api/workspace', {
      settings: { messaging: { budget: { sms: { perDay: 1.5 } } } },
    });
    expect(budget.statusCode).toBe(400);
    expect(budget.json().message).toMatch(/^body\.settings\.messaging\.budget\.sms\.perDay: /);
    // Refused patches leave the settings as they were.
    const stored = (await api('GET', '/api/workspace')).json().settings.messaging;
    expect(stored).toEqual({ rateLimits: { email: { perSecond: 2 } }, budget: { sms: { perDay: 2 } } });
  });

  it('paces email at 2 a second: six messages all sent, none twice, over at least 2 s', async () => {
    const template = await api('POST', '/api/templates', {
      name: 'News',
      channel: 'email',
      subject: 'News',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    expect(template.statusCode, template.body).toBe(201);
    const journeyId = await publishEmailJourney(t, 'Newsletter', template.json().id);
    newsletterId = journeyId;
    const users = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    for (const userId of users) await identify(t, userId, { email: `${userId}@example.com` });
    await Promise.all(users.map((userId) => enroll(journeyId, userId)));

    const messages = await eventually(async () => {
      const rows = await messagesOf(journeyId);
      expect(rows.map((m) => m.status)).toEqual(users.map(() => 'sent'));
      return rows;
    }, 30_000);
    expect(messages.every((m) => m.delivery_attempts === 1)).toBe(true);
    // One address per mail (mailparser repeats it in the header's text and html forms).
    const received = smtp.received.flatMap((mail) => [
      ...new Set(JSON.stringify(mail.to).match(/r\d@example\.com/g)),
    ]);
    expect(received.sort()).toEqual(users.map((u) => `${u}@example.com`));
    const sentAt = messages.map((m) => m.sent_at!.getTime());
    expect(Math.max(...sentAt) - Math.min(...sentAt)).toBeGreaterThanOrEqual(2_000);
    // Held back rather than dropped: the later ones waited for slots reserved for them.
    expect(messages.filter((m) => m.paced_until !== null).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps the pace with a second worker on its own connections: one schedule in PostgreSQL', async () => {
    const other = createDb(t.database.url, { max: 8 });
    const { pino } = await import('pino');
    const worker = await startWorker({
      db: other.db,
      pool: other.pool,
      logger: pino({ level: 'warn' }),
      concurrency: 8,
      pollInterval: 100,
      delivery: createDelivery({
        channels: createDefaultChannels({
          smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
          emailFrom: 'Shop <news@shop.test>',
        }),
      }),
    });
    try {
      const users = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
      for (const userId of users) await identify(t, userId, { email: `${userId}@example.com` });
      await Promise.all(users.map((userId) => enroll(newsletterId, userId)));
      const messages = await eventually(async () => {
        const rows = (await messagesOf(newsletterId)).filter((m) => users.includes(m.user_id));
        expect(rows.map((m) => m.status)).toEqual(users.map(() => 'sent'));
        return rows;
      }, 30_000);
      expect(messages.every((m) => m.delivery_attempts === 1)).toBe(true);
      const received = smtp.received.flatMap((mail) => [
        ...new Set(JSON.stringify(mail.to).match(/w\d@example\.com/g)),
      ]);
      expect(received.sort()).toEqual(users.map((u) => `${u}@example.com`));
      const sentAt = messages.map((m) => m.sent_at!.getTime());
      expect(Math.max(...sentAt) - Math.min(...sentAt)).toBeGreaterThanOrEqual(2_000);
    } finally {
      await worker.stop();
      await other.close();
    }
  });

  it('suppresses the sends past the daily SMS budget as budget_exceeded', async () => {
    const template = await api('POST', '/api/templates', {
      name: 'Code',
      channel: 'sms',
      text: 'Your code: 10OFF',
    });
    expect(template.statusCode, template.body).toBe(201);
    const journeyId = await publishSendJourney(t, 'SMS offer', template.json().id, { channel: 'sms' });
    for (const [userId, phone] of [
      ['s1', '+4915100000001'],
      ['s2', '+4915100000002'],
      ['s3', '+4915100000003'],
    ] as const) {
      await identify(t, userId, { phone });
      await enroll(journeyId, userId);
    }
    const messages = await messagesOf(journeyId);
    expect(messages.map((m) => [m.user_id, m.suppressed_reason])).toEqual([
      ['s1', null],
      ['s2', null],
      ['s3', 'budget_exceeded'],
    ]);
    expect(messages[2]?.status).toBe('suppressed');
    const profile = (await api('GET', '/api/profiles/s3')).json();
    const step = (
      profile.enrollments as Array<{ path: Array<{ nodeId: string; port: string; reason: string }> }>
    )[0]?.path.find((s) => s.nodeId === 'sms');
    expect(step).toMatchObject({ port: 'suppressed' });
    expect(step?.reason).toMatch(/^budget_exceeded: the workspace's sms budget of 2 a day \(UTC\) is spent/);
  });
});
