import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, ensureDatabase, migrate, startEmbeddedPostgres } from '@touchline/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import './provided-context.js';

/**
 * One PostgreSQL for the whole test run: DATABASE_URL when set, otherwise an embedded cluster in
 * a temporary directory. It holds one migrated template database that each test file clones, so
 * files are isolated without paying for migrations each time.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'touchline-test-'));
    chmodSync(dataDir, 0o755);
    // Durability settings are off only for this throwaway cluster: tests that check crash safety
    // start servers of their own.
    embedded = await startEmbeddedPostgres({
      dataDir,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    serverUrl = embedded.url;
  }
  const template = `touchline_template_${process.pid}`;
  const templateUrl = await ensureDatabase(serverUrl, template);
  await migrate(templateUrl);
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists ${client.escapeIdentifier(template)} with (force)`);
    await client.end();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
