import { describe, expect, it } from 'vitest';
import { type ColumnPlanOptions, planColumns } from './columns.js';
import { csvMessageId, normalizeRow, rowToMessage } from './rows.js';

const workspaceId = '00000000-0000-4000-8000-000000000001';
const importId = '00000000-0000-4000-8000-0000000000aa';
const receivedAt = new Date('2026-11-20T12:00:00.000Z');

function plan(headers: string[], options: Partial<ColumnPlanOptions> & Pick<ColumnPlanOptions, 'kind'>) {
  const result = planColumns(headers, { revenueProperty: 'revenue', ...options });
  if (!result.ok) throw new Error(result.message);
  return result.plan;
}

const orders = plan(['user_id', 'event', 'timestamp', 'revenue', 'items:json', 'shipping.city'], {
  kind: 'events',
});
const people = plan(['userId', 'email', 'subscriptions.sms', 'plan', 'timestamp'], { kind: 'profiles' });

describe('rowToMessage', () => {
  it('turns an events row into a track call with typed, nested properties and the import as its source', () => {
    const row = rowToMessage(
      orders,
      ['u1', 'order_completed', '2024-03-01 10:00:00', '42.50', '[{"sku":"A"}]', 'Lyon'],
      importId,
    );
    expect(row).toEqual({
      ok: true,
      message: {
        type: 'track',
        messageId: expect.stringMatching(/^csv-[0-9a-f]{40}$/),
        userId: 'u1',
        anonymousId: null,
        event: 'order_completed',
        timestamp: '2024-03-01T10:00:00.000Z',
        properties: { revenue: 42.5, items: [{ sku: 'A' }], shipping: { city: 'Lyon' } },
        context: { source: 'csv-import', importId },
      },
    });
  });

  it('turns a profiles row into an identify call; empty cells are left out and consent is a boolean', () => {
    const row = rowToMessage(people, ['u1', 'ada@example.com', 'false', '', ''], importId);
    expect(row.ok && row.message).toMatchObject({
      type: 'identify',
      userId: 'u1',
      traits: { email: 'ada@example.com', subscriptions: { sms: false } },
    });
    expect(row.ok && 'timestamp' in row.message).toBe(false);
    expect(row.ok && 'plan' in (row.message.traits as object)).toBe(false);
  });

  it('derives the same messageId from the same values, whatever the import or the column order', () => {
    const a = rowToMessage(orders, ['u1', 'order_completed', '2024-03-01T10:00:00Z', '10', '', ''], importId);
    const b = rowToMessage(
      orders,
      ['u1', 'order_completed', '2024-03-01 10:00:00', '10.0', '', ''],
      'another-import',
    );
    const reordered = plan(['revenue', 'timestamp', 'event', 'user_id'], { kind: 'events' });
    const c = rowToMessage(reordered, ['10', '2024-03-01T10:00:00Z', 'order_completed', 'u1'], importId);
    const other = rowToMessage(
      orders,
      ['u1', 'order_completed', '2024-03-01T10:00:00Z', '11', '', ''],
      importId,
    );
    const ids = [a, b, c, other].map((r) => (r.ok ? r.message.messageId : null));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[3]);
    expect(ids[0]).toBe(
      csvMessageId('events', {
        userId: 'u1',
        anonymousId: null,
        timestamp: '2024-03-01T10:00:00.000Z',
        event: 'order_completed',
        properties: { revenue: 10 },
      }),
    );
  });

  it('keeps a messageId the row names', () => {
    const withId = plan(['user_id', 'event', 'timestamp', 'Message ID'], { kind: 'events' });
    const row = rowToMessage(withId, ['u1', 'e', '2024-03-01', 'ord-1001'], importId);
    expect(row.ok && row.message.messageId).toBe('ord-1001');
  });

  it('gives rows without an event the default event of the upload', () => {
    const defaulted = plan(['user_id', 'event', 'timestamp'], {
      kind: 'events',
      defaultEvent: 'order_completed',
    });
    const row = rowToMessage(defaulted, ['u1', '', '2024-03-01'], importId);
    expect(row.ok && row.message.event).toBe('order_completed');
  });

  it('reports every bad cell of a row by its column header', () => {
    const row = rowToMessage(orders, ['', 'order_completed', 'last tuesday', 'a lot', '{', ''], importId);
    expect(row).toEqual({
      ok: false,
      issues: [
        { field: 'timestamp', message: expect.stringContaining('must be an ISO-8601 timestamp') },
        { field: 'revenue', message: 'must be a number; got "a lot"' },
        { field: 'items', message: 'must be JSON; got "{"' },
        { field: 'user_id', message: 'a user_id or anonymous_id is required' },
      ],
    });
    const missing = rowToMessage(orders, ['u1', '', '', '', '', ''], importId);
    expect(missing.ok ? [] : missing.issues).toEqual([
      { field: 'event', message: 'is required' },
      { field: 'timestamp', message: 'is required' },
    ]);
  });
});

describe('normalizeRow', () => {
  it('applies the HTTP API validation and maps its issues back to columns', () => {
    const tooOld = normalizeRow(orders, ['u1', 'order_completed', '1969-12-31', '', '', ''], {
      workspaceId,
      importId,
      receivedAt,
    });
    expect(tooOld).toEqual({
      ok: false,
      issues: [
        { field: 'timestamp', message: 'must be after 1970 and at most 24 hours ahead of the server clock' },
      ],
    });
    const longId = normalizeRow(people, ['x'.repeat(600), '', '', '', ''], {
      workspaceId,
      importId,
      receivedAt,
    });
    expect(longId.ok ? [] : longId.issues).toEqual([
      { field: 'userId', message: 'must be at most 512 characters' },
    ]);
    const nul = normalizeRow(orders, ['u1', 'e', '2024-03-01', '', '', 'a\u0000b'], {
      workspaceId,
      importId,
      receivedAt,
    });
    expect(nul.ok ? [] : nul.issues).toEqual([
      { field: 'shipping.city', message: 'must not contain NUL characters' },
    ]);
  });

  it('gives a valid row as the IngestEvent the pipeline stores', () => {
    const row = normalizeRow(orders, ['u1', 'order_completed', '2024-03-01T10:00:00Z', '5', '', ''], {
      workspaceId,
      importId,
      receivedAt,
    });
    expect(row.ok && row.event).toMatchObject({
      workspaceId,
      type: 'track',
      event: 'order_completed',
      userId: 'u1',
      timestamp: new Date('2024-03-01T10:00:00Z'),
      receivedAt,
      properties: { revenue: 5 },
      context: { source: 'csv-import', importId },
    });
  });
});
