import { createWorkspace } from '@touchline/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

interface RejectionsPage {
  rejections: Array<{
    id: string;
    receivedAt: string;
    messageId: string | null;
    type: string | null;
    reason: string;
    payload: string;
  }>;
  nextBefore: string | null;
}

describe('GET /api/ingest/rejections', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.database.db.deleteFrom('ingest_rejections').execute();
  });

  const list = (query = '') =>
    t.app.inject({ method: 'GET', url: `/api/ingest/rejections${query}`, headers: adminHeaders });
  const sendBatch = (batch: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/v1/batch', payload: { batch }, headers: writeKeyHeaders });

  it('shows what a sender got wrong in a batch, newest first, with what was sent', async () => {
    const first = await sendBatch([
      { type: 'track', userId: 'u1', event: 'product_viewed', messageId: 'ok-1' },
      { type: 'track', userId: 'u1', messageId: 'no-event', properties: { sku: 'A1' } },
    ]);
    expect(first.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
    const second = await sendBatch([
      { type: 'launch', userId: 'u2', messageId: 'bad-type' },
      { type: 'identify', userId: 'u2', traits: { plan: 'pro' }, messageId: 'ok-2' },
    ]);
    expect(second.statusCode).toBe(200);

    const response = await list();
    expect(response.statusCode).toBe(200);
    const page = response.json() as RejectionsPage;
    expect(page.nextBefore).toBeNull();
    expect(page.rejections).toMatchObject([
      {
        messageId: 'bad-type',
        type: 'launch',
        reason: 'type: must be one of track, identify, page, screen, group, alias',
      },
      { messageId: 'no-event', type: 'track', reason: 'event: is required' },
    ]);
    const noEvent = page.rejections[1];
    expect(JSON.parse(noEvent?.payload ?? '')).toEqual({
      type: 'track',
      userId: 'u1',
      messageId: 'no-event',
      properties: { sku: 'A1' },
    });
    expect(Date.now() - Date.parse(noEvent?.receivedAt ?? '')).toBeLessThan(60_000);
    expect(noEvent?.id).toMatch(/^\d+$/);
  });

  it('pages by id: nextBefore leads to the older ones until the last page', async () => {
    await sendBatch(
      Array.from({ length: 5 }, (_, i) => ({ type: 'track', userId: 'u', messageId: `missing-${i}` })),
    );
    const seen: string[] = [];
    let query = '?limit=2';
    const pages: number[] = [];
    for (;;) {
      const page = (await list(query)).json() as RejectionsPage;
      pages.push(page.rejections.length);
      seen.push(...page.rejections.map((r) => r.messageId ?? ''));
      if (!page.nextBefore) break;
      query = `?limit=2&before=${page.nextBefore}`;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(['missing-4', 'missing-3', 'missing-2', 'missing-1', 'missing-0']);
  });

  it("lists only the caller's workspace", async () => {
    const other = await createWorkspace(t.database.db, 'other');
    await t.database.db
      .insertInto('ingest_rejections')
      .values({
        workspace_id: other.id,
        message_id: 'elsewhere',
        reason: 'event: is required',
        payload: '{}',
      })
      .execute();
    await sendBatch([{ type: 'track', userId: 'u', messageId: 'mine' }]);
    const page = (await list()).json() as RejectionsPage;
    expect(page.rejections.map((r) => r.messageId)).toEqual(['mine']);
  });

  it('names the bad parameter, and takes an admin token rather than the write key', async () => {
    const badBefore = await list('?before=yesterday');
    expect(badBefore.statusCode).toBe(400);
    expect(badBefore.json().message).toMatch(/^querystring\.before: must be a rejection id/);
    const badLimit = await list('?limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().message).toBe('querystring.limit: must be at least 1');
    const tooLarge = await list(`?before=${'9'.repeat(19)}`);
    expect(tooLarge.statusCode).toBe(400);

    const withWriteKey = await t.app.inject({
      method: 'GET',
      url: '/api/ingest/rejections',
      headers: writeKeyHeaders,
    });
    expect(withWriteKey.statusCode).toBe(401);
  });
});
