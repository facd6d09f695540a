import { execFileSync, spawnSync } from 'node:child_process';

/** The identity PostgreSQL processes run under; the current user unless that is root. */
export interface RunAs {
  name: string;
  uid?: number;
  gid?: number;
  canExecute(file: string): boolean;
  canWrite(dir: string): boolean;
}

function probe(ids: { uid?: number; gid?: number }, args: string[]): boolean {
  return spawnSync('test', args, { ...ids, stdio: 'ignore' }).status === 0;
}

function lookupIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. As root we run it as `postgres`, creating that system user
 * when the machine has none.
 */
export function resolveRunAs(log: (line: string) => void): RunAs {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return {
      name: 'current user',
      canExecute: (file) => probe({}, ['-x', file]),
      canWrite: (dir) => probe({}, ['-w', dir, '-a', '-x', dir]),
    };
  }
  let ids = lookupIds('postgres');
  if (!ids) {
    log('running as root and no postgres user exists: creating a system user "postgres"');
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    ids = lookupIds('postgres');
    if (!ids) throw new Error('could not create the postgres system user');
  }
  const { uid, gid } = ids;
  return {
    name: 'postgres',
    uid,
    gid,
    canExecute: (file) => probe({ uid, gid }, ['-x', file]),
    canWrite: (dir) => probe({ uid, gid }, ['-w', dir, '-a', '-x', dir]),
  };
}
