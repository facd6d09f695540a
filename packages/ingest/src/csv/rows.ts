import { createHash } from 'node:crypto';
import { type IngestEvent, normalizeMessage } from '../spec/normalize.js';
import type { ColumnPlan, ColumnRole, CsvColumn, CsvImportKind } from './columns.js';
import { convertCell, parseCsvTimestamp, timestampRule } from './values.js';

/** What is wrong with one row: the column (its header as written) and why. */
export interface RowIssue {
  field: string | null;
  message: string;
}

export type RowMessage = { ok: true; message: Record<string, unknown> } | { ok: false; issues: RowIssue[] };
export type RowEvent = { ok: true; event: IngestEvent } | { ok: false; issues: RowIssue[] };

/** Marks what an import stored, so that journeys can tell history from live events. */
export const csvImportSource = 'csv-import';

const maxIssuesPerRow = 10;

/** JSON with object keys sorted: the same values give the same text whatever the column order. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`).join(',')}}`;
}

/**
 * The messageId of a row that names none: a hash of what the row says, so uploading the same
 * file twice stores each row once (an order is not counted twice).
 */
export function csvMessageId(kind: CsvImportKind, fields: Record<string, unknown>): string {
  const hash = createHash('sha256')
    .update(`${kind}\n${stableJson(fields)}`)
    .digest('hex');
  return `csv-${hash.slice(0, 40)}`;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
      node = child as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/**
 * One record as the Segment message it stands for: identify (profiles) or track (events),
 * with empty cells left out. Pure.
 */
export function rowToMessage(plan: ColumnPlan, cells: readonly string[], importId: string): RowMessage {
  const issues: RowIssue[] = [];
  const own: Partial<Record<ColumnRole, string>> = {};
  let timestamp: Date | null = null;
  const data: Record<string, unknown> = {};
  for (const column of plan.columns) {
    const raw = cells[column.index] ?? '';
    if (raw.trim() === '') continue;
    if (column.role === 'data') {
      const cell = convertCell(raw, column.type);
      if (cell.ok) setPath(data, column.path, cell.value);
      else issues.push({ field: column.header, message: cell.message });
    } else if (column.role === 'timestamp') {
      timestamp = parseCsvTimestamp(raw);
      if (!timestamp) issues.push({ field: column.header, message: `${timestampRule}; got "${raw}"` });
      own.timestamp = raw;
    } else {
      own[column.role] = raw.trim();
    }
  }
  const headerOf = (role: ColumnRole, fallback: string) =>
    plan.columns.find((c) => c.role === role)?.header ?? fallback;
  if (!own.userId && !own.anonymousId) {
    issues.push({
      field: headerOf('userId', headerOf('anonymousId', 'user_id')),
      message: 'a user_id or anonymous_id is required',
    });
  }
  const event = own.event ?? plan.defaultEvent;
  if (plan.kind === 'events') {
    if (!event) issues.push({ field: headerOf('event', 'event'), message: 'is required' });
    if (own.timestamp === undefined)
      issues.push({ field: headerOf('timestamp', 'timestamp'), message: 'is required' });
  }
  if (issues.length > 0) return { ok: false, issues: issues.slice(0, maxIssuesPerRow) };

  const ids = { userId: own.userId ?? null, anonymousId: own.anonymousId ?? null };
  const when = timestamp ? { timestamp: timestamp.toISOString() } : {};
  const fields =
    plan.kind === 'profiles'
      ? { ...ids, ...when, traits: data }
      : { ...ids, ...when, event, properties: data };
  return {
    ok: true,
    message: {
      type: plan.kind === 'profiles' ? 'identify' : 'track',
      messageId: own.messageId ?? csvMessageId(plan.kind, fields),
      ...fields,
      context: { source: csvImportSource, importId },
    },
  };
}

const roleOfPath = new Map<string, ColumnRole>([
  ['userId', 'userId'],
  ['anonymousId', 'anonymousId'],
  ['messageId', 'messageId'],
  ['event', 'event'],
  ['timestamp', 'timestamp'],
]);

/** The column a normalizeMessage issue path (`traits.subscriptions.sms`, `userId`) came from. */
function columnOfPath(plan: ColumnPlan, path: string): CsvColumn | undefined {
  const [head, ...rest] = path.split('.');
  if (head === 'traits' || head === 'properties') {
    // The column that set this value, or the :json column it lies inside.
    return plan.columns.find(
      (c) => c.role === 'data' && c.path.length <= rest.length && c.path.every((part, i) => part === rest[i]),
    );
  }
  const role = head ? roleOfPath.get(head) : undefined;
  return role ? plan.columns.find((c) => c.role === role) : undefined;
}

export interface RowOptions {
  workspaceId: string;
  importId: string;
  receivedAt: Date;
}

/**
 * One record through the same validation as the HTTP API: the IngestEvent to store, or the
 * row's issues, each naming its column.
 */
export function normalizeRow(plan: ColumnPlan, cells: readonly string[], options: RowOptions): RowEvent {
  const mapped = rowToMessage(plan, cells, options.importId);
  if (!mapped.ok) return mapped;
  const normalized = normalizeMessage(mapped.message, {
    workspaceId: options.workspaceId,
    receivedAt: options.receivedAt,
  });
  if (normalized.ok) return normalized;
  return {
    ok: false,
    issues: normalized.issues.slice(0, maxIssuesPerRow).map((issue) => ({
      field: columnOfPath(plan, issue.path)?.header ?? (issue.path || null),
      message: issue.message,
    })),
  };
}
