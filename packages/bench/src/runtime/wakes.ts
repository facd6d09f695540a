import { Logger, run } from 'graphile-worker';
import pg from 'pg';
import { CLIENTS, Ingestion } from '../load.js';
import { maintenanceRuns, sampleActivity } from './activity.js';
import { inboxDrained } from './journeys.js';

const CHUNK = 50_000;
const log = (line: string) => process.stderr.write(`[runtime] ${line}\n`);

/**
 * `count` events that each enroll in the wait journey, through `POST /v1/batch`: the template
 * enrollments, waiting exactly as the runtime left them (their 2-day wait in `journey_timers`).
 */
export async function enrollThroughApi(
  url: string,
  client: pg.Client,
  event: string,
  users: number,
  count: number,
) {
  const ingestion = new Ingestion(url, CLIENTS);
  const bodies: string[] = [];
  for (let first = 0; first < count; first += 100) {
    const batch = Array.from({ length: Math.min(100, count - first) }, (_, i) => ({
      type: 'track',
      event,
      userId: `user-${(first + i) % users}`,
      messageId: `wait-${first + i}`,
      properties: { source: 'bench' },
    }));
    bodies.push(JSON.stringify({ batch }));
  }
  const started = performance.now();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let body = bodies[next++]; body !== undefined; body = bodies[next++])
          await ingestion.post('/v1/batch', body);
      }),
    );
  } finally {
    await ingestion.close();
  }
  const drained = await inboxDrained(client, 300_000);
  return { perSecond: count / ((drained - started) / 1000) };
}

async function columnsOf(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_schema = 'public' and table_name = $1
        and is_identity = 'NO' order by ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/** Far-future stand-in due time of the copied enrollments' rows (see cloneWaiting). */
const PLACEHOLDER = '2100-01-01T00:00:00Z';
/** Rows per statement when copying: big enough that statements cost nothing beside the rows. */
const COPY_CHUNK = 100_000;

/**
 * Copies the template enrollments by SQL until `count` wait at once, the i-th due at
 * `T0 + i / rate`: the rows the runtime writes for an enrollment parked at a 2-day wait — its
 * `enrollments` row (status `waiting`, `wait` and `wake_at` set), its step log (the trigger step
 * left by `out`, the wait step with no port) and its timer in `journey_timers` (past the horizon,
 * as the runtime leaves it), each copy's due time the real one.
 *
 * Set-based, one `insert … select` per table per 100,000 copies, with ids that grow in the order
 * the rows are written and come due, so that the primary keys and the step log's key take their
 * entries in order instead of at random places in a tree far bigger than the buffer cache
 * (random ids took over 5 minutes for a million).
 *
 * T0 must lie after the copying is done, so the enrollment rows and steps are written first
 * (their `wake_at`/`wait.wakeAt` hold a far-future stand-in with the same spacing: the runtime
 * does not read them when a timer wakes it; only the overdue re-queue does, which a far-future
 * value keeps out of the way), and the timers last, latest first, once T0 is fixed from the
 * time the rows took. `bench_wakes` keeps each copy's real due time, to measure lateness against.
 */
export async function cloneWaiting(client: pg.Client, journeyId: string, count: number, rate: number) {
  const started = performance.now();
  await client.query('drop table if exists bench_wakes');
  await client.query(
    `create unlogged table bench_wakes (seq int primary key, id uuid not null, template uuid not null,
                                        offset_s float8 not null, wake_at timestamptz)`,
  );
  await client.query('drop table if exists bench_templates');
  await client.query('create unlogged table bench_templates (n int primary key, id uuid not null)');
  await client.query(
    `insert into bench_templates
     select row_number() over (order by id)::int - 1, id from enrollments where journey_id = $1 and status = 'waiting'`,
    [journeyId],
  );
  const { rows } = await client.query<{ n: number }>('select count(*)::int as n from bench_templates');
  const templateCount = rows[0]?.n ?? 0;
  if (templateCount === 0) throw new Error('no waiting template enrollments');
  // Copy i is of template i mod templates, due at i / rate, its id ffffffff-0000-4000-8000-<i>:
  // above every random id, growing with i. Rows are written in that order, and due in it, as
  // enrollments that entered one after another wake one after another.
  await client.query(
    `insert into bench_wakes (seq, id, template, offset_s)
     select i, ('ffffffff-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, t.id, i / $3::float8
       from generate_series(0, $1::int - 1) i join bench_templates t on t.n = i % $2`,
    [count, templateCount, rate],
  );
  await client.query('analyze bench_wakes');
  const enrollmentColumns = await columnsOf(client, 'enrollments');
  const due = `($3::timestamptz + make_interval(secs => b.offset_s))`;
  const replaced: Record<string, string> = {
    id: 'b.id',
    wait: `jsonb_set(e.wait, '{wakeAt}', to_jsonb(to_char(${due} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`,
    wake_at: due,
    entry_key: `'bench:' || b.id`,
    updated_at: 'now()',
  };
  const stepColumns = await columnsOf(client, 'enrollment_steps');
  for (let first = 0; first < count; first += COPY_CHUNK) {
    const last = Math.min(count, first + COPY_CHUNK) - 1;
    await client.query('begin');
    await client.query(
      `insert into enrollments (${enrollmentColumns.join(', ')})
       select ${enrollmentColumns.map((c) => replaced[c] ?? `e.${c}`).join(', ')}
         from bench_wakes b join enrollments e on e.id = b.template
        where b.seq between $1 and $2 order by b.seq`,
      [first, last, PLACEHOLDER],
    );
    await client.query(
      `insert into enrollment_steps (${stepColumns.join(', ')})
       select ${stepColumns.map((c) => (c === 'enrollment_id' ? 'b.id' : `s.${c}`)).join(', ')}
         from bench_wakes b join enrollment_steps s on s.enrollment_id = b.template
        where b.seq between $1 and $2 order by b.seq, s.seq`,
      [first, last],
    );
    await client.query('commit');
  }
  const rowsMs = performance.now() - started;
  // A million waits that entered over hours or days have been vacuumed (hint bits set, the
  // visibility map written) and checkpointed by the time they come due; a million copied a
  // moment ago have not. Left as they are, the first 20 s of wakes shared the two cores with
  // autovacuum over the fresh rows and with the checkpoint after the copy's gigabytes of WAL:
  // late by up to 2.9 s there, and by ≤ 240 ms (p99) after (docs/performance.md).
  await client.query('vacuum (analyze) enrollments, enrollment_steps');
  await client.query('checkpoint');
  // A timer is a narrow row with two indexes: a tenth of what an enrollment and its steps cost;
  // a third, and 10 s for its vacuum and checkpoint, for safety.
  const firstWake = new Date(Date.now() + 10_000 + rowsMs / 3);
  await client.query('update bench_wakes set wake_at = $1::timestamptz + make_interval(secs => offset_s)', [
    firstWake.toISOString(),
  ]);
  // As store.ts scheduleWakes writes a wait past the horizon; the latest first, so an overrun
  // delays the fewest.
  for (let end = count - 1; end >= 0; end -= COPY_CHUNK) {
    await client.query(
      `insert into journey_timers (workspace_id, enrollment_id, node_id, visit, wake_at)
       select e.workspace_id, b.id, e.current_node, e.current_visit, b.wake_at
         from bench_wakes b join enrollments e on e.id = b.template
        where b.seq between $1 and $2 order by b.seq`,
      [Math.max(0, end - COPY_CHUNK + 1), end],
    );
  }
  await client.query('vacuum (analyze) journey_timers');
  await client.query('checkpoint');
  const overrunMs = Date.now() - firstWake.getTime();
  return { ms: performance.now() - started, rowsMs, firstWake, overrunMs };
}

/**
 * Lets the running Touchline wake the copies: waits until no copy's timer is left (the journey's
 * wait is followed by its exit) or `deadline`, sampling the database meanwhile. Lateness is the
 * enrollment's `ended_at` (the runtime's clock when it ran the wake) minus its due time.
 */
export async function measureWakes(
  client: pg.Client,
  firstWake: Date,
  deadline: number,
  /** Called once every copy is woken (or at the deadline), before the bench's own big reads. */
  onDone: () => void = () => {},
) {
  // Updates of enrollments, and how many were HOT (no index entry written), during the wakes:
  // statistics flushed by the backends at most once a second, so the last second may be missing.
  const updates = async () => {
    const { rows } = await client.query<{ upd: string; hot: string }>(
      `select n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_user_tables where relname = 'enrollments'`,
    );
    return { upd: Number(rows[0]?.upd ?? 0), hot: Number(rows[0]?.hot ?? 0) };
  };
  const updates0 = await updates();
  // Autovacuum runs over the tables the wakes change, during the wakes: a vacuum of a million
  // rows takes a core of the two for a while.
  const vacuumed = ['enrollments', 'enrollment_steps', 'journey_timers'];
  const vacuums0 = await maintenanceRuns(client);
  const activity = sampleActivity(client, 100);
  for (;;) {
    // One probe of the timers' index (a count of a million joined rows every second would be a
    // load of its own); the templates' own timers are due in two days.
    const { rows } = await client.query<{ left: boolean }>(
      `select exists (select 1 from journey_timers where wake_at < now() + interval '1 day') as left`,
    );
    if (!rows[0]?.left || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  onDone();
  const busy = await activity.stop();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const updates1 = await updates();
  // The copies join their enrollments by id alone, which the primary key (workspace, id) serves
  // only with a skip scan (PostgreSQL 18): a nested loop elsewhere would read the table per row.
  await client.query('set enable_nestloop = off');
  log(`wakes: running statements: ${activity.top(6)}`);
  const vacuums1 = await maintenanceRuns(client);
  log(
    `wakes: autovacuum and autoanalyze runs meanwhile: ${vacuumed.map((t) => `${t} ${(vacuums1.get(t) ?? 0) - (vacuums0.get(t) ?? 0)}`).join(', ')}`,
  );
  // Lateness along the run, by 10 s of due time: a tail from one stretch (a checkpoint, a
  // vacuum) reads differently from one spread all along.
  const { rows: stretches } = await client.query<{ s: number; p50: number; p99: number }>(
    `select floor(extract(epoch from b.wake_at - $1::timestamptz) / 10)::int * 10 as s,
            round(percentile_cont(0.5) within group (order by extract(epoch from e.ended_at - b.wake_at) * 1000))::int as p50,
            round(percentile_cont(0.99) within group (order by extract(epoch from e.ended_at - b.wake_at) * 1000))::int as p99
       from bench_wakes b join enrollments e on e.id = b.id where e.ended_at is not null group by 1 order by 1`,
    [firstWake.toISOString()],
  );
  log(
    `wakes: lateness p50/p99 ms by 10 s of due time: ${stretches.map((r) => `${r.s}s ${r.p50}/${r.p99}`).join(', ')}`,
  );
  const { rows } = await client.query<{
    woken: number;
    last_ms: number | null;
    p50: number | null;
    p99: number | null;
    max: number | null;
  }>(
    `select count(*)::int as woken,
            extract(epoch from max(e.ended_at) - $1::timestamptz) * 1000 as last_ms,
            percentile_cont(0.5) within group (order by extract(epoch from e.ended_at - b.wake_at) * 1000) as p50,
            percentile_cont(0.99) within group (order by extract(epoch from e.ended_at - b.wake_at) * 1000) as p99,
            max(extract(epoch from e.ended_at - b.wake_at) * 1000) as max
       from bench_wakes b join enrollments e on e.id = b.id where e.ended_at is not null`,
    [firstWake.toISOString()],
  );
  const r = rows[0];
  const woken = r?.woken ?? 0;
  // Not woken by the deadline: late by at least (deadline − due); counted into the p99 as such.
  const late = await client.query<{ p99: number | null }>(
    `select percentile_cont(0.99) within group (order by l) as p99 from (
       select extract(epoch from coalesce(e.ended_at, to_timestamp($1::float8 / 1000)) - b.wake_at) * 1000 as l
         from bench_wakes b join enrollments e on e.id = b.id where b.wake_at <= to_timestamp($1::float8 / 1000)) x`,
    [Math.min(Date.now(), deadline)],
  );
  const lastMs = Number(r?.last_ms ?? 0);
  return {
    woken,
    perSecond: woken / (lastMs / 1000),
    p50: Number(r?.p50 ?? Number.NaN),
    p99: Number(r?.p99 ?? Number.NaN),
    maxMs: Number(r?.max ?? Number.NaN),
    p99WithUnwoken: Number(late.rows[0]?.p99 ?? Number.NaN),
    activity: busy,
    enrollmentUpdates: updates1.upd - updates0.upd,
    hotUpdates: updates1.hot - updates0.hot,
  };
}

/**
 * The reference: graphile-worker alone on the same PostgreSQL, a no-op task, `count` jobs all
 * due (added with `add_jobs` in batches), run for at most `windowMs` with Touchline's settings
 * (concurrency 8, no local queue) and then with a local queue and batched completion.
 */
export async function rawWorker(databaseUrl: string, count: number, windowMs: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const results: Array<{ label: string; perSecond: number; jobs: number }> = [];
  try {
    // Prepared by a runner first, so the task exists; then the jobs.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 12 });
    pool.on('error', () => {});
    const configs = [
      { label: 'concurrency 8, no local queue (as Touchline)', preset: {} },
      {
        label: 'concurrency 8, localQueue size 500, completeJobBatchDelay 0',
        preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0 } },
      },
    ];
    for (const config of configs) {
      // An empty queue first: jobs of other tasks ahead in the fetch order would make each fetch
      // walk past them (what the first try of this bench did: 18 jobs/s).
      await client.query('delete from graphile_worker._private_jobs');
      for (let first = 0; first < count; first += CHUNK) {
        const size = Math.min(CHUNK, count - first);
        await client.query(
          `select graphile_worker.add_jobs(array(
             select row('bench_noop', '{}'::json, null, now(), null, null, null, null)::graphile_worker.job_spec
               from generate_series(1, $1)))`,
          [size],
        );
      }
      await client.query('analyze graphile_worker._private_jobs');
      let done = 0;
      const runner = await run({
        pgPool: pool,
        taskList: {
          bench_noop: async () => {
            done++;
          },
        },
        concurrency: 8,
        pollInterval: 2000,
        noHandleSignals: true,
        preset: config.preset,
        logger: new Logger(() => () => {}),
      });
      const started = performance.now();
      while (done < count && performance.now() - started < windowMs) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const elapsed = performance.now() - started;
      const finished = done;
      await runner.stop();
      results.push({ label: config.label, perSecond: finished / (elapsed / 1000), jobs: finished });
    }
    await client.query(`delete from graphile_worker._private_jobs where task_id in
                          (select id from graphile_worker._private_tasks where identifier = 'bench_noop')`);
    await client.query('delete from graphile_worker._private_jobs');
    await pool.end();
    return results;
  } finally {
    await client.end();
  }
}
