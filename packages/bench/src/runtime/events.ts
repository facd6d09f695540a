import type pg from 'pg';
import {
  type Batch,
  Ingestion,
  type LoopDelay,
  nextSequence,
  openLoop,
  percentile,
  type Traffic,
  touchlineBatches,
} from '../load.js';
import { maintenanceRuns, sampleActivity } from './activity.js';
import { inboxDrained } from './journeys.js';

async function counts(client: pg.Client) {
  const { rows } = await client.query<{ enrollments: number; messages: number }>(
    `select (select count(*) from enrollments)::int as enrollments, (select count(*) from messages)::int as messages`,
  );
  return rows[0] as { enrollments: number; messages: number };
}

/** WAL written and transactions committed in the database so far: work that load does not blur. */
async function work(client: pg.Client) {
  const { rows } = await client.query<{ wal: string; commits: string; fpi: string }>(
    `select pg_current_wal_lsn() - '0/0'::pg_lsn as wal, (select wal_fpi from pg_stat_wal) as fpi,
            (select xact_commit from pg_stat_database where datname = current_database()) as commits`,
  );
  return {
    wal: Number(rows[0]?.wal ?? 0),
    commits: Number(rows[0]?.commits ?? 0),
    fpi: Number(rows[0]?.fpi ?? 0),
  };
}

/** With the worker on: until no message is waiting for delivery (bounded), so its work is counted. */
async function deliveriesSettled(client: pg.Client, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from messages where status in ('queued', 'sending')",
    );
    if ((rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * End-to-end throughput: 8 clients post batches of the traffic mix for `measureMs` (after a
 * warm-up whose backlog is drained first); the figure is the events acknowledged in the window
 * over the time until the journey inbox is empty again — every event the runtime had to look at
 * has then been decided and its enrollments, steps and outbox rows committed.
 */
export async function endToEnd(
  url: string,
  client: pg.Client,
  batches: readonly Batch[],
  options: {
    warmupMs: number;
    measureMs: number;
    deliveries?: boolean;
    /** CPU seconds used so far by Touchline and its PostgreSQL (not the load generator). */
    cpuSeconds?: () => number | undefined;
  },
) {
  await touchlineBatches(url, batches, { warmupMs: 0, measureMs: options.warmupMs });
  await inboxDrained(client, 300_000);
  if (options.deliveries) await deliveriesSettled(client, 60_000);
  const before = await counts(client);
  const work0 = await work(client);
  const cpu0 = options.cpuSeconds?.();
  const activity = sampleActivity(client);
  const started = performance.now();
  const sent = await touchlineBatches(url, batches, { warmupMs: 0, measureMs: options.measureMs });
  const ackedAt = performance.now();
  const backlog = await client.query<{ n: number }>('select count(*)::int as n from journey_inbox');
  const drained = await inboxDrained(client, 600_000);
  const busy = await activity.stop();
  process.stderr.write(`[runtime] end to end: running statements: ${activity.top(6)}\n`);
  const after = await counts(client);
  // The window's work per acknowledged event, deliveries included when the worker is on.
  if (options.deliveries) await deliveriesSettled(client, 60_000);
  const work1 = await work(client);
  const cpu1 = options.cpuSeconds?.();
  const seconds = (drained - started) / 1000;
  return {
    ...sent,
    acknowledged: sent.acknowledged,
    ackPerSecond: sent.acknowledged / ((ackedAt - started) / 1000),
    perSecond: sent.acknowledged / seconds,
    drainMs: drained - ackedAt,
    backlog: backlog.rows[0]?.n ?? 0,
    enrollments: after.enrollments - before.enrollments,
    messages: after.messages - before.messages,
    activity: busy,
    walPerEvent: (work1.wal - work0.wal) / Math.max(1, sent.acknowledged),
    fullPagesPer1000: ((work1.fpi - work0.fpi) * 1000) / Math.max(1, sent.acknowledged),
    commitsPer1000: ((work1.commits - work0.commits) * 1000) / Math.max(1, sent.acknowledged),
    /** µs of CPU per acknowledged event, over the same window as the work above. */
    cpuPerEvent:
      cpu0 === undefined || cpu1 === undefined
        ? undefined
        : ((cpu1 - cpu0) * 1e6) / Math.max(1, sent.acknowledged),
  };
}

/**
 * Trigger-to-outbox latency: `/v1/track` calls of the traffic's track events on a fixed
 * timetable (open loop); for each event that starts the journey, the time from the moment the
 * call was sent to (a) the moment the bench's poller (every 10 ms) first sees its outbox row
 * committed and (b) the row's `created_at` (PostgreSQL's `now()`: the start of the runtime's
 * transaction, so a lower bound).
 */
export async function triggerToOutbox(
  url: string,
  client: pg.Client,
  traffic: Traffic,
  options: {
    workspaceId: string;
    journeyId: string;
    rate: number;
    warmupMs: number;
    measureMs: number;
    /** The Touchline process's event-loop delay since the last call (its loop probe). */
    loopDelay?: () => Promise<LoopDelay>;
  },
) {
  const ingestion = new Ingestion(url, 256);
  const bodies = (count: number) =>
    Array.from({ length: count }, () => {
      const { message } = traffic.message(`lat${nextSequence()}`, true);
      return { id: message.messageId as string, body: JSON.stringify({ ...message, type: undefined }) };
    });
  const sentAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  // Wall-clock time, comparable with PostgreSQL's clock on the same machine.
  const wall = () => performance.timeOrigin + performance.now();
  // With track_commit_timestamp (the bench's embedded server has it) the moment each outbox row
  // committed is read afterwards, exactly, from its transaction: no poller runs during the
  // window. A poll every 10 ms added 0–10 ms of its own to every figure and was itself a load
  // on the 2 cores (a fifth of a core in PostgreSQL alone, sending back the ids it had seen).
  const { rows: tracking } = await client.query<{ on: boolean }>(
    `select current_setting('track_commit_timestamp') = 'on' as on`,
  );
  const byCommit = tracking[0]?.on === true;
  let polling = !byCommit;
  // Outbox rows already seen in the poll's window (row id → when): left out of the next polls, so
  // that a poll reads (and detoasts) only the rows new to it, not every row of the last 2 s again.
  const recent = new Map<string, number>();
  const poller = (async () => {
    while (polling) {
      const { rows } = await client.query<{ id: string; m: string }>(
        `select id, content -> 'triggerEvent' ->> 'messageId' as m from messages
          where workspace_id = $1 and journey_id = $2 and created_at > now() - interval '2 seconds'
            and id <> all($3::uuid[])`,
        [options.workspaceId, options.journeyId, [...recent.keys()]],
      );
      const now = wall();
      for (const { id, m } of rows) {
        recent.set(id, now);
        if (!seenAt.has(m)) seenAt.set(m, now);
      }
      for (const [id, at] of recent) {
        if (now - at < 2_500) break;
        recent.delete(id);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  try {
    const warmup = bodies((options.rate * options.warmupMs) / 1000);
    await openLoop(
      async (i) => void (await ingestion.post('/v1/track', warmup[i]?.body as string)),
      options.rate,
      options.warmupMs,
    );
    const measured = bodies((options.rate * options.measureMs) / 1000);
    await options.loopDelay?.();
    const vacuums0 = await maintenanceRuns(client);
    // BENCH_ACTIVITY=1: what Touchline's backends wait on while sending (a load of its own).
    const activity = process.env.BENCH_ACTIVITY ? sampleActivity(client, 10) : undefined;
    const calls = await openLoop(
      async (i) => {
        const item = measured[i] as { id: string; body: string };
        sentAt.set(item.id, wall());
        await ingestion.post('/v1/track', item.body);
      },
      options.rate,
      options.measureMs,
    );
    const loop = await options.loopDelay?.();
    if (activity) {
      const busy = await activity.stop();
      process.stderr.write(`[runtime] latency: backends ${busy}; running ${activity.top(6)}\n`);
    }
    const vacuums1 = await maintenanceRuns(client);
    const maintenance = [...vacuums1]
      .map(([table, n]) => [table, n - (vacuums0.get(table) ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table} ${n}`);
    await inboxDrained(client, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    polling = false;
    await poller;
    // The send step is written in the transaction that writes the outbox row and is never
    // changed after (the message row is, once delivered): its xmin is that transaction.
    const { rows } = await client.query<{ m: string; created: number; committed: number | null }>(
      `select m.content -> 'triggerEvent' ->> 'messageId' as m, extract(epoch from m.created_at) * 1000 as created,
              ${byCommit ? 'extract(epoch from pg_xact_commit_timestamp(s.xmin)) * 1000' : 'null::float8'} as committed
         from messages m
         join enrollment_steps s on s.workspace_id = m.workspace_id and s.enrollment_id = m.enrollment_id
                                and s.node_id = m.node_id
        where m.workspace_id = $1 and m.journey_id = $2 and m.content -> 'triggerEvent' ->> 'messageId' = any($3)`,
      [options.workspaceId, options.journeyId, [...sentAt.keys()]],
    );
    const visible: number[] = [];
    const created: number[] = [];
    let unseen = 0;
    // BENCH_LATENCY_SERIES=1: the worst lateness by 250 ms of send time, to tell a tail spread
    // over the window from one stall.
    const series = process.env.BENCH_LATENCY_SERIES ? new Map<number, number>() : undefined;
    const start = series ? Math.min(...sentAt.values()) : 0;
    for (const row of rows) {
      const sent = sentAt.get(row.m) as number;
      created.push(Number(row.created) - sent);
      const seen = byCommit && row.committed !== null ? Number(row.committed) : seenAt.get(row.m);
      if (seen === undefined) {
        unseen++;
        continue;
      }
      visible.push(seen - sent);
      if (series) {
        const bucket = Math.floor((sent - start) / 250) * 250;
        series.set(bucket, Math.max(series.get(bucket) ?? 0, seen - sent));
      }
    }
    if (series) {
      const worst = [...series].sort(([a], [b]) => a - b).map(([at, ms]) => `${at}:${Math.round(ms)}`);
      process.stderr.write(`[runtime] latency max by 250 ms of send time: ${worst.join(' ')}\n`);
    }
    visible.sort((a, b) => a - b);
    created.sort((a, b) => a - b);
    return {
      byCommit,
      calls,
      messages: rows.length,
      unseen,
      visible: {
        p50: percentile(visible, 0.5),
        p95: percentile(visible, 0.95),
        p99: percentile(visible, 0.99),
      },
      created: { p50: percentile(created, 0.5), p99: percentile(created, 0.99) },
      loop,
      maintenance,
      serverErrors: ingestion.serverErrors,
    };
  } finally {
    polling = false;
    await poller.catch(() => {});
    await ingestion.close();
  }
}
