import { Readable } from 'node:stream';
import { findWorkspace, type Import } from '@touchline/db';
import {
  createImport,
  findImport,
  type ImportErrorRow,
  ingestSettingsOf,
  listImportErrors,
  listImports,
  runImport,
} from '@touchline/ingest';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { decompressBodies } from '../v1/decompress.js';

const tags = ['imports'];
const kinds = ['profiles', 'events'] as const;

const idParams = z.object({ id: z.uuid({ error: 'must be an import id (a UUID)' }) });
const importError = z.object({
  line: z.number().int().describe('the line of the file, 1 being the header'),
  field: z.string().nullable().describe('the column, as its header names it'),
  message: z.string(),
});
const importSummary = z.object({
  id: z.uuid(),
  kind: z.enum(kinds),
  status: z.enum(['running', 'completed', 'failed']),
  fileName: z.string().nullable(),
  bytesRead: z.number().int(),
  rowsRead: z.number().int(),
  rowsImported: z.number().int().describe('rows stored by this import'),
  rowsDuplicate: z.number().int().describe('valid rows already stored (by an earlier upload of them)'),
  rowsFailed: z.number().int(),
  error: z.string().nullable().describe('why a failed import stopped, with the line'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
const importDetail = importSummary.extend({
  errors: z.array(importError).describe('the first 20 row errors; all of them at /errors'),
});

function summaryOf(row: Import): z.infer<typeof importSummary> {
  const rowsRead = Number(row.rows_read);
  const rowsImported = Number(row.rows_imported);
  const rowsFailed = Number(row.rows_failed);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.file_name,
    bytesRead: Number(row.bytes_read),
    rowsRead,
    rowsImported,
    rowsDuplicate: rowsRead - rowsImported - rowsFailed,
    rowsFailed,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** `text/csv`, with no charset or UTF-8: what the parser reads. */
function checkCsvContentType(request: FastifyRequest): void {
  const header = request.headers['content-type'] ?? '';
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'text/csv') {
    throw new AppError(
      'unsupported_media_type',
      `headers.content-type: send the CSV file as the body with "Content-Type: text/csv" (got "${header}")`,
    );
  }
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  if (charset && !['utf-8', 'utf8', 'us-ascii'].includes(charset.replaceAll('"', ''))) {
    throw new AppError(
      'unsupported_media_type',
      `headers.content-type: the CSV must be UTF-8 (got charset=${charset})`,
    );
  }
}

/**
 * Bulk CSV import of profiles and of past events (orders). The upload is the raw request
 * body, streamed into the ingestion pipeline as it arrives — a 1 GB file never sits in memory
 * — and answered once it is all stored. Its progress is readable meanwhile.
 */
export async function importRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // A scope of its own: the CSV body parser and gunzip hook apply to these routes only.
  await app.register(async (scope) => {
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const { db } = services;
    // The request stream itself is the body: the import reads it, so no body limit applies.
    scope.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
    decompressBodies(scope);

    r.post(
      '/imports',
      {
        onRequest: async (request) => checkCsvContentType(request),
        schema: {
          tags,
          summary: 'Import profiles or past events from a CSV file',
          description:
            'The body is the CSV file (`Content-Type: text/csv`, UTF-8, optionally `Content-Encoding: gzip`); ' +
            'the first line names the columns. Profiles: `user_id` or `anonymous_id`, then any traits ' +
            '(`email`, `phone`, `subscriptions.sms`…). Events: `user_id` or `anonymous_id`, `event` (or the ' +
            '`event` parameter), `timestamp`, optional `message_id`, then properties. A header suffix ' +
            '`:number`, `:boolean`, `:date` or `:json` types a column. Answers when every row is stored; ' +
            'uploading the same file again stores nothing twice.',
          querystring: z.object({
            kind: z.enum(kinds, { error: 'must be "profiles" or "events"' }),
            fileName: z.string().trim().max(500).optional(),
            event: z
              .string()
              .trim()
              .min(1, { error: 'must not be empty' })
              .max(200)
              .optional()
              .describe('the event of rows without an event column or cell, e.g. order_completed'),
          }),
          response: { 201: importDetail },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const { workspaceId } = principal;
        const input = request.body;
        if (!(input instanceof Readable)) {
          throw new AppError('unsupported_media_type', 'headers.content-type: the body must be text/csv');
        }
        const { kind, fileName, event } = request.query;
        const workspace = await findWorkspace(db, workspaceId);
        const { revenueProperty } = ingestSettingsOf(workspace?.settings);
        const created = await createImport(db, {
          workspaceId,
          kind,
          fileName: fileName || null,
          createdBy: principal.kind === 'member' ? principal.memberId : null,
        });
        try {
          await runImport({
            db,
            pipeline: services.ingest,
            workspaceId,
            importId: created.id,
            kind,
            input,
            defaultEvent: event ?? null,
            revenueProperty,
          });
        } finally {
          if (!input.readableEnded) {
            // Stopped early (a malformed file): discard the rest, and let the client go.
            reply.header('connection', 'close');
            input.resume();
          }
        }
        const row = await findImport(db, workspaceId, created.id);
        if (!row) throw notFound(`import ${created.id} not found`);
        const errors = await listImportErrors(db, workspaceId, created.id, { after: 0, lines: 20 });
        return reply.status(201).send({ ...summaryOf(row), errors: errors.slice(0, 20) });
      },
    );

    r.get(
      '/imports',
      {
        schema: {
          tags,
          summary: 'List imports, latest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ imports: z.array(importSummary) }) },
        },
      },
      async (request) => ({
        imports: (await listImports(db, requirePrincipal(request).workspaceId, request.query.limit)).map(
          summaryOf,
        ),
      }),
    );

    r.get(
      '/imports/:id',
      {
        schema: {
          tags,
          summary: 'An import and its progress (updated while the upload streams)',
          params: idParams,
          response: { 200: importDetail },
        },
      },
      async (request) => {
        const { workspaceId } = requirePrincipal(request);
        const row = await findImport(db, workspaceId, request.params.id);
        if (!row) throw notFound(`import ${request.params.id} not found`);
        const errors = await listImportErrors(db, workspaceId, row.id, { after: 0, lines: 20 });
        return { ...summaryOf(row), errors: errors.slice(0, 20) };
      },
    );

    r.get(
      '/imports/:id/errors',
      {
        schema: {
          tags,
          summary: "An import's row errors, by line",
          description:
            'The first 10,000 errors are kept. Pages hold whole lines: pass the `nextAfter` of a page as `after`.',
          params: idParams,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(1000).default(100).describe('lines per page'),
            after: z.coerce.number().int().min(0).default(0).describe('the last line of the previous page'),
          }),
          response: {
            200: z.object({ errors: z.array(importError), nextAfter: z.number().int().nullable() }),
          },
        },
      },
      async (request) => {
        const { workspaceId } = requirePrincipal(request);
        const row = await findImport(db, workspaceId, request.params.id);
        if (!row) throw notFound(`import ${request.params.id} not found`);
        const { limit, after } = request.query;
        const errors: ImportErrorRow[] = await listImportErrors(db, workspaceId, row.id, {
          after,
          lines: limit,
        });
        const lines = new Set(errors.map((e) => e.line));
        const last = errors.at(-1)?.line;
        return { errors, nextAfter: lines.size === limit && last !== undefined ? last : null };
      },
    );
  });
}
