import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
// @touchline/testing depends on this package, so its helpers are imported by path, not by name.
import {
  createTestDatabase,
  databaseUrl,
  queryRows as query,
  type TestDatabase,
} from '../../testing/src/index.js';
import { migrate, readMigrations } from './migrate.js';

async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = inject('pgServerUrl');
  const name = `touchline_empty_${Math.random().toString(36).slice(2, 10)}`;
  await query(server, `create database ${name}`);
  return {
    url: databaseUrl(server, name),
    drop: async () => {
      await query(server, `drop database if exists ${name} with (force)`);
    },
  };
}

describe('migrate', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('applies every migration in order and records each once', async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    const first = await migrate(db.url);
    expect(first.applied).toEqual(readMigrations().map((m) => m.name));
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);
    const rows = await query<{ name: string }>(db.url, 'select name from touchline_migrations order by name');
    expect(rows.map((r) => r.name)).toEqual(first.applied);
    const worker = await query(db.url, "select 1 from pg_namespace where nspname = 'graphile_worker'");
    expect(worker).toHaveLength(1);
  });

  it('lets processes that start at the same time migrate without a conflict', async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    const applied = results.flatMap((r) => r.applied).sort();
    expect(applied).toEqual(
      readMigrations()
        .map((m) => m.name)
        .sort(),
    );
  });

  it('refuses to start when an applied migration file has been edited', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'touchline-migrations-'));
    writeFileSync(path.join(dir, '0001_one.sql'), 'create table one (workspace_id uuid);');
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    await migrate(db.url, { dir });
    writeFileSync(path.join(dir, '0001_one.sql'), 'create table one (workspace_id uuid, extra int);');
    await expect(migrate(db.url, { dir })).rejects.toThrow(/0001_one was changed after it was applied/);
  });

  it('rolls back a failing migration and names it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'touchline-migrations-'));
    writeFileSync(path.join(dir, '0001_good.sql'), 'create table good (workspace_id uuid);');
    writeFileSync(path.join(dir, '0002_bad.sql'), 'create table half (workspace_id uuid); select nope;');
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    await expect(migrate(db.url, { dir })).rejects.toThrow(/migration 0002_bad failed/);
    const tables = await query<{ tablename: string }>(
      db.url,
      "select tablename from pg_tables where tablename in ('good', 'half')",
    );
    expect(tables.map((t) => t.tablename)).toEqual(['good']);
  });
});

describe('schema', () => {
  let db: TestDatabase;
  afterEach(async () => db?.drop());

  it('gives every Touchline table a workspace_id, except workspaces itself and installation-wide ones', async () => {
    db = await createTestDatabase();
    // The migrations applied, and the secrets that sign tracking links for every workspace (a
    // token is verified before anything, its workspace included, is looked up).
    const rows = await query<{ table_name: string; has: boolean }>(
      db.url,
      `select t.table_name, exists (
         select 1 from information_schema.columns c
         where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'workspace_id'
       ) as has
       from information_schema.tables t
       where t.table_schema = 'public' and t.table_name not in ('workspaces', 'touchline_migrations', 'instance_secrets')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.filter((r) => !r.has).map((r) => r.table_name)).toEqual([]);
  });
});
