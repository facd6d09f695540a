import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { bootstrap } from './bootstrap.js';

describe('the tracking links’ secret', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database.drop());

  it('is generated on the first start, stored, and the same on every later start and process', async () => {
    const config = loadConfig({});
    const [first, second] = await Promise.all([
      bootstrap(database.db, config),
      bootstrap(database.db, config),
    ]);
    expect(first.trackingSecrets).toHaveLength(1);
    expect(first.trackingSecrets[0]).toMatch(/^tl_secret_[A-Za-z0-9_-]{32}$/);
    expect(second.trackingSecrets).toEqual(first.trackingSecrets);
    expect((await bootstrap(database.db, config)).trackingSecrets).toEqual(first.trackingSecrets);
    // Never printed: nobody needs to type it.
    expect(JSON.stringify(first.generated)).not.toContain(first.trackingSecrets[0]);
  });

  it('comes from TOUCHLINE_SECRET when set, comma-separated for rotation', async () => {
    const config = loadConfig({ TOUCHLINE_SECRET: 'new-secret-0123456789, old-secret-0123456789' });
    expect((await bootstrap(database.db, config)).trackingSecrets).toEqual([
      'new-secret-0123456789',
      'old-secret-0123456789',
    ]);
  });
});
