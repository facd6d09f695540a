import { createBuiltinRegistry } from '@touchline/nodes';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/journeys.js';
import {
  clockFor,
  enrollmentsOf,
  fastForward,
  publish,
  settled,
  timersOf,
  track,
  waitJourney,
  wakeJobsOf,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

// The runtime takes due journey_wake jobs off graphile-worker's queue itself, many per
// transaction; these are what a user would see of it.
const clock = { offset: 0 };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), { worker: true, now: clockFor(clock) });
});
afterAll(async () => t?.close());

describe('wake sweep', () => {
  it('wakes every one of many waits due together, each once, and leaves no job behind', async () => {
    const journey = await publish(t, 'Many waits', waitJourney('ws_many', 'PT10M'));
    const users = Array.from({ length: 60 }, (_, i) => `ws-many-${i}`);
    for (const user of users) await track(t, user, 'ws_many');
    await settled(t);
    await fastForward(t, clock, 11 * 60_000);
    await eventually(async () => {
      for (const user of users) {
        expect(await enrollmentsOf(t, journey, user)).toMatchObject([{ status: 'completed' }]);
      }
    });
    const steps = await sql<{ n: number }>`
      select count(*)::int as n from enrollment_steps
       where workspace_id = ${t.workspaceId} and journey_id = ${journey} and node_id = 'pause' and port = 'out'`.execute(
      t.database.db,
    );
    expect(steps.rows[0]?.n).toBe(users.length);
    const [first] = await enrollmentsOf(t, journey, users[0] as string);
    expect(await wakeJobsOf(t, first!.id)).toEqual([]);
  });

  it('a wake job that cannot run is kept with its error for a later attempt, and holds up no other wait', async () => {
    const journey = await publish(t, 'Bad wake', waitJourney('ws_bad', 'PT10M'));
    await track(t, 'ws-good', 'ws_bad');
    await settled(t);
    // A timer whose payload names no valid workspace, due with the good one.
    await sql`select graphile_worker.add_job('journey_wake',
                json_build_object('w', 'not-a-workspace', 'e', 'not-an-enrollment', 'n', 'pause', 'v', 1),
                job_key => 'wake:ws-bad-test', run_at => now())`.execute(t.database.db);
    await fastForward(t, clock, 11 * 60_000);
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'ws-good')).toMatchObject([{ status: 'completed' }]),
    );
    const bad = await eventually(async () => {
      const jobs = await sql<{ attempts: number; last_error: string | null; run_at: Date }>`
        select attempts, last_error, run_at from graphile_worker.jobs where key = 'wake:ws-bad-test'`.execute(
        t.database.db,
      );
      expect(jobs.rows[0]?.attempts).toBeGreaterThanOrEqual(1);
      return jobs.rows[0] as { attempts: number; last_error: string | null; run_at: Date };
    });
    expect(bad.last_error).toMatch(/uuid/i);
    expect(bad.run_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('wakes a wait past the horizon straight from journey_timers, without it ever entering the queue', async () => {
    const journey = await publish(t, 'Two days', waitJourney('ws_far', 'P2D'));
    const users = ['ws-far-1', 'ws-far-2', 'ws-far-3'];
    for (const user of users) await track(t, user, 'ws_far');
    await settled(t);
    const [first] = await enrollmentsOf(t, journey, users[0] as string);
    expect(first).toMatchObject({ status: 'waiting', current_node: 'pause' });
    expect(await timersOf(t, first!.id)).toHaveLength(1);
    expect(await wakeJobsOf(t, first!.id)).toEqual([]);
    // The cron promotion has nothing to do where the sweep runs: it takes due timers itself.
    expect(t.services.runtime.sweepsTimers).toBe(true);

    await fastForward(t, clock, 2 * 24 * 3_600_000 + 60_000);
    await eventually(async () => {
      for (const user of users) {
        expect(await enrollmentsOf(t, journey, user)).toMatchObject([
          { status: 'completed', current_node: 'done' },
        ]);
      }
    });
    expect(await timersOf(t, first!.id)).toEqual([]);
    expect(await wakeJobsOf(t, first!.id)).toEqual([]);
    const steps = await sql<{ n: number }>`
      select count(*)::int as n from enrollment_steps
       where workspace_id = ${t.workspaceId} and journey_id = ${journey} and node_id = 'pause' and port = 'out'`.execute(
      t.database.db,
    );
    expect(steps.rows[0]?.n).toBe(users.length);
  });

  it('a timer that cannot run becomes a wake job with its error, retried later, and holds up no other wait', async () => {
    const journey = await publish(t, 'Bad timer', waitJourney('ws_bad_timer', 'P2D'));
    await track(t, 'ws-timer-good', 'ws_bad_timer');
    await track(t, 'ws-timer-bad', 'ws_bad_timer');
    await settled(t);
    const [bad] = await enrollmentsOf(t, journey, 'ws-timer-bad');
    // Its wait names a port that leads nowhere: waking it fails.
    await sql`update enrollments set wait = jsonb_set(wait, '{port}', '"nowhere"')
               where workspace_id = ${t.workspaceId} and id = ${bad!.id}`.execute(t.database.db);
    await fastForward(t, clock, 2 * 24 * 3_600_000 + 60_000);
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'ws-timer-good')).toMatchObject([{ status: 'completed' }]),
    );
    const job = await eventually(async () => {
      const jobs = await sql<{ attempts: number; last_error: string | null; run_at: Date }>`
        select attempts, last_error, run_at from graphile_worker.jobs
         where key like ${`wake:${bad!.id}:%`}`.execute(t.database.db);
      expect(jobs.rows[0]?.attempts).toBeGreaterThanOrEqual(1);
      return jobs.rows[0] as { attempts: number; last_error: string | null; run_at: Date };
    });
    expect(job.last_error).toMatch(/leads nowhere/);
    expect(job.run_at.getTime()).toBeGreaterThan(Date.now());
    expect(await timersOf(t, bad!.id)).toEqual([]);
    expect(await enrollmentsOf(t, journey, 'ws-timer-bad')).toMatchObject([{ status: 'waiting' }]);
  });
});
