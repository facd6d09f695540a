import type { DbOrTrx, Import, ImportKind, ImportStatus } from '@touchline/db';
import { sql } from 'kysely';

/** The `imports` and `import_errors` rows of CSV uploads; every query is scoped by workspace. */

/** An import's error report keeps this many errors; rows_failed counts every failed row. */
export const maxStoredImportErrors = 10_000;

export interface ImportProgress {
  bytesRead: number;
  rowsRead: number;
  rowsImported: number;
  rowsFailed: number;
}

export interface ImportErrorRow {
  line: number;
  field: string | null;
  message: string;
}

export async function createImport(
  db: DbOrTrx,
  values: { workspaceId: string; kind: ImportKind; fileName: string | null; createdBy: string | null },
): Promise<Import> {
  return db
    .insertInto('imports')
    .values({
      workspace_id: values.workspaceId,
      kind: values.kind,
      file_name: values.fileName,
      created_by: values.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function progressColumns(progress: ImportProgress) {
  return {
    bytes_read: progress.bytesRead,
    rows_read: progress.rowsRead,
    rows_imported: progress.rowsImported,
    rows_failed: progress.rowsFailed,
    updated_at: sql<Date>`now()`,
  };
}

export async function recordImportProgress(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  progress: ImportProgress,
): Promise<void> {
  await db
    .updateTable('imports')
    .set(progressColumns(progress))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function finishImport(
  db: DbOrTrx,
  workspaceId: string,
  id: string,
  outcome: ImportProgress & { status: Exclude<ImportStatus, 'running'>; error: string | null },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      ...progressColumns(outcome),
      status: outcome.status,
      error: outcome.error,
      finished_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Whole columns as arrays: a chunk's errors cost one statement and five parameters. */
export async function insertImportErrors(
  db: DbOrTrx,
  workspaceId: string,
  importId: string,
  errors: readonly ImportErrorRow[],
): Promise<void> {
  if (errors.length === 0) return;
  await sql`
    insert into import_errors (workspace_id, import_id, line, field, message)
    select ${workspaceId}::uuid, ${importId}::uuid, e.line, e.field, e.message
      from unnest(${errors.map((e) => e.line)}::bigint[], ${errors.map((e) => e.field)}::text[],
                  ${errors.map((e) => e.message)}::text[]) as e(line, field, message)
    on conflict do nothing`.execute(db);
}

export async function findImport(db: DbOrTrx, workspaceId: string, id: string): Promise<Import | undefined> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Latest first. */
export async function listImports(db: DbOrTrx, workspaceId: string, limit: number): Promise<Import[]> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * The errors of the next `lines` failed lines after line `after`: a page never splits the
 * errors of one line, so `after` = the last line seen is a complete cursor.
 */
export async function listImportErrors(
  db: DbOrTrx,
  workspaceId: string,
  importId: string,
  page: { after: number; lines: number },
): Promise<ImportErrorRow[]> {
  const rows = await db
    .selectFrom('import_errors')
    .select(['line', 'field', 'message'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .where('line', 'in', (qb) =>
      qb
        .selectFrom('import_errors')
        .select('line')
        .distinct()
        .where('workspace_id', '=', workspaceId)
        .where('import_id', '=', importId)
        .where('line', '>', String(page.after))
        .orderBy('line')
        .limit(page.lines),
    )
    .orderBy('line')
    .orderBy('message')
    .execute();
  return rows.map((r) => ({ line: Number(r.line), field: r.field, message: r.message }));
}
