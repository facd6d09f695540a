import { createBuiltinRegistry } from '@touchline/nodes';
import { nextCronRun } from '@touchline/runtime';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishJourney } from '../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// The runtime's clock runs `offset` ahead of the wall clock; moving it also brings due jobs forward.
let offset = 0;
let t: TestApp;
const clock = () => Date.now() + offset;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), {
    worker: true,
    now: () => new Date(clock()),
    horizonMs: 7 * 24 * 3_600_000,
  });
});
afterAll(async () => t.close());

const scheduleJobs = async (journeyId: string) =>
  (
    await sql<{ id: string; run_at: Date; payload: { from: string } }>`
      select id::text, run_at, payload from graphile_worker._private_jobs where key = ${`schedule:${journeyId}`}`.execute(
      t.database.db,
    )
  ).rows;

/** Moves the clock to `instant` (never back) and, if the schedule job is due by then, runs it. */
async function advanceTo(journeyId: string, instant: number): Promise<void> {
  offset = Math.max(offset, instant - Date.now());
  const [job] = await scheduleJobs(journeyId);
  if (!job || job.run_at.getTime() > clock()) return;
  await sql`update graphile_worker._private_jobs set run_at = now() where id = ${job.id}::bigint`.execute(
    t.database.db,
  );
  await sql`select pg_notify('jobs:insert', '{}')`.execute(t.database.db);
  // A run ends by replacing its job with the next run's (a new id), or by leaving none.
  await eventually(async () => {
    const [now] = await scheduleJobs(journeyId);
    expect(now?.id).not.toBe(job.id);
  });
}

const identify = async (userId: string, timezone: string) => {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { timezone, name: userId } },
  });
  expect(response.statusCode, response.body).toBe(200);
};

async function enrollments(journeyId: string) {
  return (
    await sql<{ user_id: string; entry_key: string; entered_at: Date; timezone: string | null }>`
      select p.user_id, e.entry_key, e.entered_at, p.timezone
        from enrollments e join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id
       where e.journey_id = ${journeyId} order by p.user_id, e.entered_at`.execute(t.database.db)
  ).rows;
}

const scheduleJourney = (name: string, trigger: Record<string, unknown>, reentry = 'always') =>
  publishJourney(t, name, {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'trigger.schedule', config: trigger, position: { x: 0, y: 0 } },
      {
        id: 'tag',
        type: 'profile.update',
        config: { addTags: [`in-${name}`] },
        position: { x: 0, y: 100 },
      },
      { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'tag' },
      { id: 'e2', source: 'tag', sourcePort: 'out', target: 'done' },
    ],
    settings: { reentry },
  });

const hourIn = (instant: Date, timeZone: string) =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant));

describe('journeys entered on a schedule', () => {
  it("enrolls every profile once a day at 09:00 on the profile's own clock", async () => {
    await identify('sched-paris', 'Europe/Paris');
    await identify('sched-tokyo', 'Asia/Tokyo');
    await identify('sched-lima', 'America/Lima');
    const journeyId = await scheduleJourney('daily', { segmentId: 'all', cron: '0 9 * * *' });
    await eventually(async () => expect(await scheduleJobs(journeyId)).toHaveLength(1));

    // Walk the clock forward an hour at a time through the next 24 hours, no further: each zone's
    // 09:00 falls once in (start, start + 24 h]; a 25th hour met Lima's twice when the test began
    // just before 09:00 there.
    const start = clock();
    for (let hour = 1; hour <= 24; hour++) await advanceTo(journeyId, start + hour * 3_600_000);

    const rows = (await enrollments(journeyId)).filter((r) => r.user_id.startsWith('sched-'));
    expect(rows.map((r) => r.user_id)).toEqual(['sched-lima', 'sched-paris', 'sched-tokyo']);
    for (const row of rows) {
      const timezone = row.timezone as string;
      // Entered in the hour after 09:00 local (the clock moves in one-hour steps), keyed by the day.
      expect(hourIn(row.entered_at, timezone), row.user_id).toBe(9);
      expect(row.entry_key).toMatch(/^schedule:\d{4}-\d{2}-\d{2}T09:00$/);
      const due = nextCronRun('0 9 * * *', start, timezone) as number;
      expect(row.entered_at.getTime() - due).toBeLessThan(3_600_000);
    }
    // The journey ran for them: the tag is on their profiles.
    const profile = await t.app.inject({
      method: 'GET',
      url: '/api/profiles/sched-tokyo',
      headers: adminHeaders,
    });
    expect(JSON.stringify(profile.json())).toContain('in-daily');
  });

  it('enrolls the members of a static segment at the chosen instant, once, even when the run is repeated', async () => {
    for (const userId of ['list-a', 'list-b', 'list-c']) await identify(userId, 'Europe/Paris');
    const segment = await t.app.inject({
      method: 'POST',
      url: '/api/segments',
      headers: adminHeaders,
      payload: {
        name: 'VIP list',
        definition: { kind: 'static', userIds: ['list-a', 'list-b', 'nobody-yet'] },
      },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const at = new Date(clock() + 10 * 60_000);
    const journeyId = await scheduleJourney(
      'once',
      { segmentId: segment.json().id, at: at.toISOString() },
      'never',
    );
    await eventually(async () => expect(await scheduleJobs(journeyId)).toHaveLength(1));
    const [pending] = await scheduleJobs(journeyId);
    expect(pending?.run_at.getTime()).toBeLessThanOrEqual(clock() + 1_000);
    await advanceTo(journeyId, clock() + 1_000);
    expect(await enrollments(journeyId)).toEqual([]);
    const [waiting] = await scheduleJobs(journeyId);
    const from = waiting?.payload.from as string;

    await advanceTo(journeyId, at.getTime() + 1_000);
    const rows = await enrollments(journeyId);
    expect(rows.map((r) => r.user_id)).toEqual(['list-a', 'list-b']);
    expect(await scheduleJobs(journeyId)).toEqual([]);

    // The same run again (a worker that died before its job was marked done): nobody twice.
    const again = await t.services.runtime.schedule({
      workspaceId: t.workspaceId,
      journeyId,
      from,
      anchor: from,
    });
    expect(again.entered).toBe(0);
    expect(await enrollments(journeyId)).toHaveLength(2);
  });

  it('stops when the journey is paused and starts counting again on resume', async () => {
    const journeyId = await scheduleJourney('hourly', { segmentId: 'all', every: 'PT1H' });
    await eventually(async () => expect(await scheduleJobs(journeyId)).toHaveLength(1));
    const paused = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${journeyId}/pause`,
      headers: adminHeaders,
    });
    expect(paused.statusCode, paused.body).toBe(200);
    await advanceTo(journeyId, clock() + 2 * 3_600_000);
    expect(await enrollments(journeyId)).toEqual([]);
    expect(await scheduleJobs(journeyId)).toEqual([]);

    const resumed = await t.app.inject({
      method: 'POST',
      url: `/api/journeys/${journeyId}/resume`,
      headers: adminHeaders,
    });
    expect(resumed.statusCode, resumed.body).toBe(200);
    await eventually(async () => expect(await scheduleJobs(journeyId)).toHaveLength(1));
    await advanceTo(journeyId, clock() + 1_000);
    await advanceTo(journeyId, clock() + 3_600_000 + 1_000);
    const users = new Set((await enrollments(journeyId)).map((r) => r.user_id));
    expect(users.size).toBeGreaterThanOrEqual(6);
  });
});
