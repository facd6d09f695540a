import { rmSync } from 'node:fs';
import { ensureDatabase, startEmbeddedPostgres } from '@touchline/db';
import pg from 'pg';
import {
  BATCH_SIZE,
  CLIENTS,
  cpuSeconds,
  Ingestion,
  MEASURE_MS,
  nextSequence,
  OPEN_LOOP_MS,
  OPEN_LOOP_RATE,
  OPEN_LOOP_WARMUP_MS,
  openLoop,
  rawReference,
  reset,
  seed,
  startTouchline,
  stop,
  TEMPLATES,
  Traffic,
  tempDir,
  touchlineBatches,
  WARMUP_MS,
} from '../load.js';
import type { BenchRow, BenchSuite } from '../suite.js';

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
