import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '@touchline/db';
import pg from 'pg';
import { Pool } from 'undici';
import type { BenchRow, BenchSuite } from '../suite.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const USERS = 10_000;
const BATCH_SIZE = 100;
const CLIENTS = 8;
const WARMUP_MS = 2_000;
const MEASURE_MS = 10_000;
const OPEN_LOOP_RATE = 1_000;
const OPEN_LOOP_WARMUP_MS = 1_000;
const OPEN_LOOP_MS = 10_000;
/** Distinct batches generated up front; each send stamps fresh message ids into one. */
const TEMPLATES = 200;
const WRITE_KEY = 'tl_write_bench_key_0123456789';
/** Where a batch's sequence number goes in each message id of a serialised template. */
const SEQ = '@@SEQ@@';

// A seeded generator, so every run sends the same traffic.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shop's traffic: the Segment messages and, for the reference, the rows they become. */
class Traffic {
  readonly #rand = random(42);
  readonly #users = Array.from({ length: USERS }, (_, i) => ({
    userId: `user-${i}`,
    anonymousId: randomUUID(),
    profileId: randomUUID(),
    context: {
      library: { name: 'analytics-node', version: '2.2.0' },
      ip: `10.${i >> 8}.${i & 255}.${(i * 7) & 255}`,
      userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_${i % 8}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${i % 5} Safari/605.1.15`,
    },
  }));
  readonly #categories = ['shoes', 'bags', 'shirts', 'jackets', 'accessories'];

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#rand() * items.length)] as T;
  }

  #item() {
    const sku = Math.floor(this.#rand() * 500);
    return {
      sku: `SKU-${sku}`,
      name: `Product ${sku}`,
      price: 5 + (sku % 40) * 4.75,
      quantity: 1 + Math.floor(this.#rand() * 3),
    };
  }

  /**
   * One message of the mix: 85 % track (views, carts), 5 % orders, 5 % identify, 5 % page; or,
   * for /v1/track, one of the track events in the same proportions.
   */
  message(messageId: string, onlyTrack = false) {
    const user = this.#pick(this.#users);
    const timestamp = new Date(Date.now() - Math.floor(this.#rand() * 60_000)).toISOString();
    const base = {
      messageId,
      userId: user.userId,
      anonymousId: user.anonymousId,
      timestamp,
      context: user.context,
    };
    const roll = this.#rand() * (onlyTrack ? 0.9 : 1);
    const items = () => Array.from({ length: 1 + Math.floor(this.#rand() * 3) }, () => this.#item());
    let message: Record<string, unknown>;
    let stored: { type: string; event: string | null; properties: Record<string, unknown> };
    if (roll < 0.85) {
      const item = this.#item();
      const properties =
        this.#rand() < 0.6
          ? {
              product_id: item.sku,
              sku: item.sku,
              name: item.name,
              price: item.price,
              currency: 'EUR',
              category: this.#pick(this.#categories),
            }
          : { cart_id: `cart-${user.userId}`, currency: 'EUR', items: items() };
      const event = 'sku' in properties ? 'product_viewed' : 'cart_updated';
      message = { type: 'track', event, properties, ...base };
      stored = { type: 'track', event, properties };
    } else if (roll < 0.9) {
      const ordered = items();
      const revenue = Math.round(ordered.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100;
      const properties = { order_id: `order-${messageId}`, revenue, currency: 'EUR', items: ordered };
      message = { type: 'track', event: 'order_completed', properties, ...base };
      stored = { type: 'track', event: 'order_completed', properties };
    } else if (roll < 0.95) {
      const traits = {
        email: `${user.userId}@example.com`,
        first_name: 'Ada',
        plan: this.#pick(['free', 'pro']),
      };
      message = { type: 'identify', traits, ...base };
      stored = { type: 'identify', event: null, properties: traits };
    } else {
      const properties = { path: '/sale', url: 'https://shop.example.com/sale', title: 'Sale', referrer: '' };
      message = { type: 'page', name: 'Sale', properties, ...base };
      stored = { type: 'page', event: null, properties: { ...properties, name: 'Sale' } };
    }
    return { message, row: { ...stored, user, timestamp } };
  }

  /**
   * One identify per user, in batches of distinct users: a running shop's people are mostly
   * known, so the measured traffic finds their profiles rather than racing to create them.
   */
  seedBatches(): string[] {
    const batches: string[] = [];
    for (let first = 0; first < USERS; first += BATCH_SIZE) {
      const batch = this.#users.slice(first, first + BATCH_SIZE).map((user) => ({
        type: 'identify',
        messageId: `seed-${user.userId}`,
        userId: user.userId,
        anonymousId: user.anonymousId,
        traits: { email: `${user.userId}@example.com`, first_name: 'Ada' },
        context: user.context,
      }));
      batches.push(JSON.stringify({ batch }));
    }
    return batches;
  }

  /** A /v1/batch body split where the sequence number goes, with the reference's columns. */
  batch() {
    const messages = Array.from({ length: BATCH_SIZE }, (_, i) => this.message(`b${SEQ}-${i}`));
    return {
      parts: JSON.stringify({ batch: messages.map((m) => m.message) }).split(SEQ),
      columns: {
        types: messages.map((m) => m.row.type),
        events: messages.map((m) => m.row.event),
        profileIds: messages.map((m) => m.row.user.profileId),
        userIds: messages.map((m) => m.row.user.userId),
        anonymousIds: messages.map((m) => m.row.user.anonymousId),
        properties: messages.map((m) => JSON.stringify(m.row.properties)),
        contexts: messages.map((m) => JSON.stringify(m.row.user.context)),
        timestamps: messages.map((m) => m.row.timestamp),
      },
    };
  }
}

type Batch = ReturnType<Traffic['batch']>;
let sequence = 0;
const nextSequence = () => String(++sequence);

function percentile(sorted: readonly number[], fraction: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN
  );
}

function summarise(samples: number[]) {
  samples.sort((a, b) => a - b);
  return { medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), runs: samples.length };
}

/**
 * `clients` loops, each sending its next unit of work as soon as the previous one is answered,
 * for a warm-up and then the measured window; counts what was acknowledged within the window.
 */
async function closedLoop(clients: number, send: () => Promise<number>) {
  const measureFrom = performance.now() + WARMUP_MS;
  const until = measureFrom + MEASURE_MS;
  const latencies: number[] = [];
  let acknowledged = 0;
  // The first failure stops every loop, so the suite fails without leaving requests behind.
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      try {
        while (!failure && performance.now() < until) {
          const started = performance.now();
          const count = await send();
          const finished = performance.now();
          if (finished >= measureFrom && finished <= until) {
            acknowledged += count;
            latencies.push(finished - started);
          }
        }
      } catch (error) {
        failure ??= { error };
      }
    }),
  );
  if (failure) throw failure.error;
  return { ...summarise(latencies), perSecond: acknowledged / (MEASURE_MS / 1000) };
}

/**
 * Open loop: sends on a fixed timetable whatever the replies do, and measures each call from
 * its scheduled time, so a stalled server shows as latency rather than as fewer requests.
 */
async function openLoop(send: (index: number) => Promise<void>, rate: number, durationMs: number) {
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now() + 10;
  let next = 0;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const tick = () => {
      while (!failure && next < total && start + next * interval <= performance.now()) {
        const scheduled = start + next * interval;
        inFlight.push(
          send(next).then(
            () => void latencies.push(performance.now() - scheduled),
            (error: unknown) => {
              failure ??= { error };
            },
          ),
        );
        next += 1;
      }
      if (!failure && next < total)
        setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    medianMs: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    runs: latencies.length,
    perSecond: total / (elapsed / 1000),
  };
}

/** Touchline as `pnpm start` runs it, from source, in its own process over the bench's PostgreSQL. */
async function startTouchline(databaseUrl: string, dataDir: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', path.join(root, 'apps/server/src/main.ts')],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TOUCHLINE_DATA_DIR: dataDir,
        TOUCHLINE_WRITE_KEY: WRITE_KEY,
        TOUCHLINE_ADMIN_TOKEN: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Touchline exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`Touchline was not healthy within 60 s:\n${output}`);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) return { child, url, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
  });
}

/** Empties events and checkpoints, so each phase starts from the same table and WAL state. */
async function reset(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('truncate events');
  await client.query('checkpoint');
  await client.end();
}

async function rawReference(databaseUrl: string, workspaceId: string, batches: readonly Batch[]) {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const workspaceIds = Array.from({ length: BATCH_SIZE }, () => workspaceId);
  let turn = 0;
  const free = [...clients];
  try {
    return await closedLoop(CLIENTS, async () => {
      const client = free.pop() as pg.Client;
      const { columns } = batches[turn++ % batches.length] as Batch;
      const seq = nextSequence();
      const receivedAt = new Date().toISOString();
      try {
        // The same columns and statement shape as the ingestion pipeline's event insert.
        const result = await client.query({
          name: 'bench_raw_insert_events',
          text: `insert into events (workspace_id, message_id, type, event, profile_id, user_id, anonymous_id,
                                     properties, context, timestamp, received_at)
                 select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                                      $7::text[], $8::jsonb[], $9::jsonb[], $10::timestamptz[], $11::timestamptz[])`,
          values: [
            workspaceIds,
            columns.types.map((_, i) => `r${seq}-${i}`),
            columns.types,
            columns.events,
            columns.profileIds,
            columns.userIds,
            columns.anonymousIds,
            columns.properties,
            columns.contexts,
            columns.timestamps,
            workspaceIds.map(() => receivedAt),
          ],
        });
        return result.rowCount ?? 0;
      } finally {
        free.push(client);
      }
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * Keep-alive connections to Touchline's /v1 with the write key. A 5xx is counted, not thrown:
 * it is the server's answer under load, and an SDK would send the call again. A 4xx throws: the
 * bench's own traffic is wrong.
 */
class Ingestion {
  readonly #pool: Pool;
  readonly #headers = {
    authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  serverErrors = 0;

  constructor(url: string, connections: number) {
    this.#pool = new Pool(url, { connections, pipelining: 1 });
  }

  /** The events a call acknowledged; 0 when it answered 5xx. */
  async post(path: '/v1/batch' | '/v1/track', body: string): Promise<number> {
    const response = await this.#pool.request({ path, method: 'POST', headers: this.#headers, body });
    const text = await response.body.text();
    if (response.statusCode >= 500) {
      this.serverErrors += 1;
      return 0;
    }
    if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${text}`);
    if (path === '/v1/track') return 1;
    const result = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
    if (result.rejected.length > 0) throw new Error(`${path} rejected ${JSON.stringify(result.rejected[0])}`);
    return result.accepted;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

async function seed(url: string, traffic: Traffic): Promise<void> {
  const ingestion = new Ingestion(url, CLIENTS);
  const bodies = traffic.seedBatches();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) {
          if ((await ingestion.post('/v1/batch', body)) !== BATCH_SIZE) throw new Error('seeding failed');
        }
      }),
    );
  } finally {
    await ingestion.close();
  }
}

async function touchlineBatches(url: string, batches: readonly Batch[]) {
  const ingestion = new Ingestion(url, CLIENTS);
  let turn = 0;
  try {
    const result = await closedLoop(CLIENTS, () => {
      const { parts } = batches[turn++ % batches.length] as Batch;
      return ingestion.post('/v1/batch', parts.join(nextSequence()));
    });
    return { ...result, serverErrors: ingestion.serverErrors };
  } finally {
    await ingestion.close();
  }
}

async function trackLatency(url: string, traffic: Traffic) {
  // Enough connections that the client never queues at 1,000 calls/s.
  const ingestion = new Ingestion(url, 256);
  // Serialised before the clock starts; `type` is implied by the endpoint.
  const bodies = (count: number) =>
    Array.from({ length: count }, () => {
      const { message } = traffic.message(`t${nextSequence()}`, true);
      return JSON.stringify({ ...message, type: undefined });
    });
  const sendFrom = (list: readonly string[]) => async (index: number) => {
    await ingestion.post('/v1/track', list[index] as string);
  };
  try {
    const warmup = bodies((OPEN_LOOP_RATE * OPEN_LOOP_WARMUP_MS) / 1000);
    await openLoop(sendFrom(warmup), OPEN_LOOP_RATE, OPEN_LOOP_WARMUP_MS);
    const errorsBefore = ingestion.serverErrors;
    const measured = bodies((OPEN_LOOP_RATE * OPEN_LOOP_MS) / 1000);
    const result = await openLoop(sendFrom(measured), OPEN_LOOP_RATE, OPEN_LOOP_MS);
    return { ...result, serverErrors: ingestion.serverErrors - errorsBefore };
  } finally {
    await ingestion.close();
  }
}

/**
 * CPU seconds a process has used (Linux /proc; clock ticks are 1/100 s there), or undefined
 * elsewhere. Says whether Touchline's own process is what limits its throughput.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'touchline-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Ingestion throughput and latency through a real Touchline process, beside the reference
 * measured in the same run on the same PostgreSQL: raw batched inserts of the same rows into the
 * same `events` table. PostgreSQL keeps its default durability (fsync, synchronous_commit on):
 * a Touchline 200 means committed.
 */
export const suite: BenchSuite = {
  name: 'ingest',
  async run() {
    const pgDir = tempDir();
    const serverDir = tempDir();
    const postgres = await startEmbeddedPostgres({ dataDir: pgDir });
    let touchline: Awaited<ReturnType<typeof startTouchline>> | undefined;
    try {
      const databaseUrl = await ensureDatabase(postgres.url, 'touchline');
      touchline = await startTouchline(databaseUrl, serverDir);
      const workspace = new pg.Client({ connectionString: databaseUrl });
      await workspace.connect();
      const { rows } = await workspace.query<{ id: string }>(
        'select id from workspaces order by created_at limit 1',
      );
      await workspace.end();
      const workspaceId = rows[0]?.id;
      if (!workspaceId) throw new Error('Touchline created no workspace');

      const traffic = new Traffic();
      const batches = Array.from({ length: TEMPLATES }, () => traffic.batch());

      await seed(touchline.url, traffic);
      await reset(databaseUrl);
      const cpuBefore = cpuSeconds(touchline.child.pid);
      const batchStarted = performance.now();
      const batch = await touchlineBatches(touchline.url, batches);
      const cpuAfter = cpuSeconds(touchline.child.pid);
      const serverCpu =
        cpuBefore === undefined || cpuAfter === undefined
          ? ''
          : `; Touchline process at ${((100 * (cpuAfter - cpuBefore) * 1000) / (performance.now() - batchStarted)).toFixed(0)} % of a core`;
      await reset(databaseUrl);
      const raw = await rawReference(databaseUrl, workspaceId, batches);
      await reset(databaseUrl);
      const track = await trackLatency(touchline.url, traffic);

      const window = `${CLIENTS} clients, ${MEASURE_MS / 1000} s after ${WARMUP_MS / 1000} s warm-up`;
      return [
        {
          suite: 'ingest',
          case: `reference: raw INSERT … unnest, ${BATCH_SIZE} rows/statement, ${window}`,
          medianMs: raw.medianMs,
          p95Ms: raw.p95Ms,
          runs: raw.runs,
          throughput: { perSecond: raw.perSecond, unit: 'events' },
          note: 'per statement, autocommit',
        },
        {
          suite: 'ingest',
          case: `POST /v1/batch, ${BATCH_SIZE} events/call, ${window}`,
          medianMs: batch.medianMs,
          p95Ms: batch.p95Ms,
          runs: batch.runs,
          throughput: { perSecond: batch.perSecond, unit: 'events' },
          note: `per call; ${((100 * batch.perSecond) / raw.perSecond).toFixed(0)} % of the reference (${(batch.perSecond / raw.perSecond).toFixed(2)}×); ${batch.serverErrors} calls answered 5xx${serverCpu}`,
        },
        {
          suite: 'ingest',
          case: `POST /v1/track, open loop ${OPEN_LOOP_RATE.toLocaleString('en-US')}/s for ${OPEN_LOOP_MS / 1000} s`,
          medianMs: track.medianMs,
          p95Ms: track.p95Ms,
          runs: track.runs,
          throughput: { perSecond: track.perSecond, unit: 'calls' },
          note: `from scheduled send to reply: p50 ${track.medianMs.toFixed(1)} ms, p95 ${track.p95Ms.toFixed(1)} ms, p99 ${track.p99Ms.toFixed(1)} ms; ${track.serverErrors} answered 5xx`,
        },
      ] satisfies BenchRow[];
    } catch (error) {
      if (touchline) process.stderr.write(`Touchline's output:\n${touchline.output()}\n`);
      throw error;
    } finally {
      if (touchline) await stop(touchline.child);
      await postgres.stop();
      rmSync(pgDir, { recursive: true, force: true });
      rmSync(serverDir, { recursive: true, force: true });
    }
  },
};
