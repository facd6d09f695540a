import { createDb, type DbHandle } from '@touchline/db';
import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/journeys.js';
import {
  api,
  clockFor,
  enrollmentsOf,
  fastForward,
  graph,
  identify,
  node,
  publish,
  republish,
  settled,
  track,
  waitJourney,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

// Production runs several server processes against one PostgreSQL. Here: two apps, each with
// its own pool, runtime, ingest pipeline and LISTEN connection, on one database.
let a: TestApp;
let b: TestApp;
let bPool: DbHandle;
const clock = { offset: 0 };

beforeAll(async () => {
  a = await createTestApp({}, createBuiltinRegistry(), { now: clockFor(clock) });
  bPool = createDb(a.database.url, { max: 10 });
  b = await createTestApp({}, createBuiltinRegistry(), {
    now: clockFor(clock),
    database: { ...bPool, url: a.database.url, name: a.database.name, drop: async () => {} },
  });
});
afterAll(async () => {
  await b?.close();
  await bPool?.close();
  await a?.close();
});

describe('two server processes on one database', () => {
  it('a journey published, paused and resumed through one process is routed accordingly by the other within a second', async () => {
    expect(b.workspaceId).toBe(a.workspaceId);
    await identify(b, 'lou');
    // Before the journey exists, process B has nothing to route the event to.
    await track(b, 'lou', 'listen_go', {}, 'lou-before');

    const journey = await publish(a, 'Published elsewhere', waitJourney('listen_go', 'PT10M'));
    const published = Date.now();
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'listen_go')).toBe(true),
      1_000,
    );
    expect(Date.now() - published).toBeLessThan(1_000);
    await track(b, 'lou', 'listen_go', {}, 'lou-after');
    await settled(b);
    await settled(a);
    const [enrollment, ...none] = await enrollmentsOf(b, journey, 'lou');
    expect(none).toEqual([]);
    expect(enrollment).toMatchObject({ status: 'waiting', current_node: 'pause', journey_version: 1 });

    // Paused through A: B enrols nobody.
    expect((await api(a, 'POST', `/api/journeys/${journey}/pause`)).statusCode).toBe(200);
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'listen_go')).toBe(false),
      1_000,
    );
    await track(b, 'max', 'listen_go');
    await settled(b);
    await settled(a);
    expect(await enrollmentsOf(b, journey, 'max')).toEqual([]);

    // Resumed through A: B enrols again.
    expect((await api(a, 'POST', `/api/journeys/${journey}/resume`)).statusCode).toBe(200);
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'listen_go')).toBe(true),
      1_000,
    );
    await track(b, 'max', 'listen_go');
    await settled(b);
    expect(await enrollmentsOf(b, journey, 'max')).toMatchObject([{ status: 'waiting' }]);
  });

  it('a process that lost its LISTEN connection reconnects and routes what was published meanwhile', async () => {
    const killed = await a.database.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query = 'listen touchline_journeys' and pid <> pg_backend_pid()`,
    );
    expect(killed.rowCount).toBe(2); // A's and B's listeners
    await publish(a, 'Published while B was deaf', waitJourney('deaf_go', 'PT10M'));
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'deaf_go')).toBe(true),
      5_000,
    );
    const later = await publish(a, 'Published after B came back', waitJourney('back_go', 'PT10M'));
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'back_go')).toBe(true),
      1_000,
    );
    await track(b, 'lou', 'back_go');
    await settled(b);
    expect(await enrollmentsOf(b, later, 'lou')).toHaveLength(1);
  });

  it('always: the same messageId arriving through both processes at once enrols once', async () => {
    const journey = await publish(
      a,
      'Duel always',
      waitJourney('duel_always', 'PT10M', { reentry: 'always' }),
    );
    await eventually(
      async () => expect(b.services.runtime.isRelevant(b.workspaceId, 'duel_always')).toBe(true),
      1_000,
    );
    const people = Array.from({ length: 20 }, (_, i) => `duel_always-${i}`);
    for (const person of people) await identify(a, person);
    await Promise.all(
      people.flatMap((person) => [
        track(a, person, 'duel_always', {}, `${person}-m`),
        track(b, person, 'duel_always', {}, `${person}-m`),
      ]),
    );
    await Promise.all([settled(a), settled(b)]);
    const counts = await Promise.all(
      people.map(async (person) => (await enrollmentsOf(a, journey, person)).length),
    );
    expect(counts).toEqual(people.map(() => 1));
  });

  it.each([
    ['never', 'duel_never'],
    ['after_exit', 'duel_after'],
  ])(
    '%s: the same person triggering through both processes at once is enrolled once (the unique slot decides)',
    async (reentry, event) => {
      const journey = await publish(a, `Duel ${reentry}`, waitJourney(event, 'PT10M', { reentry }));
      await eventually(
        async () => expect(b.services.runtime.isRelevant(b.workspaceId, event)).toBe(true),
        1_000,
      );
      const people = Array.from({ length: 40 }, (_, i) => `${event}-${i}`);
      for (const person of people) await identify(a, person);
      await Promise.all(people.flatMap((person) => [track(a, person, event), track(b, person, event)]));
      await Promise.all([settled(a), settled(b)]);
      const counts = await Promise.all(
        people.map(async (person) => (await enrollmentsOf(a, journey, person)).length),
      );
      expect(counts).toEqual(people.map(() => 1));
    },
  );
});

describe('a worker process whose journey index lags behind the database', () => {
  let c: TestApp;
  let cPool: DbHandle;
  beforeAll(async () => {
    // The only process running jobs here.
    cPool = createDb(a.database.url, { max: 10 });
    c = await createTestApp({}, createBuiltinRegistry(), {
      worker: true,
      now: clockFor(clock),
      database: { ...cPool, url: a.database.url, name: a.database.name, drop: async () => {} },
    });
  });
  afterAll(async () => {
    await c?.close();
    await cPool?.close();
  });

  it('runs a wait held by a pause once the journey is resumed, and a moved enrollment on its new version', async () => {
    const paused = await publish(a, 'Resumed elsewhere', waitJourney('lag_go', 'PT5M'));
    const moved = await publish(a, 'Moved elsewhere', waitJourney('lag_move', 'PT10M'));
    await track(a, 'zed', 'lag_go');
    await track(a, 'yan', 'lag_move');
    await settled(a);
    expect((await api(a, 'POST', `/api/journeys/${paused}/pause`)).statusCode).toBe(200);
    await eventually(async () =>
      expect(c.services.runtime.catalog.index.current(c.workspaceId, paused)?.journeyStatus).toBe('paused'),
    );
    // Process C stops hearing about changes (as when its LISTEN connection is lost).
    await c.services.runtime.catalog.close();

    await fastForward(a, clock, 6 * 60_000);
    await eventually(async () =>
      expect(await enrollmentsOf(a, paused, 'zed')).toMatchObject([{ status: 'waiting', held: true }]),
    );
    // Resumed: C still believes the journey paused, but the database says it is live.
    expect((await api(a, 'POST', `/api/journeys/${paused}/resume`)).statusCode).toBe(200);
    await eventually(async () =>
      expect(await enrollmentsOf(a, paused, 'zed')).toMatchObject([
        { status: 'completed', current_node: 'done', held: false },
      ]),
    );

    // Version 2 moves yan; C has never seen version 2.
    const v2 = graph(
      [
        node('start', 'trigger.event', { event: 'lag_move' }),
        node('pause', 'wait.duration', { duration: 'PT10M' }),
        node('mark', 'profile.update', { set: { lag_v2: true } }),
        node('done_v2', 'exit'),
      ],
      [
        ['start', 'out', 'pause'],
        ['pause', 'out', 'mark'],
        ['mark', 'out', 'done_v2'],
      ],
    );
    expect(await republish(a, moved, v2, { runningEnrollments: 'move' })).toMatchObject({
      version: 2,
      moved: 1,
    });
    await fastForward(a, clock, 5 * 60_000);
    await eventually(async () =>
      expect(await enrollmentsOf(a, moved, 'yan')).toMatchObject([
        { journey_version: 2, status: 'completed', current_node: 'done_v2' },
      ]),
    );
    expect((await api(a, 'GET', '/api/profiles/yan')).json().traits).toMatchObject({ lag_v2: true });
  });
});
