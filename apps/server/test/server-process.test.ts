import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, killGroup, startTouchline } from './process.js';

describe('the Touchline process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'touchline-process-'));
  chmodSync(dataDir, 0o755);
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) killGroup(child);
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
