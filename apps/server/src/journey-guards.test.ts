import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJourney } from '../test/journeys.js';
import { identify } from '../test/runtime-harness.js';
import { adminHeaders, createTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let templateId: string;

/** An API-triggered journey: an email, whose `suppressed` port tags the profile. */
const emailJourney = (name: string, settings: Record<string, unknown>) =>
  publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } },
      { id: 'email', type: 'send.email', config: { templateId }, position: { x: 0, y: 100 } },
      {
        id: 'flag',
        type: 'profile.update',
        config: { addTags: ['suppressed'] },
        position: { x: 200, y: 200 },
      },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 300 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'email' },
      { id: 'e2', source: 'email', sourcePort: 'out', target: 'done' },
      { id: 'e3', source: 'email', sourcePort: 'suppressed', target: 'flag' },
      { id: 'e4', source: 'flag', sourcePort: 'out', target: 'done' },
    ],
    settings: { reentry: 'always', ...settings },
  });

const enroll = async (journeyId: string, userId: string, key: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/journeys/${journeyId}/enroll`,
    headers: adminHeaders,
    payload: { userId, key },
  });
  expect(response.json(), response.body).toEqual({ entered: true });
};

const messagesOf = async (userId: string, journeyId: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/messages?userId=${userId}&journeyId=${journeyId}`,
      headers: adminHeaders,
    })
  ).json().messages as Array<{ id: string; status: string; suppressedReason: string | null }>;

const emailStepOf = async (userId: string, journeyId: string) => {
  const profile = (
    await t.app.inject({ method: 'GET', url: `/api/profiles/${userId}`, headers: adminHeaders })
  ).json();
  const enrollment = (
    profile.enrollments as Array<{ journeyId: string; path: Array<Record<string, unknown>> }>
  ).find((e) => e.journeyId === journeyId);
  return enrollment?.path.find((step) => step.nodeId === 'email');
};

beforeAll(async () => {
  t = await createTestApp();
  // Marketing email needs an opt-in in this workspace (as EU marketing email does).
  const patched = await t.app.inject({
    method: 'PATCH',
    url: '/api/workspace',
    headers: adminHeaders,
    payload: { settings: { messaging: { consent: { email: 'opt_in' } } } },
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: {
      name: 'News',
      channel: 'email',
      subject: 'News',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  });
  expect(template.statusCode, template.body).toBe(201);
  templateId = template.json().id;
  await identify(t, 'opted-in', { email: 'in@example.com', subscriptions: { email: true } });
  await identify(t, 'never-said', { email: 'quiet@example.com' });
  await identify(t, 'unsubscribed', { email: 'out@example.com', subscriptions: { email: false } });
  await identify(t, 'no-address', { subscriptions: { email: true } });
});
afterAll(async () => t.close());

describe('guards before every send', () => {
  it('records consent and reachability as the suppressed reason, and takes the suppressed port', async () => {
    const journeyId = await emailJourney('Newsletter', {});
    for (const userId of ['opted-in', 'never-said', 'unsubscribed', 'no-address']) {
      await enroll(journeyId, userId, `news-${userId}`);
    }
    const outcome = async (userId: string) => (await messagesOf(userId, journeyId))[0];
    expect(await outcome('opted-in')).toMatchObject({ status: 'queued', suppressedReason: null });
    expect(await outcome('never-said')).toMatchObject({
      status: 'suppressed',
      suppressedReason: 'not_opted_in',
    });
    expect(await outcome('unsubscribed')).toMatchObject({
      status: 'suppressed',
      suppressedReason: 'unsubscribed',
    });
    expect(await outcome('no-address')).toMatchObject({
      status: 'suppressed',
      suppressedReason: 'no_address',
    });
    expect(await emailStepOf('unsubscribed', journeyId)).toMatchObject({
      port: 'suppressed',
      reason: 'unsubscribed: unsubscribed from email',
    });
    expect(await emailStepOf('opted-in', journeyId)).toMatchObject({ port: 'out' });
    // A suppressed message is recorded, never delivered: no delivery job, no due time.
    const suppressed = (await outcome('unsubscribed'))?.id as string;
    const jobs = await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs
                                           where key = ${`deliver:${suppressed}`}`.execute(t.database.db);
    expect(jobs.rows[0]?.n).toBe(0);
    const due = await sql<{
      due_at: Date | null;
    }>`select due_at from messages where id = ${suppressed}`.execute(t.database.db);
    expect(due.rows[0]?.due_at).toBeNull();
  });

  it("holds the journey's own frequency cap: one email per week from it", async () => {
    const journeyId = await emailJourney('Weekly digest', { frequencyCap: { max: 1, per: 'P7D' } });
    await enroll(journeyId, 'opted-in', 'digest-1');
    await enroll(journeyId, 'opted-in', 'digest-2');
    const messages = await messagesOf('opted-in', journeyId);
    expect(messages.map((m) => [m.status, m.suppressedReason])).toEqual([
      ['suppressed', 'journey_cap'],
      ['queued', null],
    ]);
  });

  it('skips a send in quiet hours, or holds its delivery until they end', async () => {
    const now = new Date();
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const window = {
      start: hhmm(new Date(now.getTime() - 3_600_000)),
      end: hhmm(new Date(now.getTime() + 3_600_000)),
    };
    const skip = await emailJourney('Quiet skip', {
      quietHours: { ...window, timezone: 'UTC', behavior: 'skip' },
    });
    await enroll(skip, 'opted-in', 'quiet-skip');
    expect((await messagesOf('opted-in', skip))[0]).toMatchObject({ suppressedReason: 'quiet_hours' });

    const delay = await emailJourney('Quiet delay', {
      quietHours: { ...window, timezone: 'UTC', behavior: 'delay' },
    });
    await enroll(delay, 'opted-in', 'quiet-delay');
    const [held] = await messagesOf('opted-in', delay);
    expect(held).toMatchObject({ status: 'queued', suppressedReason: null });
    // Its delivery is due when the quiet hours end (the delivery sweep finds it then).
    const due = await sql<{
      due_at: Date;
    }>`select due_at from messages where id = ${held?.id as string}`.execute(t.database.db);
    expect(hhmm(due.rows[0]?.due_at as Date)).toBe(window.end);
    expect(due.rows[0]?.due_at.getTime()).toBeGreaterThan(now.getTime());
    expect(await emailStepOf('opted-in', delay)).toMatchObject({ port: 'out' });
  });

  it('refuses a bad messaging setting, naming the field', async () => {
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/workspace',
      headers: adminHeaders,
      payload: { settings: { messaging: { consent: { email: 'maybe' } } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/settings\.messaging\.consent\.email: must be "opt_in" or "opt_out"/);
  });
});
