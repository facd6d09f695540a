import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startEmbeddedPostgres } from '@touchline/db';
import { stop, summarise, tempDataDir, untilHealthy } from '../processes.js';
import type { BenchRow, BenchSuite } from '../suite.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const RUNS = 5;

/** Milliseconds from spawning `command` until /health answers 200. */
async function timeToHealthy(command: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0] ?? 'node', command.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TOUCHLINE_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      TURBO_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
    detached: true,
  });
  try {
    await untilHealthy(`http://127.0.0.1:${port}/health`, child);
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

/**
 * Start-up time (target ≤ 10 s from `pnpm start` to a healthy /health on an installed checkout),
 * beside its floor measured in the same run: the embedded PostgreSQL alone starting on the same
 * kind of cluster.
 */
export const suite: BenchSuite = {
  name: 'startup',
  async run() {
    execFileSync(
      'pnpm',
      ['turbo', 'run', 'build', '--filter=@touchline/server...', '--output-logs=errors-only'],
      {
        cwd: root,
        stdio: 'ignore',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      },
    );
    const server = ['node', 'apps/server/dist/main.js'];
    const pnpmStart = ['pnpm', 'start'];
    const samples = {
      pgFresh: [] as number[],
      pgWarm: [] as number[],
      fresh: [] as number[],
      warm: [] as number[],
      pnpm: [] as number[],
    };
    for (let run = 0; run < RUNS; run += 1) {
      const pgDir = tempDataDir();
      let started = performance.now();
      let pg = await startEmbeddedPostgres({ dataDir: pgDir });
      samples.pgFresh.push(performance.now() - started);
      await pg.stop();
      started = performance.now();
      pg = await startEmbeddedPostgres({ dataDir: pgDir });
      samples.pgWarm.push(performance.now() - started);
      await pg.stop();
      rmSync(pgDir, { recursive: true, force: true });

      const dataDir = tempDataDir();
      samples.fresh.push(await timeToHealthy(server, dataDir));
      samples.warm.push(await timeToHealthy(server, dataDir));
      samples.pnpm.push(await timeToHealthy(pnpmStart, dataDir));
      rmSync(dataDir, { recursive: true, force: true });
    }
    const pgFresh = summarise(samples.pgFresh);
    const pgWarm = summarise(samples.pgWarm);
    const fresh = summarise(samples.fresh);
    const warm = summarise(samples.warm);
    const pnpm = summarise(samples.pnpm);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}× the reference`;
    return [
      {
        suite: 'startup',
        case: 'reference: embedded PostgreSQL, new cluster (initdb + start)',
        ...pgFresh,
        note: '',
      },
      { suite: 'startup', case: 'reference: embedded PostgreSQL, existing cluster', ...pgWarm, note: '' },
      {
        suite: 'startup',
        case: 'server to /health 200, empty data dir',
        ...fresh,
        note: ratio(fresh.medianMs, pgFresh.medianMs),
      },
      {
        suite: 'startup',
        case: 'server to /health 200, existing data',
        ...warm,
        note: ratio(warm.medianMs, pgWarm.medianMs),
      },
      {
        suite: 'startup',
        case: '`pnpm start` to /health 200 (installed, built)',
        ...pnpm,
        note: 'target ≤ 10,000 ms',
      },
    ] satisfies BenchRow[];
  },
};
