import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDb, type DbHandle } from './connection.js';

/** The backends connected with this application name, as the server sees them. */
async function connections(applicationName: string): Promise<number> {
  const probe = createDb(inject('pgServerUrl'), { max: 1 });
  try {
    const { rows } = await probe.pool.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    return rows[0]?.n ?? -1;
  } finally {
    await probe.close();
  }
}

describe('createDb', () => {
  let handle: DbHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  it('closes the connections of a pool that only raw queries used', async () => {
    const name = `touchline-close-${Math.random().toString(36).slice(2, 8)}`;
    handle = createDb(inject('pgServerUrl'), { applicationName: name });
    await Promise.all([handle.pool.query('select 1'), handle.pool.query('select 2')]);
    expect(await connections(name)).toBe(2);
    await handle.close();
    expect(await connections(name)).toBe(0);
  });

  it('closes the connections Kysely opened, once, however often close is called', async () => {
    const name = `touchline-close-${Math.random().toString(36).slice(2, 8)}`;
    handle = createDb(inject('pgServerUrl'), { applicationName: name });
    await handle.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
    expect(await connections(name)).toBe(1);
    await handle.close();
    await handle.close();
    expect(await connections(name)).toBe(0);
  });
});
