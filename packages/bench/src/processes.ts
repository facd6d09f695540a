import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Resolves once `url` answers 200; fails early when the process exits. */
export async function untilHealthy(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} was not healthy within ${timeoutMs} ms`);
}

/** Stops a process started with `detached: true`, and everything it started. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    // Like Ctrl-C in a terminal: the signal goes to the whole process group (pnpm and the server
    // it started); the server stops its embedded PostgreSQL.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
  });
}

export function summarise(samples: readonly number[]): { medianMs: number; p95Ms: number; runs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (f: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(f * sorted.length) - 1))] ?? Number.NaN;
  return { medianMs: at(0.5), p95Ms: at(0.95), runs: sorted.length };
}

/** A fresh directory the embedded PostgreSQL (which refuses to run as root) can use. */
export function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'touchline-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}
