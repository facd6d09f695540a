import { createDb, startEmbeddedPostgres } from '@touchline/db';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, killGroup, processFixture, startTouchline } from './process.js';

const writeKey = 'tl_write_crash_test_0123456789';
const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

describe('ingestion durability', () => {
  const { dataDir, children, cleanUp } = processFixture('touchline-crash-');
  afterAll(cleanUp);

  it('kill -9 of Touchline and its PostgreSQL during a load loses no acknowledged batch', async () => {
    const env = { TOUCHLINE_WRITE_KEY: writeKey };
    const first = await startTouchline(dataDir, env);
    children.push(first.child);

    const acknowledged: string[] = [];
    let sent = 0;
    let crashed = false;
    const client = async (clientId: number) => {
      for (let n = 0; !crashed; n++) {
        const ids = Array.from({ length: 100 }, (_, i) => `c${clientId}-b${n}-e${i}`);
        const batch = ids.map((messageId, i) => ({
          type: i % 10 === 0 ? 'identify' : 'track',
          event: 'product_viewed',
          userId: `user-${(clientId * 7919 + n * 100 + i) % 500}`,
          traits: { plan: 'pro' },
          properties: { sku: `sku-${i}` },
          messageId,
        }));
        sent++;
        try {
          const response = await fetch(`${first.url}/v1/batch`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ batch }),
          });
          if (response.status === 200) acknowledged.push(...ids);
          await response.arrayBuffer();
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, i) => client(i));
    // Crash in the middle of the load, with groups being written.
    const deadline = Date.now() + 60_000;
    while (acknowledged.length < 20_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(20_000);
    killGroup(first.child);
    crashed = true;
    await exitOf(first.child);
    await Promise.all(clients);
    expect(sent * 100).toBeGreaterThan(acknowledged.length);

    // Restart on the same data: PostgreSQL recovers from its WAL.
    const second = await startTouchline(dataDir, env);
    children.push(second.child);
    const postgres = await startEmbeddedPostgres({ dataDir });
    const db = createDb(postgres.url.replace(/\/[^/]*$/, '/touchline'), { max: 1 });
    try {
      const { rows } = await db.pool.query<{ found: string }>(
        'select count(*) as found from events where message_id = any($1::text[])',
        [acknowledged],
      );
      expect(Number(rows[0]?.found)).toBe(acknowledged.length);
      // And the pipeline still works after the crash.
      const after = await fetch(`${second.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'user-1', event: 'after_crash', messageId: 'after-crash' }),
      });
      expect(after.status).toBe(200);
    } finally {
      await db.pool.end();
    }
    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);
  }, 120_000);
});
