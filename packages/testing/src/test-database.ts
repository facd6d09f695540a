import { randomBytes } from 'node:crypto';
import { createDb, type DbHandle } from '@touchline/db';
import pg from 'pg';
import { inject } from 'vitest';
import './provided-context.js';

export interface TestDatabase extends DbHandle {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgServerUrl');
  const template = inject('pgTemplateDatabase');
  const name = `touchline_test_${randomBytes(6).toString('hex')}`;
  await withServer(serverUrl, (client) =>
    client.query(
      `create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(template)}`,
    ),
  );
  const url = databaseUrl(serverUrl, name);
  const handle = createDb(url, { max: 10 });
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      await withServer(serverUrl, (client) =>
        client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`),
      );
    },
  };
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs one query on its own connection and returns the rows. */
export function queryRows<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  return withServer(url, async (client) => (await client.query<T>(text)).rows);
}
