import { PassThrough, Readable } from 'node:stream';
import { createWorkspace } from '@touchline/db';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestPipeline } from '../pipeline/pipeline.js';
import type { CsvImportKind } from './columns.js';
import { createImport, findImport, listImportErrors, maxStoredImportErrors } from './import-store.js';
import { runImport } from './run-import.js';

let database: TestDatabase;
let pipeline: IngestPipeline;
let workspaceId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  pipeline = new IngestPipeline({ pool: database.pool });
  workspaceId = (await createWorkspace(database.db, 'csv')).id;
});
afterAll(async () => {
  await pipeline.close();
  await database.drop();
});

async function importCsv(
  kind: CsvImportKind,
  input: Readable | string,
  extra: { defaultEvent?: string; chunkRows?: number } = {},
) {
  const created = await createImport(database.db, { workspaceId, kind, fileName: null, createdBy: null });
  const outcome = await runImport({
    db: database.db,
    pipeline,
    workspaceId,
    importId: created.id,
    kind,
    input: typeof input === 'string' ? Readable.from([Buffer.from(input)]) : input,
    revenueProperty: 'revenue',
    ...extra,
  });
  return { id: created.id, outcome };
}

function profile(userId: string) {
  return database.db
    .selectFrom('profiles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
}

describe('runImport', () => {
  it('counts past orders from their own timestamps, and a second upload of the file changes nothing', async () => {
    const csv = [
      'user_id,timestamp,revenue,currency',
      'run-buyer,2023-05-01 09:00:00,19.99,EUR',
      'run-buyer,2023-07-14T18:30:00+02:00,5.01,EUR',
      'run-other,2022-01-01,100,EUR',
    ].join('\n');
    const first = await importCsv('events', csv, { defaultEvent: 'order_completed', chunkRows: 2 });
    expect(first.outcome).toEqual({
      status: 'completed',
      error: null,
      bytesRead: Buffer.byteLength(csv),
      rowsRead: 3,
      rowsImported: 3,
      rowsFailed: 0,
    });
    const buyer = await profile('run-buyer');
    expect(buyer.orders_count).toBe(2);
    expect(Number(buyer.lifetime_value)).toBe(25);
    expect(buyer.last_order_at?.toISOString()).toBe('2023-07-14T16:30:00.000Z');
    expect(buyer.first_seen_at.toISOString()).toBe('2023-05-01T09:00:00.000Z');

    const second = await importCsv('events', csv, { defaultEvent: 'order_completed' });
    expect(second.outcome).toMatchObject({
      status: 'completed',
      rowsRead: 3,
      rowsImported: 0,
      rowsFailed: 0,
    });
    const again = await profile('run-buyer');
    expect(again.orders_count).toBe(2);
    expect(Number(again.lifetime_value)).toBe(25);
  });

  it('stores the good rows and reports each bad one by line and column', async () => {
    const csv = [
      'user_id,event,timestamp,revenue',
      'rows-a,order_completed,2024-01-01,10',
      'rows-b,order_completed,not a date,10',
      '',
      'rows-c,order_completed,2024-01-02,ten',
      'rows-d,"order',
      'completed",2024-01-03,1',
      ',order_completed,2024-01-04,1',
    ].join('\r\n');
    const { id, outcome } = await importCsv('events', csv);
    expect(outcome).toMatchObject({ status: 'completed', rowsRead: 5, rowsImported: 2, rowsFailed: 3 });
    const errors = await listImportErrors(database.db, workspaceId, id, { after: 0, lines: 10 });
    expect(errors).toEqual([
      { line: 3, field: 'timestamp', message: expect.stringContaining('must be an ISO-8601 timestamp') },
      { line: 5, field: 'revenue', message: 'must be a number; got "ten"' },
      { line: 8, field: 'user_id', message: 'a user_id or anonymous_id is required' },
    ]);
    expect((await profile('rows-d')).orders_count).toBe(0); // "order\ncompleted" is another event
    expect((await profile('rows-a')).orders_count).toBe(1);
    const page = await listImportErrors(database.db, workspaceId, id, { after: 3, lines: 1 });
    expect(page.map((e) => e.line)).toEqual([5]);
  });

  it('keeps the first 10,000 row errors and counts them all', async () => {
    const rows = maxStoredImportErrors + 5;
    async function* lines() {
      yield 'user_id,event,timestamp\n';
      for (let i = 0; i < rows; i += 1000) {
        yield `cap-${i},e,never\n`.repeat(Math.min(1000, rows - i));
      }
    }
    const { id, outcome } = await importCsv('events', Readable.from(lines()));
    expect(outcome).toMatchObject({ status: 'completed', rowsRead: rows, rowsFailed: rows });
    const stored = await database.db
      .selectFrom('import_errors')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('import_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(maxStoredImportErrors);
  });

  it('fails a malformed file with the line at fault, keeping the rows before it', async () => {
    const unclosed = await importCsv(
      'profiles',
      'user_id,email\nbad-1,a@example.com\nbad-2,"b@example.com\nbad-3,c@example.com\n',
    );
    expect(unclosed.outcome).toMatchObject({
      status: 'failed',
      error: 'line 3: a quoted field is never closed (the file ends inside it)',
      rowsImported: 1,
    });
    expect((await profile('bad-1')).email).toBe('a@example.com');

    const ragged = await importCsv(
      'profiles',
      'user_id,email\nbad-4,d@example.com\nbad-5,e@example.com,extra\n',
    );
    expect(ragged.outcome.status).toBe('failed');
    expect(ragged.outcome.error).toMatch(/^line 3: .*expect 2, got 3/);

    const header = await importCsv('events', 'user_id,event\nu,e\n');
    expect(header.outcome).toMatchObject({
      status: 'failed',
      error: 'line 1: a timestamp column is required (when each event happened)',
      rowsRead: 0,
    });
    const empty = await importCsv('profiles', '');
    expect(empty.outcome.error).toBe('the file is empty: its first line must name the columns');
    const row = await findImport(database.db, workspaceId, empty.id);
    expect(row?.status).toBe('failed');
    expect(row?.finished_at).toBeInstanceOf(Date);
  });

  it('stops reading a broken file at the fault instead of parsing the rest of it', async () => {
    async function* broken() {
      yield 'user_id,email\nstop-1,"a"b\n';
      for (let i = 0; i < 2000; i++) yield 'x,y,z\n'.repeat(1000); // 12 MB of ragged rows
    }
    const input = Readable.from(broken());
    const { outcome } = await importCsv('profiles', input);
    input.destroy();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^line 2: Invalid Closing Quote/);
    expect(outcome.bytesRead).toBeLessThan(1024 * 1024);
  });

  it('fails an upload that is cut short, keeping the complete rows it had read', async () => {
    const input = new PassThrough();
    const created = await createImport(database.db, {
      workspaceId,
      kind: 'profiles',
      fileName: null,
      createdBy: null,
    });
    const running = runImport({
      db: database.db,
      pipeline,
      workspaceId,
      importId: created.id,
      kind: 'profiles',
      input,
      revenueProperty: 'revenue',
      chunkRows: 1,
    });
    input.write('user_id,email\ncut-1,cut@example.com\ncut-2,cut2@exa');
    while (Number((await findImport(database.db, workspaceId, created.id))?.rows_read) < 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    input.destroy(new Error('socket hang up'));
    const outcome = await running;
    expect(outcome).toMatchObject({ status: 'failed', rowsRead: 1, rowsImported: 1 });
    expect(outcome.error).toBe('the upload was interrupted after 50 bytes (socket hang up)');
    const cut = await database.db
      .selectFrom('profiles')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', 'like', 'cut-%')
      .execute();
    expect(cut.map((p) => p.user_id)).toEqual(['cut-1']);
  });
});
