import path from 'node:path';
import pg from 'pg';
import { createDb, type DbHandle } from './connection.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres.js';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL; when absent an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  log?: (line: string) => void;
  poolSize?: number;
  applicationName?: string;
  /** Apply pending migrations before returning (start-up does; `pnpm migrate` does only that). */
  migrate?: boolean;
}

export interface OpenDatabase extends DbHandle {
  url: string;
  embedded: EmbeddedPostgres | undefined;
}

const EMBEDDED_DATABASE = 'touchline';

/** Resolves where Touchline's data lives, migrates it, and opens a pool. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const log = options.log ?? (() => {});
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    const dataDir = path.resolve(options.dataDir ?? '.data');
    embedded = await startEmbeddedPostgres({ dataDir, log });
    url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
  }
  try {
    if (options.migrate !== false) {
      const { applied } = await migrate(url);
      if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    }
    const handle = createDb(url, {
      ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
      ...(options.applicationName !== undefined ? { applicationName: options.applicationName } : {}),
    });
    return {
      ...handle,
      url,
      embedded,
      async close() {
        await handle.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** Creates `name` on the server behind `url` unless it exists; returns its URL. */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client
        .query(`create database ${client.escapeIdentifier(name)}`)
        .catch((error: { code?: string }) => {
          // Another process created it between our check and our create.
          if (error.code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
