import { randomUUID } from 'node:crypto';
import { createWorkspace } from '@touchline/db';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Effects } from './effects.js';
import type { EnrollmentState } from './enrollment.js';
import {
  beginClaimInbox,
  EntryConflict,
  loadEnrollmentsById,
  staleWriteCode,
  writeEffects,
} from './store.js';
import { unpreparedCode } from './wire.js';

let database: TestDatabase;
let workspaceId: string;
let journeyId: string;
let profileId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await createWorkspace(database.db, 'store')).id;
  const { rows } = await database.pool.query<{ journey: string; profile: string }>(
    `with j as (insert into journeys (workspace_id, name, status, draft, live_version)
                values ($1, 'Welcome', 'live', '{}', 1) returning id),
          v as (insert into journey_versions (workspace_id, journey_id, version, graph, compiled)
                select $1, id, 1, '{}', '{}' from j),
          p as (insert into profiles (workspace_id, user_id) values ($1, 'ada') returning id)
     select (select id from j) as journey, (select id from p) as profile`,
    [workspaceId],
  );
  journeyId = rows[0]?.journey as string;
  profileId = rows[0]?.profile as string;
});
afterAll(async () => database?.drop());

function entering(key: string, slot: string | null): EnrollmentState {
  return {
    id: randomUUID(),
    workspaceId,
    journeyId,
    journeyVersion: 1,
    profileId,
    status: 'completed',
    currentNode: null,
    currentVisit: null,
    visits: {},
    context: { triggerEvent: null, variables: {}, assignments: {} },
    wait: null,
    wakeAt: null,
    enteredAt: new Date(),
    entrySlot: slot,
    entryKey: key,
    endedAt: new Date(),
    endReason: null,
    convertedAt: null,
    held: false,
    isNew: true,
  };
}

async function inboxRow(): Promise<string> {
  const { rows } = await database.pool.query<{ id: string }>(
    `with e as (insert into events (workspace_id, profile_id, message_id, type, event, user_id, properties, context, timestamp)
                values ($1, $2, $3, 'track', 'signed_up', 'ada', '{}', '{}', now()) returning id)
     insert into journey_inbox (workspace_id, event_id, profile_id) select $1, id, $2 from e returning id::text`,
    [workspaceId, profileId, randomUUID()],
  );
  return rows[0]?.id as string;
}

const count = async (sql: string) =>
  Number((await database.pool.query<{ n: string }>(sql, [workspaceId])).rows[0]?.n);

describe('writeEffects with the commit in the same round trip', () => {
  it('commits the enrollment, its step log and the inbox removal together', async () => {
    const id = await inboxRow();
    const client = await database.pool.connect();
    try {
      const claimed = await beginClaimInbox(client, { ids: [id] });
      expect(claimed.map((e) => e.inboxId)).toEqual([id]);
      expect(claimed[0]?.profile?.id).toBe(profileId);
      const effects = new Effects();
      effects.touch(entering('event:first', 'once'));
      await writeEffects(client, effects, { horizonMs: 0, now: new Date(), inboxIds: [id], commit: true });
    } finally {
      client.release();
    }
    // Committed: another connection sees it, and the inbox row is gone.
    expect(
      await count(
        "select count(*) as n from enrollments where workspace_id = $1 and entry_key = 'event:first'",
      ),
    ).toBe(1);
    expect(
      await count(`select count(*) as n from journey_inbox where workspace_id = $1 and id = ${id}`),
    ).toBe(0);
  });

  it('a new enrollment that lost its slot to an earlier one commits nothing and says which pair to read again', async () => {
    const id = await inboxRow();
    const client = await database.pool.connect();
    let thrown: unknown;
    try {
      await beginClaimInbox(client, { ids: [id] });
      const effects = new Effects();
      // Same slot as the enrollment of the first test: `on conflict do nothing` skips it.
      effects.touch(entering('event:second', 'once'));
      await writeEffects(client, effects, {
        horizonMs: 0,
        now: new Date(),
        inboxIds: [id],
        commit: true,
      }).catch((error: unknown) => {
        thrown = error;
      });
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(thrown).toBeInstanceOf(EntryConflict);
    expect((thrown as EntryConflict).pairs).toEqual([{ journeyId, profileId }]);
    // The commit after the failed write never ran: the inbox row is still there to retry.
    expect(
      await count(`select count(*) as n from journey_inbox where workspace_id = $1 and id = ${id}`),
    ).toBe(1);
    expect(
      await count(
        "select count(*) as n from enrollments where workspace_id = $1 and entry_key = 'event:second'",
      ),
    ).toBe(0);
  });

  it('a step where a read enrollment waited is updated in place, keeping when it was entered; one whose row is missing is written whole', async () => {
    // An enrollment waiting at `pause` (visit 1), with the step row written when it got there.
    const waiting = {
      ...entering('event:steps', null),
      status: 'waiting' as const,
      currentNode: 'pause',
      currentVisit: 1,
    };
    const entered = new Date('2026-12-01T10:00:00Z');
    const left = new Date('2026-12-02T10:00:00Z');
    const step = (nodeId: string, port: string | null, at: Date, leftAt: Date | null) => ({
      workspaceId,
      enrollmentId: waiting.id,
      nodeId,
      visit: 1,
      journeyId,
      journeyVersion: 1,
      profileId,
      type: 'wait',
      port,
      rule: null,
      reason: null,
      facts: null,
      enteredAt: at,
      leftAt,
    });
    // Another waits there with no step row at all.
    const orphan = {
      ...entering('event:orphan', null),
      status: 'waiting' as const,
      currentNode: 'pause',
      currentVisit: 1,
    };
    const first = new Effects();
    first.touch(waiting);
    first.touch(orphan);
    first.step(step('pause', null, entered, null));
    const client = await database.pool.connect();
    try {
      await client.query('begin');
      await writeEffects(client, first, { horizonMs: 0, now: new Date(), commit: true });
      // Read back (as a wake reads them), both wake: the wait step is left, `done` entered.
      const read = await loadEnrollmentsById(client, workspaceId, [waiting.id, orphan.id]);
      const second = new Effects();
      for (const e of read) second.touch({ ...e, status: 'completed', currentNode: 'done' });
      second.step(step('pause', 'out', left, left));
      second.step(step('done', null, left, null));
      second.step({ ...step('pause', 'out', left, left), enrollmentId: orphan.id });
      await client.query('begin');
      await writeEffects(client, second, { horizonMs: 0, now: new Date(), commit: true });
    } finally {
      client.release();
    }
    const { rows } = await database.pool.query<{
      node_id: string;
      port: string | null;
      entered_at: Date;
      left_at: Date | null;
    }>(
      'select node_id, port, entered_at, left_at from enrollment_steps where workspace_id = $1 and enrollment_id = $2 order by node_id',
      [workspaceId, waiting.id],
    );
    expect(rows).toEqual([
      { node_id: 'done', port: null, entered_at: left, left_at: null },
      { node_id: 'pause', port: 'out', entered_at: entered, left_at: left },
    ]);
    const missing = await database.pool.query<{ port: string | null }>(
      'select port from enrollment_steps where workspace_id = $1 and enrollment_id = $2',
      [workspaceId, orphan.id],
    );
    expect(missing.rows).toEqual([{ port: 'out' }]);
  });

  it('an enrollment that moves on keeps its stored context: the event that enrolled it and the variables saved since', async () => {
    const triggerEvent = {
      messageId: 'ctx-1',
      type: 'track',
      event: 'cart_updated',
      userId: 'ada',
      anonymousId: null,
      properties: { cart_id: 'c-9', items: [{ sku: 'SKU-1', price: 19.5 }] },
      context: { ip: '10.0.0.1' },
      timestamp: '2026-11-30T08:15:42.123Z',
    };
    const entered: EnrollmentState = {
      ...entering('event:ctx-1', null),
      status: 'waiting',
      currentNode: 'pause',
      currentVisit: 1,
      context: { triggerEvent, variables: {}, assignments: {} },
    };
    const client = await database.pool.connect();
    try {
      const first = new Effects();
      first.touch(entered);
      await client.query('begin');
      await writeEffects(client, first, { horizonMs: 0, now: new Date(), commit: true });
      // Delivery saves a webhook's answer into the context, in SQL.
      await client.query(
        `update enrollments set context = jsonb_set(context, '{variables,answer}', '{"ok":true}')
          where workspace_id = $1 and id = $2`,
        [workspaceId, entered.id],
      );
      // The enrollment is read afterwards (a wake) and moves on.
      await client.query('begin');
      const [read] = await loadEnrollmentsById(client, workspaceId, [entered.id]);
      if (!read) throw new Error('enrollment not read back');
      const second = new Effects();
      second.touch({ ...read, status: 'completed', currentNode: null });
      await writeEffects(client, second, { horizonMs: 0, now: new Date(), commit: true });
    } finally {
      client.release();
    }
    const { rows } = await database.pool.query<{ status: string; context: unknown }>(
      'select status, context from enrollments where workspace_id = $1 and id = $2',
      [workspaceId, entered.id],
    );
    expect(rows[0]).toEqual({
      status: 'completed',
      context: { triggerEvent, variables: { answer: { ok: true } }, assignments: {} },
    });
  });

  it('a claim skips the rows another transaction holds', async () => {
    const id = await inboxRow();
    const [first, second] = [await database.pool.connect(), await database.pool.connect()];
    try {
      expect((await beginClaimInbox(first, { ids: [id] })).length).toBe(1);
      expect((await beginClaimInbox(second, { ids: [id] })).length).toBe(0);
    } finally {
      await first.query('rollback');
      await second.query('rollback');
      first.release();
      second.release();
    }
  });

  it('carries quotes and dollar signs in documents as they are', async () => {
    const id = await inboxRow();
    const client = await database.pool.connect();
    const name = 'O\'Brien $tl$ $$ \\ "quoted"';
    try {
      await beginClaimInbox(client, { ids: [id] });
      const effects = new Effects();
      effects.touch({
        ...entering('event:quoted', null),
        context: { triggerEvent: null, variables: { name }, assignments: {} },
      });
      await writeEffects(client, effects, { horizonMs: 0, now: new Date(), inboxIds: [id], commit: true });
    } finally {
      client.release();
    }
    const { rows } = await database.pool.query<{ name: string }>(
      "select context -> 'variables' ->> 'name' as name from enrollments where workspace_id = $1 and entry_key = 'event:quoted'",
      [workspaceId],
    );
    expect(rows[0]?.name).toBe(name);
  });

  it('an enrollment read without a lock and changed meanwhile by another transaction is not overwritten: the write fails to run again', async () => {
    const { rows } = await database.pool.query<{ id: string }>(
      "select id from enrollments where workspace_id = $1 and entry_key = 'event:first'",
      [workspaceId],
    );
    const id = rows[0]?.id as string;
    const client = await database.pool.connect();
    let thrown: unknown;
    try {
      await client.query('begin');
      const [read] = await loadEnrollmentsById(client, workspaceId, [id]);
      expect(read?.rowVersion).toMatch(/^\d+$/);
      // An event's transaction changes it after the read.
      await database.pool.query(
        "update enrollments set end_reason = 'exit event' where workspace_id = $1 and id = $2",
        [workspaceId, id],
      );
      const effects = new Effects();
      effects.touch({ ...(read as EnrollmentState), endReason: 'the wait is over' });
      await writeEffects(client, effects, { horizonMs: 0, now: new Date(), commit: true }).catch(
        (error: unknown) => {
          thrown = error;
        },
      );
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect((thrown as { code?: string }).code).toBe(staleWriteCode);
    const after = await database.pool.query<{ end_reason: string }>(
      'select end_reason from enrollments where workspace_id = $1 and id = $2',
      [workspaceId, id],
    );
    expect(after.rows[0]?.end_reason).toBe('exit event');

    // Read again, the same write goes through.
    const again = await database.pool.connect();
    try {
      await again.query('begin');
      const [fresh] = await loadEnrollmentsById(again, workspaceId, [id]);
      const effects = new Effects();
      effects.touch({ ...(fresh as EnrollmentState), endReason: 'the wait is over' });
      await writeEffects(again, effects, { horizonMs: 0, now: new Date(), commit: true });
    } finally {
      again.release();
    }
    const done = await database.pool.query<{ end_reason: string }>(
      'select end_reason from enrollments where workspace_id = $1 and id = $2',
      [workspaceId, id],
    );
    expect(done.rows[0]?.end_reason).toBe('the wait is over');
  });

  it('a connection that lost its prepared statements fails once, then prepares them again', async () => {
    const id = await inboxRow();
    const client = await database.pool.connect();
    try {
      await beginClaimInbox(client, { ids: [id] });
      await client.query('rollback');
      await client.query('deallocate all');
      const lost = await beginClaimInbox(client, { ids: [id] }).catch((error: unknown) => error);
      expect((lost as { code?: string }).code).toBe(unpreparedCode);
      await client.query('rollback');
      expect((await beginClaimInbox(client, { ids: [id] })).map((e) => e.inboxId)).toEqual([id]);
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});
