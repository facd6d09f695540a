import { rmSync } from 'node:fs';
import { ensureDatabase, startEmbeddedPostgres } from '@touchline/db';
import pg from 'pg';
import {
  BATCH_SIZE,
  CLIENTS,
  cpuSeconds,
  postgresCpuSeconds,
  rawReference,
  reset,
  seed,
  startTouchline,
  stop,
  TEMPLATES,
  Traffic,
  tempDir,
  USERS,
} from '../load.js';
import { benchOptions } from '../options.js';
import { endToEnd, triggerToOutbox } from '../runtime/events.js';
import { ADMIN_TOKEN, Admin, connect, sendThenWait, shopJourneys, workspaceOf } from '../runtime/journeys.js';
import { pollCost } from '../runtime/poll.js';
import { EVENTS_PER_SAMPLE, ruleEvaluation } from '../runtime/rules.js';
import { cloneWaiting, enrollThroughApi, measureWakes, rawWorker } from '../runtime/wakes.js';
import type { BenchRow, BenchSuite } from '../suite.js';

/** The local PostgreSQL 15 of this machine, for the poll-cost comparison (skipped if absent). */
const LOCAL_PG15 = process.env.BENCH_PG15_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The bench's own database on a DATABASE_URL server. */
const BENCH_DATABASE = 'touchline_bench_runtime';

async function dropDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const ratio = (value: number, reference: number) => `${(value / reference).toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const row = (
  name: string,
  timing: { medianMs: number; p95Ms: number; runs: number },
  note: string,
  throughput?: { perSecond: number; unit: string },
): BenchRow => ({
  suite: 'runtime',
  case: name,
  medianMs: timing.medianMs,
  p95Ms: timing.p95Ms,
  runs: timing.runs,
  note,
  ...(throughput ? { throughput } : {}),
});
const none = { medianMs: Number.NaN, p95Ms: Number.NaN, runs: 1 };
const measureLabel = (label: string) => (label.endsWith('worker on') ? ' (with their deliveries)' : '');
const log = (line: string) => process.stderr.write(`[runtime] ${line}\n`);

/** BENCH_STATEMENTS=1: statistics of the statements run from here on (see logStatements). */
async function resetStatements(db: pg.Client): Promise<void> {
  await db.query('create extension if not exists pg_stat_statements');
  await db.query('select pg_stat_statements_reset()');
}

/** The busiest statements since resetStatements, by total execution time. */
async function logStatements(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{
    q: string;
    ms: number;
    mean: number;
    max: number;
    plans: number;
    plan: number;
    calls: number;
    rows: number;
    wal: number;
    blocks: number;
  }>(
    `select left(regexp_replace(query, '\\s+', ' ', 'g'), 80) as q, round(total_exec_time + total_plan_time)::int as ms, calls::int,
            round(mean_exec_time::numeric, 2)::float8 as mean, round(max_exec_time::numeric, 1)::float8 as max,
            plans::int, round(mean_plan_time::numeric, 2)::float8 as plan,
            rows::int, (wal_bytes / 1e6)::int as wal,
            round((shared_blks_hit + shared_blks_read) / greatest(calls, 1))::int as blocks
       from pg_stat_statements order by total_exec_time + total_plan_time desc limit 20`,
  );
  for (const r of rows)
    log(
      `  ${r.ms} ms, ${r.calls} calls (mean ${r.mean} ms, max ${r.max} ms; ${r.plans} plans, ${r.plan} ms each), ${r.rows} rows, ${r.wal} MB WAL, ${r.blocks} blocks a call: ${r.q}`,
    );
  // Rows written per table since the database was made (HOT: updates that wrote no index entry).
  const { rows: tables } = await db.query<{ t: string; ins: number; upd: number; hot: number; del: number }>(
    `select relname as t, n_tup_ins::int as ins, n_tup_upd::int as upd, n_tup_hot_upd::int as hot, n_tup_del::int as del
       from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del > 0
      order by n_tup_ins + n_tup_upd + n_tup_del desc limit 10`,
  );
  // What a row of each kind stores: wide jsonb columns are parsed, and past ~2 KB compressed, per row.
  const { rows: widths } = await db.query<{ c: string; bytes: number }>(
    `select 'messages.content' as c, avg(pg_column_size(content))::int as bytes from (select content from messages order by created_at desc limit 1000) m
     union all select 'enrollments.context', avg(pg_column_size(context))::int from (select context from enrollments order by entered_at desc limit 1000) e
     union all select 'enrollment_steps.facts', avg(pg_column_size(facts))::int from (select facts from enrollment_steps order by entered_at desc limit 1000) s
     union all select 'events row', avg(pg_column_size(e.*))::int from (select * from events order by received_at desc limit 1000) e`,
  );
  log(`  stored bytes per row (last 1,000): ${widths.map((w) => `${w.c} ${w.bytes}`).join('; ')}`);
  log(
    `  rows written: ${tables.map((r) => `${r.t} +${r.ins} ~${r.upd} (HOT ${r.hot}) -${r.del}`).join('; ')}`,
  );
}

const perEventNote = (ms: number) => `${fmt(ms * 1e6, 0)} ns per event (median)`;

async function rules(rows: BenchRow[], quick: boolean) {
  for (const r of await ruleEvaluation({ quick })) {
    rows.push(
      row(
        `reference: new json-rules-engine Engine per event, ${r.label}`,
        r.reference,
        `${perEventNote(r.reference.medianMs)}; ${EVENTS_PER_SAMPLE.toLocaleString('en-US')} events per sample`,
      ),
    );
    const speedup = r.reference.medianMs / r.timing.medianMs;
    const p95 = r.reference.p95Ms / r.timing.p95Ms;
    const ports = Object.entries(r.ports)
      .map(([port, n]) => `${port} ${n}`)
      .join(', ');
    rows.push(
      row(
        `evaluateNode (compiled rules, awaited only when a promise), ${r.label}`,
        r.timing,
        `${perEventNote(r.timing.medianMs)}; ${speedup.toFixed(0)}× faster than the reference at the median, ${p95.toFixed(0)}× at p95 (goal ≥ 100×: ${verdict(speedup >= 100)}); ports ${ports}`,
      ),
    );
  }
}

/**
 * The journey runtime (issue 5) beside references measured in the same run: end-to-end events/s
 * with 1 and 100 live journeys against raw batched inserts; trigger-to-outbox latency; a million
 * waiting enrollments woken against raw graphile-worker throughput; the cost of a queue poll
 * with a million future jobs on PostgreSQL 18 and 15; rule evaluation against an engine per
 * event. `--quick` runs smaller and shorter; `--enrollments=N` sets the waiting enrollments.
 */
export const suite: BenchSuite = {
  name: 'runtime',
  async run() {
    const options = benchOptions();
    const count = options.enrollments;
    const measureMs = options.quick ? 5_000 : 10_000;
    const warmupMs = options.quick ? 1_000 : 2_000;
    const rows: BenchRow[] = [];
    if (options.parts.has('rules')) {
      log('rule evaluation');
      await rules(rows, options.quick);
    }
    // The rule cases need no database.
    if ([...options.parts].every((part) => part === 'rules')) return rows;

    const pgDir = tempDir();
    const serverDir = tempDir();
    // DATABASE_URL: a server of your own (the local PostgreSQL 15, say) instead of the embedded
    // one; the bench works in a database of its own there, dropped and created afresh.
    const external = process.env.DATABASE_URL;
    const postgres = external
      ? undefined
      : await startEmbeddedPostgres({
          dataDir: pgDir,
          settings: {
            // When each outbox row committed, read after the latency window (runtime/events.ts).
            track_commit_timestamp: 'on',
            // BENCH_STATEMENTS=1: pg_stat_statements, the busiest statements printed after each event case.
            ...(process.env.BENCH_STATEMENTS
              ? {
                  shared_preload_libraries: 'pg_stat_statements',
                  'pg_stat_statements.track': 'all',
                  'pg_stat_statements.track_planning': 'on',
                }
              : {}),
            // BENCH_PG_SETTINGS='max_wal_size=4GB,wal_compression=on': server settings to try.
            ...Object.fromEntries(
              (process.env.BENCH_PG_SETTINGS ?? '')
                .split(',')
                .filter((pair) => pair.includes('='))
                .map((pair) => [
                  pair.slice(0, pair.indexOf('=')).trim(),
                  pair.slice(pair.indexOf('=') + 1).trim(),
                ]),
            ),
          },
        });
    const serverUrl = external ?? (postgres as NonNullable<typeof postgres>).url;
    let touchline: Awaited<ReturnType<typeof startTouchline>> | undefined;
    try {
      if (external) await dropDatabase(external, BENCH_DATABASE);
      const databaseUrl = await ensureDatabase(serverUrl, external ? BENCH_DATABASE : 'touchline');
      const serverEnv = { TOUCHLINE_ADMIN_TOKEN: ADMIN_TOKEN, TOUCHLINE_OVERDUE_SECONDS: '3600' };
      touchline = await startTouchline(databaseUrl, serverDir, serverEnv);
      const db = await connect(databaseUrl);
      const workspaceId = await workspaceOf(db);
      const admin = new Admin(touchline.url);
      const templateId = await admin.emailTemplate('bench email');
      const journeys = shopJourneys(templateId);
      const traffic = new Traffic();
      const batches = Array.from({ length: TEMPLATES }, () => traffic.batch());
      await seed(touchline.url, traffic);

      /** A fresh Touchline process on the same data; `worker` off leaves deliveries queued. */
      const restart = async (worker: 'on' | 'off') => {
        if (touchline) await stop(touchline.child);
        touchline = undefined;
        // Each phase starts with no delivery backlog from the one before (the messages stay
        // queued; the overdue re-queue is set to an hour, so it does not bring them back).
        await db.query(`delete from graphile_worker._private_jobs where task_id in
                          (select id from graphile_worker._private_tasks where identifier = 'message_deliver')`);
        // The backlog left queued is set aside (failed, without a due time: the delivery sweep
        // finds queued messages by it): left queued, the next worker-on phase would deliver it, or
        // wait its full minute for it to be delivered before counting its work.
        await db.query(`update messages set status = 'failed', due_at = null, error = 'bench: left by an earlier phase'
                         where status in ('queued', 'sending')`);
        touchline = await startTouchline(databaseUrl, serverDir, { ...serverEnv, TOUCHLINE_WORKER: worker });
        admin.url = touchline.url;
        await new Promise((resolve) => setTimeout(resolve, 500));
        return touchline;
      };
      if (options.parts.has('events') || options.parts.has('latency')) {
        // 1. End to end, 1 journey, and 2. latency with it; then 100 journeys. Each with the
        // built-in worker delivering the messages (the default) and with it off (workers run
        // elsewhere), which shows the runtime without the deliveries competing.
        const first = journeys[0] as { name: string; graph: unknown };
        const singleId = await admin.publish(first.name, first.graph);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const measureCase = async (label: string, deliveries: boolean) => {
          const server = touchline as NonNullable<typeof touchline>;
          log(`end to end, ${label}`);
          const cpu0 = cpuSeconds(server.child.pid);
          const t0 = performance.now();
          if (process.env.BENCH_STATEMENTS) await resetStatements(db);
          // Touchline and its PostgreSQL together: steadier than the rate on a shared machine.
          const touchlineAndPostgresCpu = () => {
            const touchlineCpu = cpuSeconds(server.child.pid);
            const postgresCpu = external ? undefined : postgresCpuSeconds(pgDir);
            return touchlineCpu === undefined || postgresCpu === undefined
              ? undefined
              : touchlineCpu + postgresCpu;
          };
          const result = await endToEnd(server.url, db, batches, {
            warmupMs,
            measureMs,
            deliveries,
            cpuSeconds: touchlineAndPostgresCpu,
          });
          if (process.env.BENCH_STATEMENTS) await logStatements(db);
          const cpu = ((cpuSeconds(server.child.pid) ?? 0) - (cpu0 ?? 0)) / ((performance.now() - t0) / 1000);
          return { label, result, cpu };
        };
        const latencyCase = async (label: string) => {
          log(`latency, ${label}`);
          const server = touchline as NonNullable<typeof touchline>;
          if (process.env.BENCH_STATEMENTS) await resetStatements(db);
          const latency = await triggerToOutbox(server.url, db, traffic, {
            workspaceId,
            journeyId: singleId,
            rate: 1_000,
            // A new process: V8 compiles the hot paths and the pool opens its connections in
            // the first seconds, when the tail is twice the steady state's (p99 62 against 42 ms).
            warmupMs: Number(process.env.BENCH_LATENCY_WARMUP_MS ?? 5_000),
            measureMs,
            loopDelay: server.loopDelay,
          });
          if (process.env.BENCH_STATEMENTS) await logStatements(db);
          return { label, latency };
        };
        const cases = [];
        const latencies = [];
        // `--parts=latency`: only the two latency cases (quicker, for work on the latency).
        const latencyOnly = !options.parts.has('events');
        if (latencyOnly) {
          await restart('on');
          latencies.push(await latencyCase('worker on'));
          await restart('off');
          latencies.push(await latencyCase('worker off'));
          await restart('on');
        } else {
          await restart('on');
          cases.push(await measureCase('1 live journey, worker on', true));
          await restart('on');
          latencies.push(await latencyCase('worker on'));
          await restart('off');
          cases.push(await measureCase('1 live journey, worker off', false));
          latencies.push(await latencyCase('worker off'));
          for (const journey of journeys.slice(1)) await admin.publish(journey.name, journey.graph);
          await restart('on');
          cases.push(await measureCase('100 live journeys, worker on', true));
          await restart('off');
          cases.push(await measureCase('100 live journeys, worker off', false));
          await reset(databaseUrl);
          log('raw insert reference');
          const rawCpu0 = external ? undefined : postgresCpuSeconds(pgDir);
          const raw = await rawReference(databaseUrl, workspaceId, batches);
          const rawCpu = external ? undefined : postgresCpuSeconds(pgDir);
          // PostgreSQL's CPU per inserted row (the reference's clients are the bench's own).
          const rawCpuPerEvent =
            rawCpu0 === undefined || rawCpu === undefined
              ? undefined
              : ((rawCpu - rawCpu0) * 1e6) / Math.max(1, raw.runs * BATCH_SIZE);
          await restart('on');

          rows.push(
            row(
              `reference: raw INSERT … unnest into events, 100 rows/statement, ${CLIENTS} clients`,
              raw,
              'per statement (the ingest suite’s reference)',
              { perSecond: raw.perSecond, unit: 'events' },
            ),
          );
          for (const { label, result: r, cpu } of cases) {
            rows.push(
              row(
                `POST /v1/batch end to end (inbox drained), ${label}`,
                r,
                `${ratio(r.perSecond, raw.perSecond)} the reference (goal ≥ 0.2×: ${verdict(r.perSecond >= 0.2 * raw.perSecond)}; ≥ 10,000/s: ${verdict(r.perSecond >= 10_000)}); acked at ${fmt(r.ackPerSecond)}/s, ${fmt(r.backlog)} inbox rows left when sending stopped, drained ${fmt(r.drainMs)} ms later; ${fmt(r.enrollments)} enrollments, ${fmt(r.messages)} outbox rows; Touchline at ${fmt(cpu * 100)} % of a core; work per event: ${r.cpuPerEvent === undefined ? '' : `${fmt(r.cpuPerEvent)} µs of CPU (Touchline and PostgreSQL; the raw insert's PostgreSQL: ${fmt(rawCpuPerEvent ?? Number.NaN, 1)} µs, ${ratio(rawCpuPerEvent ?? Number.NaN, r.cpuPerEvent)}), `}${fmt(r.walPerEvent)} WAL bytes (${fmt(r.fullPagesPer1000, 1)} full-page images per 1,000 events), ${fmt(r.commitsPer1000, 1)} commits per 1,000${measureLabel(label)}; PostgreSQL backends: ${r.activity}`,
                { perSecond: r.perSecond, unit: 'events' },
              ),
            );
          }
        }
        for (const { label, latency } of latencies) {
          rows.push(
            row(
              `trigger → outbox row, /v1/track open loop 1,000/s for ${measureMs / 1000} s, 1 journey, ${label}`,
              { medianMs: latency.visible.p50, p95Ms: latency.visible.p95, runs: latency.messages },
              `send → ${latency.byCommit ? 'row committed (its commit timestamp)' : 'row visible (10 ms poll)'}: p50 ${fmt(latency.visible.p50, 1)} ms, p99 ${fmt(latency.visible.p99, 1)} ms (goal p99 ≤ 50 ms: ${verdict(latency.visible.p99 <= 50 && latency.unseen === 0)}); send → created_at: p50 ${fmt(latency.created.p50, 1)} ms, p99 ${fmt(latency.created.p99, 1)} ms; ${latency.unseen} rows ${latency.byCommit ? 'without a commit timestamp' : 'not seen by the poller'}; call p50 ${fmt(latency.calls.medianMs, 1)} ms, p99 ${fmt(latency.calls.p99Ms, 1)} ms; Touchline event loop while sending (probe every 10 ms, the interval included): delay p50 ${fmt(latency.loop?.p50 ?? Number.NaN, 1)} ms, p99 ${fmt(latency.loop?.p99 ?? Number.NaN, 1)} ms, max ${fmt(latency.loop?.max ?? Number.NaN, 1)} ms, busy ${fmt((latency.loop?.busy ?? Number.NaN) * 100)} %; autovacuum/autoanalyze runs while sending: ${latency.maintenance.join(', ') || 'none'}; ${latency.serverErrors} 5xx`,
            ),
          );
        }
      }
      if (options.parts.has('wakes')) {
        // 3. A million waiting enrollments.
        log(`${fmt(count)} waiting enrollments`);
        const waitJourney = await admin.publish(
          'bench wait',
          sendThenWait('bench_wait', undefined, null, 'P2D'),
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        const apiCount = Math.min(10_000, count);
        const server = touchline as NonNullable<typeof touchline>;
        const api = await enrollThroughApi(server.url, db, 'bench_wait', USERS, apiCount);
        const created = await cloneWaiting(db, waitJourney, count, options.wakeRate);
        const { firstWake } = created;
        log(
          `created in ${fmt(created.ms)} ms (jobs ${fmt(-created.overrunMs)} ms before the first is due); waking`,
        );
        const spanMs = (count / options.wakeRate) * 1000;
        const deadline = firstWake.getTime() + spanMs + Math.max(30_000, spanMs);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstWake.getTime() - Date.now())));
        if (process.env.BENCH_STATEMENTS) await resetStatements(db);
        const cpu0 = cpuSeconds(server.child.pid) ?? 0;
        // The work per wake, as CPU time: on a shared machine steadier than the rate it allows.
        const postgresCpu0 = external ? undefined : postgresCpuSeconds(pgDir);
        let work = { touchline: Number.NaN, postgres: Number.NaN };
        const wakeStarted = performance.now();
        const wakes = await measureWakes(db, firstWake, deadline, () => {
          const postgresCpu = postgresCpu0 === undefined ? undefined : postgresCpuSeconds(pgDir);
          work = {
            touchline: (cpuSeconds(server.child.pid) ?? Number.NaN) - cpu0,
            postgres:
              postgresCpu === undefined || postgresCpu0 === undefined
                ? Number.NaN
                : postgresCpu - postgresCpu0,
          };
        });
        if (process.env.BENCH_STATEMENTS) await logStatements(db);
        const wakeCpu =
          ((cpuSeconds(server.child.pid) ?? 0) - cpu0) / ((performance.now() - wakeStarted) / 1000);
        await stop(server.child);
        log('raw graphile-worker reference');
        const worker = await rawWorker(databaseUrl, count, options.quick ? 15_000 : 45_000);
        const best = Math.max(...worker.map((w) => w.perSecond));
        for (const w of worker) {
          rows.push(
            row(
              `reference: graphile-worker alone, no-op task, ${fmt(count)} jobs due, ${w.label}`,
              none,
              `${fmt(w.jobs)} jobs run`,
              {
                perSecond: w.perSecond,
                unit: 'jobs',
              },
            ),
          );
        }
        rows.push(
          row(
            `${fmt(count)} waiting enrollments (${fmt(apiCount)} through /v1/batch at ${fmt(api.perSecond)}/s, the rest copied by SQL in ${fmt(created.ms / 1000, 1)} s, jobs done ${fmt(-created.overrunMs / 1000, 1)} s before the first was due), due at ${fmt(options.wakeRate)}/s`,
            { medianMs: wakes.p50, p95Ms: Number.NaN, runs: wakes.woken },
            `woken ${fmt(wakes.woken)} at ${fmt(wakes.perSecond)}/s from the first due to the last woken (${ratio(wakes.perSecond, best)} the best reference; goal ≥ 10,000/s — due at ${fmt(options.wakeRate)}/s, every one woken, within the lateness goal: ${verdict(options.wakeRate >= 10_000 && wakes.woken === count && wakes.p99WithUnwoken <= 1_000)}); lateness p50 ${fmt(wakes.p50)} ms, p99 ${fmt(wakes.p99)} ms, max ${fmt(wakes.maxMs)} ms, p99 counting the unwoken ${fmt(wakes.p99WithUnwoken)} ms (goal ≤ 1 s: ${verdict(wakes.p99WithUnwoken <= 1_000)}); Touchline at ${fmt(wakeCpu * 100)} % of a core; CPU per wake: Touchline ${fmt((work.touchline / wakes.woken) * 1e6)} µs, PostgreSQL ${fmt((work.postgres / wakes.woken) * 1e6)} µs; enrollment updates ${fmt(wakes.enrollmentUpdates)}, HOT ${fmt(wakes.hotUpdates)}; PostgreSQL backends: ${wakes.activity}`,
            { perSecond: wakes.perSecond, unit: 'wakes' },
          ),
        );
      }
      await db.end();
      if (touchline) await stop(touchline.child);
      touchline = undefined;
      if (options.parts.has('poll')) {
        // 3b. One queue poll with a million far-future jobs, PostgreSQL 18 and 15.
        for (const [label, url] of [
          [external ? 'DATABASE_URL' : 'embedded', serverUrl],
          ['local', LOCAL_PG15],
        ] as const) {
          log(`poll cost, ${label} PostgreSQL`);
          try {
            const poll = await pollCost(url, count);
            rows.push(
              row(
                `graphile-worker job fetch, nothing due, empty queue, PostgreSQL ${poll.version} (${label})`,
                poll.empty,
                `${poll.empty.buffers} buffers`,
              ),
            );
            rows.push(
              row(
                `graphile-worker job fetch, nothing due, ${fmt(count)} jobs due in 30 days, PostgreSQL ${poll.version} (${label})`,
                poll.full,
                `${poll.full.buffers} buffers; ${(poll.full.medianMs / poll.empty.medianMs).toFixed(1)}× the empty queue`,
              ),
            );
          } catch (error) {
            rows.push(
              row(
                `graphile-worker job fetch, ${label} PostgreSQL`,
                none,
                `skipped: ${(error as Error).message}`,
              ),
            );
          }
        }
      }
      return rows;
    } catch (error) {
      process.stderr.write(`runtime suite failed: ${(error as Error)?.stack ?? error}\n`);
      if (touchline) process.stderr.write(`Touchline's output:\n${touchline.output()}\n`);
      throw error;
    } finally {
      if (touchline) await stop(touchline.child);
      await postgres?.stop();
      rmSync(pgDir, { recursive: true, force: true });
      rmSync(serverDir, { recursive: true, force: true });
    }
  },
};
