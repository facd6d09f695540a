import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * Runs Touchline as a user does: its own process and its own embedded PostgreSQL under
 * `dataDir`. The process leads its own process group, so `killGroup` takes PostgreSQL down
 * with it, as a crash of the machine's Touchline service would.
 */
export function startTouchline(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
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
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
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

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** SIGKILL to the process and everything it started (its embedded PostgreSQL included). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A data directory for Touchline processes started by one test file, and what they started:
 * `cleanUp` (for afterAll) kills every process group still alive and removes the directory.
 */
export function processFixture(prefix: string): {
  dataDir: string;
  children: ChildProcess[];
  cleanUp(): Promise<void>;
} {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  // The embedded PostgreSQL runs as another user when the tests run as root.
  chmodSync(dataDir, 0o755);
  const children: ChildProcess[] = [];
  return {
    dataDir,
    children,
    async cleanUp() {
      for (const child of children) killGroup(child);
      await Promise.all(children.map(exitOf));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
