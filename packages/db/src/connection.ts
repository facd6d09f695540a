import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Data functions take either the database or an open transaction. */
export type DbOrTrx = Db | Trx;

// bigint (int8) columns such as events.id come back as strings; counts are cast in SQL where needed.
export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  max?: number;
  applicationName?: string;
  /** Errors of idle connections (e.g. the server restarting); they must not crash the process. */
  onError?: (error: Error) => void;
}

export function createDb(connectionString: string, options: CreateDbOptions = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 20,
    application_name: options.applicationName ?? 'touchline',
  });
  const onError = options.onError ?? (() => {});
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    // Kysely's destroy() ends the pool only if Kysely itself ran a query on it: a handle used
    // through `pool` alone kept its connections open until the server terminated them.
    close: async () => {
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}
