import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @touchline/testing depends on this package, so its helpers are imported by path, not by name.
import { queryRows as sql } from '../../testing/src/index.js';
import { locateBinaries } from '../src/embedded/binaries.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../src/embedded/embedded-postgres.js';
import { isAlive } from '../src/embedded/process.js';

const fixture = fileURLToPath(new URL('./fixtures/start-embedded.ts', import.meta.url));
const isRoot = process.getuid?.() === 0;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  // mkdtemp makes 0700 directories; an ordinary data directory is reachable by other users.
  chmodSync(dir, 0o755);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, extra: Partial<Parameters<typeof startEmbeddedPostgres>[0]> = {}) {
  const server = await startEmbeddedPostgres({ dataDir, ...extra });
  cleanups.push(() => server.stop());
  return server;
}

function startInChild(
  dataDir: string,
): Promise<{ child: ChildProcess; info: { url: string; owned: boolean } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, info: JSON.parse(line) });
    });
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

describe('embedded PostgreSQL', () => {
  it('initialises once and keeps its data across restarts', async () => {
    const dataDir = tempDir('touchline-embedded-');
    let server: EmbeddedPostgres = await start(dataDir);
    expect(server.owned).toBe(true);
    const version = (await sql<{ server_version: string }>(server.url, 'show server_version'))[0]
      ?.server_version;
    expect(version).toMatch(/^18\./);
    await sql(server.url, 'create table kept (value text); insert into kept values ($$still here$$)');
    const before = (
      await sql<{ system_identifier: string }>(
        server.url,
        'select system_identifier::text from pg_control_system()',
      )
    )[0]?.system_identifier;
    await server.stop();

    server = await start(dataDir);
    const rows = await sql<{ value: string }>(server.url, 'select value from kept');
    expect(rows).toEqual([{ value: 'still here' }]);
    const after = (
      await sql<{ system_identifier: string }>(
        server.url,
        'select system_identifier::text from pg_control_system()',
      )
    )[0]?.system_identifier;
    expect(after).toBe(before);
    await server.stop();
  });

  it('runs with the server defaults rather than initdb’s', async () => {
    const server = await start(tempDir('touchline-embedded-'));
    const [settings] = await sql<Record<string, string>>(
      server.url,
      `select current_setting('wal_init_zero') as wal_init_zero, current_setting('max_wal_size') as max_wal_size,
              current_setting('checkpoint_timeout') as checkpoint_timeout`,
    );
    expect(settings).toEqual({ wal_init_zero: 'off', max_wal_size: '4GB', checkpoint_timeout: '15min' });
    await server.stop();
  });

  it('listens on loopback only and requires the generated password', async () => {
    const server = await start(tempDir('touchline-embedded-'));
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password';
    await expect(sql(wrong.toString(), 'select 1')).rejects.toThrow(/password authentication failed/);
    const listen_addresses = (await sql<{ listen_addresses: string }>(server.url, 'show listen_addresses'))[0]
      ?.listen_addresses;
    expect(listen_addresses).toBe('127.0.0.1');
    await server.stop();
  });

  it('connects Touchline through the Unix socket in the cluster directory, with TCP still open for tools', async () => {
    const server = await start(tempDir('touchline-embedded-'));
    expect(new URL(server.url).searchParams.get('host')).toBe(server.clusterDir);
    // A Unix-socket connection has no server address.
    const [viaSocket] = await sql<{ addr: string | null }>(
      server.url,
      'select inet_server_addr()::text as addr',
    );
    expect(viaSocket?.addr).toBeNull();
    const tcp = new URL(server.url);
    tcp.search = '';
    const [viaTcp] = await sql<{ addr: string | null }>(
      tcp.toString(),
      'select inet_server_addr()::text as addr',
    );
    expect(viaTcp?.addr).toBe('127.0.0.1/32');
    await server.stop();
  });

  it('shares the server of a live Touchline process instead of starting a second one', async () => {
    const dataDir = tempDir('touchline-embedded-');
    const { child, info } = await startInChild(dataDir);
    expect(info.owned).toBe(true);
    const second = await start(dataDir);
    expect(second.owned).toBe(false);
    expect(second.port).toBe(Number(new URL(info.url).port));
    await expect(sql(second.url, 'select 1 as ok')).resolves.toEqual([{ ok: 1 }]);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  });

  it('replaces a server orphaned by a process killed with SIGKILL', async () => {
    const dataDir = tempDir('touchline-embedded-');
    const { child, info } = await startInChild(dataDir);
    await sql(info.url, 'create table survived (n int); insert into survived values (1)');
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const orphanPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(isAlive(orphanPid)).toBe(true);

    const server = await start(dataDir);
    expect(server.owned).toBe(true);
    expect(isAlive(orphanPid)).toBe(false);
    await expect(sql(server.url, 'select n from survived')).resolves.toEqual([{ n: 1 }]);
    await server.stop();
    expect(existsSync(pidFile)).toBe(false);
  });

  it.runIf(isRoot)(
    'as root, runs PostgreSQL as the postgres user even where that user cannot reach',
    async () => {
      // A checkout under /root: a 0700 directory holding both the data directory and the binaries.
      const privateDir = tempDir('touchline-private-');
      chmodSync(privateDir, 0o700);
      const nativeDir = path.join(privateDir, 'native');
      cpSync(locateBinaries().nativeDir, nativeDir, { recursive: true, verbatimSymlinks: true });
      const sharedRoot = tempDir('touchline-shared-');
      chmodSync(sharedRoot, 0o755);
      const dataDir = path.join(privateDir, 'data');
      mkdirSync(dataDir);

      const server = await start(dataDir, { sharedRoot, nativeDir });
      const user = (await sql<{ user: string }>(server.url, 'select current_user as user'))[0]?.user;
      expect(user).toBe('postgres');
      const location = readFileSync(path.join(dataDir, 'postgres-location'), 'utf8').trim();
      expect(location.startsWith(path.join(sharedRoot, 'clusters'))).toBe(true);
      expect(existsSync(path.join(location, 'PG_VERSION'))).toBe(true);
      await sql(server.url, 'create table kept (n int); insert into kept values (7)');
      await server.stop();

      const again = await start(dataDir, { sharedRoot, nativeDir });
      await expect(sql(again.url, 'select n from kept')).resolves.toEqual([{ n: 7 }]);
      await again.stop();
    },
  );
});
