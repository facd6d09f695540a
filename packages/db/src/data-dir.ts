import path from 'node:path';

/**
 * TOUCHLINE_DATA_DIR, default `.data`. A relative path is taken from where the user ran the
 * command (pnpm's INIT_CWD), not from the package pnpm switched into, so `pnpm start` and
 * `pnpm --filter @touchline/worker start` find the same data.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.INIT_CWD ?? process.cwd();
  return path.resolve(base, env.TOUCHLINE_DATA_DIR || '.data');
}
