import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Runs Touchline as a user does: its own process, its own embedded PostgreSQL. */
function startTouchline(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      TOUCHLINE_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TOUCHLINE_ADMIN_TOKEN: '',
      TOUCHLINE_WRITE_KEY: '',
      TOUCHLINE_ADMIN_EMAIL: '',
      TOUCHLINE_ADMIN_PASSWORD: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const ready = /"url":"(http:\/\/[^"]+)".*"msg":"Touchline is ready"/.exec(out);
      if (ready?.[1]) {
        clearInterval(timer);
        resolve({ child, url: ready[1], output: () => out });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`touchline exited with ${code} before it was ready:\n${out}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('the Touchline process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'touchline-process-'));
  chmodSync(dataDir, 0o755);
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty data directory, shuts down cleanly, and restarts with the same data and keys', async () => {
    const first = await startTouchline(dataDir);
    children.push(first.child);
    const adminToken = /Admin token \(Bearer for \/api\/\*\):\s+(\S+)/.exec(first.output())?.[1];
    const writeKey = /Write key \(HTTP Basic user for \/v1\/\*\):\s+(\S+)/.exec(first.output())?.[1];
    expect(adminToken).toMatch(/^tl_admin_/);
    expect(writeKey).toMatch(/^tl_write_/);

    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', worker: 'running' });
    const me = await fetch(`${first.url}/api/session`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(me.status).toBe(200);
    const workspaceId = ((await me.json()) as { workspaceId: string }).workspaceId;

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    // The embedded PostgreSQL was stopped with the server, not left behind.
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startTouchline(dataDir);
    children.push(second.child);
    expect(second.output()).not.toMatch(/generated these credentials/);
    const again = await fetch(`${second.url}/api/session`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { workspaceId: string }).workspaceId).toBe(workspaceId);
    const wrong = await fetch(`${second.url}/api/session`, {
      headers: { authorization: 'Bearer tl_admin_wrong' },
    });
    expect(wrong.status).toBe(401);

    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);
  }, 60_000);
});
