import { createDb, startEmbeddedPostgres } from '@touchline/db';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, killGroup, processFixture, type Started, startTouchline } from './process.js';

const writeKey = 'tl_write_runtime_crash_0123456789';
const adminToken = 'tl_admin_runtime_crash_0123456789';
const env = {
  TOUCHLINE_WRITE_KEY: writeKey,
  TOUCHLINE_ADMIN_TOKEN: adminToken,
  // A job held by a killed worker is queued again after a second, not graphile-worker's 4 hours.
  TOUCHLINE_OVERDUE_SECONDS: '1',
};
const ingestAuth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
const adminAuth = { authorization: `Bearer ${adminToken}` };

async function call(server: Started, method: string, url: string, body?: unknown, headers = adminAuth) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A journey: on `event`, email at once, wait `wait`, then an SMS. */
async function publishJourney(server: Started, event: string, wait: string): Promise<string> {
  const email = await call(server, 'POST', '/api/templates', {
    name: `${event} email`,
    channel: 'email',
    subject: 'Welcome',
    mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
  });
  const sms = await call(server, 'POST', '/api/templates', {
    name: `${event} sms`,
    channel: 'sms',
    text: 'Hi',
  });
  expect(email.status).toBe(201);
  expect(sms.status).toBe(201);
  const node = (id: string, type: string, config: unknown) => ({
    id,
    type,
    config,
    position: { x: 0, y: 0 },
  });
  const graph = {
    schemaVersion: 1,
    nodes: [
      node('start', 'trigger.event', { event }),
      node('email', 'send.email', { templateId: email.body.id }),
      node('pause', 'wait.duration', { duration: wait }),
      node('sms', 'send.sms', { templateId: sms.body.id }),
      node('done', 'exit', {}),
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'email' },
      { id: 'e2', source: 'email', sourcePort: 'out', target: 'pause' },
      { id: 'e3', source: 'pause', sourcePort: 'out', target: 'sms' },
      { id: 'e4', source: 'sms', sourcePort: 'out', target: 'done' },
      { id: 'e5', source: 'email', sourcePort: 'suppressed', target: 'pause' },
      { id: 'e6', source: 'sms', sourcePort: 'suppressed', target: 'done' },
    ],
    settings: { reentry: 'never' },
  };
  const created = await call(server, 'POST', '/api/journeys', { name: event, graph });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await call(server, 'POST', `/api/journeys/${created.body.id}/publish`, {});
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return created.body.id;
}

async function sendSignups(server: Started, event: string, users: number): Promise<void> {
  for (let start = 0; start < users; start += 250) {
    // Each person is reachable by email and SMS (the send guards stop a send to no address).
    const batch = Array.from({ length: Math.min(250, users - start) }, (_, i) => {
      const userId = `${event}-user-${start + i}`;
      return [
        {
          type: 'identify',
          userId,
          traits: { email: `${userId}@example.com`, phone: `+3361234${String(start + i).padStart(4, '0')}` },
          messageId: `${event}-id-${start + i}`,
        },
        { type: 'track', event, userId, messageId: `${event}-${start + i}` },
      ];
    }).flat();
    const response = await call(server, 'POST', '/v1/batch', { batch }, ingestAuth);
    expect(response.status).toBe(200);
  }
}

interface Stats {
  totals: { entered: number; running: number; completed: number };
  nodes: Record<string, { entered: number; waiting: number; ports: Record<string, number> }>;
}

async function statsOf(server: Started, journeyId: string): Promise<Stats> {
  return (await call(server, 'GET', `/api/journeys/${journeyId}/stats`)).body as Stats;
}

async function until<T>(
  server: Started,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; the server said:\n${server.output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each enrollment sent exactly one email and one SMS, and passed each node exactly once. */
async function expectExactlyOnce(
  server: Started & { dataDir: string },
  journeyId: string,
  users: number,
): Promise<void> {
  const stats = await until(
    server,
    async () => {
      const s = await statsOf(server, journeyId);
      return s.totals.completed === users ? s : undefined;
    },
    30_000,
    `${users} completed enrollments`,
  );
  expect(stats.totals).toMatchObject({ entered: users, running: 0, completed: users });
  for (const nodeId of ['start', 'email', 'pause', 'sms', 'done']) {
    expect(stats.nodes[nodeId]?.entered, nodeId).toBe(users);
  }
  // The outbox itself, read from the database: one email and one SMS per enrollment, all sent.
  const postgres = await startEmbeddedPostgres({ dataDir: server.dataDir });
  const db = createDb(postgres.url.replace(/\/[^/]*$/, '/touchline'), { max: 1 });
  try {
    const outbox = () =>
      db.pool
        .query<{ channel: string; status: string; n: number; enrollments: number }>(
          `select channel, status, count(*)::int as n, count(distinct enrollment_id)::int as enrollments
             from messages where journey_id = $1 group by channel, status order by channel, status`,
          [journeyId],
        )
        .then((r) => r.rows);
    // Delivery runs after the step that queued it: wait until nothing is queued or mid-send.
    const rows = await until(
      server,
      async () => {
        const current = await outbox();
        return current.some((row) => row.status === 'queued' || row.status === 'sending')
          ? undefined
          : current;
      },
      30_000,
      'every message delivered',
    );
    expect(rows).toEqual([
      { channel: 'email', status: 'sent', n: users, enrollments: users },
      { channel: 'sms', status: 'sent', n: users, enrollments: users },
    ]);
  } finally {
    await db.pool.end();
  }
}

describe('journey runtime durability', () => {
  const { dataDir, children, cleanUp } = processFixture('touchline-runtime-crash-');
  afterAll(cleanUp);
  const start = async (extra: Record<string, string> = {}) => {
    const server = await startTouchline(dataDir, { ...env, ...extra });
    children.push(server.child);
    return { ...server, dataDir };
  };
  const stop = async (server: Started) => {
    server.child.kill('SIGTERM');
    expect(await exitOf(server.child)).toBe(0);
  };

  it('a server killed with SIGKILL (and its PostgreSQL) while 1,000 enrollments wait resumes them all after restart, each sent exactly once', async () => {
    const first = await start();
    const journeyId = await publishJourney(first, 'signed_up', 'PT4S');
    await sendSignups(first, 'signed_up', 1_000);
    await until(
      first,
      async () => ((await statsOf(first, journeyId)).nodes.pause?.waiting === 1_000 ? true : undefined),
      20_000,
      '1,000 waiting enrollments',
    );
    killGroup(first.child);
    await exitOf(first.child);

    const second = await start();
    await expectExactlyOnce(second, journeyId, 1_000);
    await stop(second);
  }, 120_000);

  // Every kill point: before a decision commits (nothing happened; it is done again) and after
  // (it happened; a job or inbox row that survives finds nothing left to do).
  const points = [
    // The event transaction's claim (begun, inbox rows locked, nothing written), and its one
    // write (enrollments, steps, outbox, waits, inbox rows), which carries the commit.
    'tl_rt_claim_ids:1',
    'tl_rt_write_events:1',
    'commit_events:1',
    'tl_rt_write_wakes:1',
    'commit_wakes:1',
    // The delivery sweep: killed after marking its batch and before the commit (handed over
    // again, same key), and after the commit.
    'tl_dl_sweep_write:1',
    'commit_deliveries:1',
  ];
  it.each(points)(
    'SIGKILL right after %s loses no step and sends nothing twice',
    async (point) => {
      const event = `joined_${point.replace(/[^a-z]/g, '_')}`;
      const setup = await start();
      const journeyId = await publishJourney(setup, event, 'PT1S');
      await stop(setup);

      const faulty = await start({ TOUCHLINE_FAULT_KILL_AFTER: point });
      await sendSignups(faulty, event, 50).catch(() => {});
      const code = await Promise.race([
        exitOf(faulty.child).then(() => 'killed'),
        new Promise((resolve) => setTimeout(() => resolve('alive'), 20_000)),
      ]);
      expect(code).toBe('killed');
      expect(faulty.child.signalCode).toBe('SIGKILL');

      const restarted = await start();
      await expectExactlyOnce(restarted, journeyId, 50);
      await stop(restarted);
    },
    90_000,
  );

  // With no horizon every wait is a row of journey_timers, taken by the wake sweep in the
  // transaction that commits its effects: killed before that commit, the row is still there.
  it.each(['tl_rt_claim_timers:1', 'tl_rt_write_wakes:1', 'commit_wakes:1'])(
    'waits in journey_timers: SIGKILL right after %s loses no wake and sends nothing twice',
    async (point) => {
      const horizon = { TOUCHLINE_WAIT_HORIZON_SECONDS: '0' };
      const event = `timer_${point.replace(/[^a-z]/g, '_')}`;
      const setup = await start(horizon);
      const journeyId = await publishJourney(setup, event, 'PT2S');
      await stop(setup);

      const faulty = await start({ ...horizon, TOUCHLINE_FAULT_KILL_AFTER: point });
      await sendSignups(faulty, event, 50).catch(() => {});
      const code = await Promise.race([
        exitOf(faulty.child).then(() => 'killed'),
        new Promise((resolve) => setTimeout(() => resolve('alive'), 20_000)),
      ]);
      expect(code).toBe('killed');
      expect(faulty.child.signalCode).toBe('SIGKILL');

      const restarted = await start(horizon);
      await expectExactlyOnce(restarted, journeyId, 50);
      await stop(restarted);
    },
    90_000,
  );
});
