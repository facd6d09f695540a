import { finished, type Readable, Transform } from 'node:stream';
import type { Db } from '@touchline/db';
import { type CsvError, parse } from 'csv-parse';
import { IngestOverloaded, type IngestPipeline, type IngestResult } from '../pipeline/pipeline.js';
import type { IngestEvent } from '../spec/normalize.js';
import { type ColumnPlan, type CsvImportKind, planColumns } from './columns.js';
import {
  finishImport,
  type ImportErrorRow,
  type ImportProgress,
  insertImportErrors,
  maxStoredImportErrors,
  recordImportProgress,
} from './import-store.js';
import { normalizeRow } from './rows.js';

export interface RunImportOptions {
  db: Db;
  pipeline: IngestPipeline;
  workspaceId: string;
  /** The `imports` row, created (status running) by the caller. */
  importId: string;
  kind: CsvImportKind;
  /**
   * The CSV, UTF-8. It is read to its end, or until the CSV turns out malformed; it is never
   * destroyed here (an HTTP request must stay open to be answered).
   */
  input: Readable;
  /** The event of rows without one (`?event=order_completed`). */
  defaultEvent?: string | null;
  /** The workspace's revenue property; that events column is read as a number. */
  revenueProperty: string;
  /** Rows per pipeline call; each call is awaited, which is what keeps memory flat. */
  chunkRows?: number;
}

export interface ImportOutcome extends ImportProgress {
  status: 'completed' | 'failed';
  error: string | null;
}

/** A chunk is also written early when its JSON passes this size (rows may be up to 32 KB). */
const maxChunkBytes = 4 * 1024 * 1024;
const maxErrorMessage = 1000;

/** A malformed CSV (unclosed quote, wrong number of fields…) as the import's error, with its line. */
function describeCsvError(error: CsvError, line: number): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `line ${line}: a quoted field is never closed (the file ends inside it)`;
  }
  // csv-parse's own words say where the record ends ("… on line 7"); ours, where it starts.
  return `line ${line}: ${error.message}`;
}

function lineBreaksIn(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    if (cell.includes('\n') || cell.includes('\r')) breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return breaks;
}

/** A record's cells, with its position: `index` 1 is the header, `line` is where it starts. */
type ParsedRecord = string[] & { index: number; line: number };

/**
 * Streams one CSV upload into the ingestion pipeline: the first line names the columns, each
 * further record becomes an identify (profiles) or track (events) message, validated as the
 * HTTP API validates, and ~1,000 rows at a time go through `pipeline.ingest`. Progress and the
 * first 10,000 row errors are written to the `imports` row after every chunk, so it can be
 * watched while the upload streams. Resolves with the finished import; rejects only when
 * storing fails (the import is then marked failed).
 */
export async function runImport(options: RunImportOptions): Promise<ImportOutcome> {
  const { db, pipeline, workspaceId, importId, kind, input } = options;
  const chunkRows = options.chunkRows ?? 1000;
  const progress: ImportProgress = { bytesRead: 0, rowsRead: 0, rowsImported: 0, rowsFailed: 0 };
  let bytesRead = 0;
  let errorsStored = 0;

  let pending: IngestEvent[] = [];
  let pendingErrors: ImportErrorRow[] = [];
  let pendingRows = 0;
  let pendingFailed = 0;
  let pendingBytes = 0;
  let receivedAt = new Date();

  const flush = async () => {
    if (pendingRows === 0) return;
    const result =
      pending.length > 0 ? await ingestPatiently(pipeline, pending) : { accepted: 0, duplicates: 0 };
    progress.rowsRead += pendingRows;
    progress.rowsImported += result.accepted;
    progress.rowsFailed += pendingFailed;
    progress.bytesRead = bytesRead;
    const kept = pendingErrors.slice(0, Math.max(0, maxStoredImportErrors - errorsStored));
    errorsStored += kept.length;
    await db.transaction().execute(async (trx) => {
      await insertImportErrors(trx, workspaceId, importId, kept);
      await recordImportProgress(trx, workspaceId, importId, progress);
    });
    pending = [];
    pendingErrors = [];
    pendingRows = 0;
    pendingFailed = 0;
    pendingBytes = 0;
    receivedAt = new Date();
  };

  const finish = async (status: ImportOutcome['status'], error: string | null): Promise<ImportOutcome> => {
    progress.bytesRead = bytesRead;
    const outcome = { ...progress, status, error: error?.slice(0, maxErrorMessage) ?? null };
    await finishImport(db, workspaceId, importId, outcome);
    return outcome;
  };

  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesRead += chunk.length;
      callback(null, chunk);
    },
  });
  // Line numbers are counted here, not taken from csv-parse, which counts a CRLF inside a
  // quoted field as two lines: a record starts after the previous one's lines and any blank lines.
  let nextLine = 1;
  let lastEmpty = 0;
  let parsed = 0;
  let fault: { afterRecord: number; message: string } | null = null;
  const parser = parse({
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
    // A malformed record is noted and the parse stops after the records before it: a thrown
    // error would destroy the parser and drop the good records it still holds.
    skip_records_with_error: true,
    on_skip: (error) => {
      if (fault || !error) return;
      const line = nextLine + (parser.info.empty_lines - lastEmpty);
      fault = { afterRecord: parsed, message: describeCsvError(error, line) };
      // Read no further: the parser would otherwise go on through the rest of a broken file
      // (now, not on a later tick: a fast source would feed it all before the tick came).
      input.unpipe(counter);
      counter.end();
    },
    on_record: (cells, context): ParsedRecord => {
      const line = nextLine + (context.empty_lines - lastEmpty);
      lastEmpty = context.empty_lines;
      nextLine = line + 1 + lineBreaksIn(cells);
      parsed++;
      return Object.assign(cells, { index: parsed, line });
    },
  });
  // pipe() does not pass errors on: an upload cut short must end the parse, not hang it.
  let inputError: Error | undefined;
  const stopWatching = finished(input, { writable: false }, (error) => {
    if (error && !parser.destroyed) {
      inputError = error;
      parser.destroy(error);
    }
  });
  input.pipe(counter).pipe(parser);

  let plan: ColumnPlan | null = null;

  /** Reads every record; resolves with what is wrong with the file, or null when all of it was read. */
  const readRecords = async (): Promise<string | null> => {
    try {
      for await (const cells of parser as AsyncIterable<ParsedRecord>) {
        const { index, line } = cells;
        if (fault && index > fault.afterRecord) break;
        if (!plan) {
          const planned = planColumns(cells, {
            kind,
            defaultEvent: options.defaultEvent ?? null,
            revenueProperty: options.revenueProperty,
          });
          if (!planned.ok) return `line ${line}: ${planned.message}`;
          plan = planned.plan;
          continue;
        }
        if (cells.every((cell) => cell.trim() === '')) continue; // a row of bare delimiters
        pendingRows++;
        const row = normalizeRow(plan, cells, { workspaceId, importId, receivedAt });
        if (row.ok) {
          pending.push(row.event);
          pendingBytes += row.event.propertiesJson.length + row.event.contextJson.length;
        } else {
          pendingFailed++;
          for (const issue of row.issues) {
            pendingErrors.push({
              line,
              field: issue.field?.slice(0, 200) ?? null,
              message: issue.message.slice(0, maxErrorMessage),
            });
          }
        }
        if (pendingRows >= chunkRows || pendingBytes >= maxChunkBytes) await flush();
      }
    } catch (error) {
      if (error === inputError) {
        return `the upload was interrupted after ${bytesRead} bytes (${(error as Error).message})`;
      }
      throw error;
    }
    if (fault) return fault.message;
    return plan ? null : 'the file is empty: its first line must name the columns';
  };

  try {
    const problem = await readRecords();
    // Rows before a fault are good: they are stored, and the error says where the file broke.
    await flush();
    return await finish(problem ? 'failed' : 'completed', problem);
  } catch (error) {
    await finish('failed', 'storing the rows failed; the rows before the failure are stored').catch(() => {});
    throw error;
  } finally {
    stopWatching();
    input.unpipe(counter);
  }
}

/** An import waits its turn when live traffic fills the pipeline, rather than failing. */
async function ingestPatiently(pipeline: IngestPipeline, events: IngestEvent[]): Promise<IngestResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await pipeline.ingest(events);
    } catch (error) {
      if (!(error instanceof IngestOverloaded)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
    }
  }
}
