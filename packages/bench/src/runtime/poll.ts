import { runMigrations } from 'graphile-worker';
import pg from 'pg';

/**
 * graphile-worker 0.17.3's job fetch (src/sql/getJobs.ts: named-queue strategy 2, batch of
 * one, no flags, the database's clock), as each worker slot runs it after every job and at each
 * poll. Copied so it can be timed on its own against a queue in a given state.
 */
const getJobSql = `
with j as (
  select jobs.job_queue_id, jobs.priority, jobs.run_at, jobs.id
    from graphile_worker._private_jobs as jobs
    where jobs.is_available = true
    and run_at <= now()
    and task_id = any($2::int[])
    and (
      jobs.job_queue_id is null
      or
      jobs.job_queue_id in (
        select id
        from graphile_worker._private_job_queues as job_queues
        where job_queues.is_available = true
        for update
        skip locked
      )
    )
    order by priority asc, run_at asc
    limit 1
    for update
    skip locked
),
q as (
  update graphile_worker._private_job_queues as job_queues
    set
      locked_by = $1::text,
      locked_at = now()
    from j
    where job_queues.id = j.job_queue_id
)
  update graphile_worker._private_jobs as jobs
    set
      attempts = jobs.attempts + 1,
      locked_by = $1::text,
      locked_at = now()
    from j
    where jobs.id = j.id
    returning *`;

async function timePolls(client: pg.Client, taskIds: number[], runs: number) {
  const samples: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const started = performance.now();
    const result = await client.query({ name: 'bench_get_job', text: getJobSql, values: ['bench', taskIds] });
    if ((result.rowCount ?? 0) > 0) throw new Error('a job was due: the poll measurement expects none');
    if (i >= 5) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const explain = await client.query<{ 'QUERY PLAN': string }>({
    text: `explain (analyze, buffers) ${getJobSql}`,
    values: ['bench', taskIds],
  });
  const plan = explain.rows.map((r) => r['QUERY PLAN']).join('\n');
  const buffers = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(plan);
  return {
    medianMs: samples[Math.floor(samples.length / 2)] ?? Number.NaN,
    p95Ms: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] ?? Number.NaN,
    runs: samples.length,
    buffers: buffers ? Number(buffers[1]) + Number(buffers[2] ?? 0) : Number.NaN,
  };
}

/**
 * The cost of one fetch when nothing is due, with an empty queue and with `count` jobs due in
 * 30 days (what the queue would hold if every far wait were a job), on the database at `adminUrl`
 * (a scratch database is created there and dropped).
 */
export async function pollCost(adminUrl: string, count: number) {
  const name = `touchline_bench_poll_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await runMigrations({ connectionString: url.toString(), logger: undefined });
    await client.connect();
    const version =
      (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
    // A task to look for, with one job run already (so the task row exists).
    await client.query(
      `select graphile_worker.add_job('journey_wake', '{}'::json, run_at => now() + interval '30 days')`,
    );
    const taskIds = (
      await client.query<{ id: number }>('select id from graphile_worker._private_tasks')
    ).rows.map((r) => r.id);
    await client.query('delete from graphile_worker._private_jobs');
    await client.query('vacuum analyze graphile_worker._private_jobs');
    const empty = await timePolls(client, taskIds, 200);
    for (let first = 0; first < count; first += 50_000) {
      await client.query(
        `select graphile_worker.add_jobs(array(
           select row('journey_wake', json_build_object('i', i), null,
                      now() + interval '30 days' + make_interval(secs => i), null, null, null, null)::graphile_worker.job_spec
             from generate_series($1::int, $2::int) i))`,
        [first, Math.min(count, first + 50_000) - 1],
      );
    }
    await client.query('vacuum analyze graphile_worker._private_jobs');
    const full = await timePolls(client, taskIds, 50);
    return { version, empty, full };
  } finally {
    await client.end().catch(() => {});
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
}
