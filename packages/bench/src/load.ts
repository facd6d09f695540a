import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@touchline/db';
import pg from 'pg';
import { Pool } from 'undici';

/**
 * The load harness shared by the suites that run Touchline as its own process: the shop's
 * traffic, closed and open loops, the server process, and the raw-insert reference.
 */
export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const USERS = 10_000;
export const BATCH_SIZE = 100;
export const CLIENTS = 8;
export const WARMUP_MS = 2_000;
export const MEASURE_MS = 10_000;
export const OPEN_LOOP_RATE = 1_000;
export const OPEN_LOOP_WARMUP_MS = 1_000;
export const OPEN_LOOP_MS = 10_000;
/** Distinct batches generated up front; each send stamps fresh message ids into one. */
export const TEMPLATES = 200;
export const WRITE_KEY = 'tl_write_bench_key_0123456789';
/** Where a batch's sequence number goes in each message id of a serialised template. */
const SEQ = '@@SEQ@@';

// A seeded generator, so every run sends the same traffic.
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shop's traffic: the Segment messages and, for the reference, the rows they become. */
export class Traffic {
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

export type Batch = ReturnType<Traffic['batch']>;
let sequence = 0;
export const nextSequence = () => String(++sequence);

export function percentile(sorted: readonly number[], fraction: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN
  );
}

export function summarise(samples: number[]) {
  samples.sort((a, b) => a - b);
  return { medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), runs: samples.length };
}

/**
 * `clients` loops, each sending its next unit of work as soon as the previous one is answered,
 * for a warm-up and then the measured window; counts what was acknowledged within the window.
 */
export async function closedLoop(
  clients: number,
  send: () => Promise<number>,
  window: { warmupMs: number; measureMs: number } = { warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
) {
  const measureFrom = performance.now() + window.warmupMs;
  const until = measureFrom + window.measureMs;
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
  return { ...summarise(latencies), acknowledged, perSecond: acknowledged / (window.measureMs / 1000) };
}

/**
 * Open loop: sends on a fixed timetable whatever the replies do, and measures each call from
 * its scheduled time, so a stalled server shows as latency rather than as fewer requests.
 */
export async function openLoop(send: (index: number) => Promise<void>, rate: number, durationMs: number) {
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
export async function startTouchline(
  databaseUrl: string,
  dataDir: string,
  /** More environment (an admin token, the worker's concurrency…) over the bench defaults. */
  env: Record<string, string> = {},
) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      // For profiling the server alone: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--conditions=source',
      '--import',
      'tsx',
      // Reports how long the event loop was held up, on SIGUSR2 (loopDelay below).
      '--import',
      path.join(root, 'packages/bench/src/runtime/loop-probe.ts'),
      path.join(root, 'apps/server/src/main.ts'),
    ],
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
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  // BENCH_SERVER_LOG=<file>: every server's output appended there (warnings, retries, crashes).
  const log = process.env.BENCH_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (log) appendFileSync(log, chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  // The loop probe's answers (runtime/loop-probe.ts), read off stderr line by line.
  let probes = 0;
  let lastProbe: LoopDelay | undefined;
  let line = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    line += chunk.toString();
    for (let end = line.indexOf('\n'); end >= 0; end = line.indexOf('\n')) {
      const match = /^\[loop-probe\] (\{.*\})$/.exec(line.slice(0, end));
      line = line.slice(end + 1);
      if (match) {
        lastProbe = JSON.parse(match[1] as string) as LoopDelay;
        probes++;
      }
    }
    if (line.length > 100_000) line = '';
  });
  /**
   * The event-loop delay of the Touchline process since the previous call (or start-up), from
   * its loop probe: p50, p99 and max in ms, and the loop's busy share.
   */
  const loopDelay = async (): Promise<LoopDelay> => {
    const seen = probes;
    if (child.pid !== undefined) process.kill(child.pid, 'SIGUSR2');
    const deadline = Date.now() + 5_000;
    while (probes === seen) {
      if (Date.now() > deadline) throw new Error('the Touchline loop probe did not answer');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return lastProbe as LoopDelay;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Touchline exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`Touchline was not healthy within 60 s:\n${output}`);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) return { child, url, output: () => output, loopDelay };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Event loop utilisation over the window, 0–1. */
  busy: number;
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
  });
}

/** Empties events and checkpoints, so each phase starts from the same table and WAL state. */
export async function reset(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('truncate events');
  await client.query('checkpoint');
  await client.end();
}

export async function rawReference(databaseUrl: string, workspaceId: string, batches: readonly Batch[]) {
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
export class Ingestion {
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

export async function seed(url: string, traffic: Traffic): Promise<void> {
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

export async function touchlineBatches(
  url: string,
  batches: readonly Batch[],
  window?: { warmupMs: number; measureMs: number },
) {
  const ingestion = new Ingestion(url, CLIENTS);
  let turn = 0;
  try {
    const result = await closedLoop(
      CLIENTS,
      () => {
        const { parts } = batches[turn++ % batches.length] as Batch;
        return ingestion.post('/v1/batch', parts.join(nextSequence()));
      },
      window,
    );
    return { ...result, serverErrors: ingestion.serverErrors };
  } finally {
    await ingestion.close();
  }
}

/**
 * CPU seconds a process has used (Linux /proc; clock ticks are 1/100 s there), or undefined
 * elsewhere. Says whether Touchline's own process is what limits its throughput.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a PostgreSQL server started on `dataDir`: its postmaster (with the children it
 * has reaped) and every live child — the backends, WAL writer, checkpointer. Undefined when no
 * such server runs here (an external DATABASE_URL). Other servers on the machine (tests'
 * embedded ones) are not counted.
 */
export function postgresCpuSeconds(dataDir: string): number | undefined {
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  let postmaster: string | undefined;
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const d = args.indexOf('-D');
      const dir = args[d + 1];
      if (
        d >= 0 &&
        dir &&
        (dir === dataDir || dir.startsWith(`${dataDir}/`)) &&
        args[0]?.endsWith('postgres')
      )
        postmaster = pid;
    } catch {}
  }
  if (!postmaster) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = stat(pid);
      // Fields after the command: state, ppid, … utime (11), stime (12), cutime (13), cstime (14).
      if (pid === postmaster)
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      else if (fields[1] === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / 100;
}

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'touchline-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}
