import type { DbOrTrx } from '../connection.js';

/**
 * The installation's secret of this name, created with `generate()` if there is none yet. Safe
 * when processes start together: the first insert wins and every process reads what it stored.
 */
export async function ensureInstanceSecret(
  db: DbOrTrx,
  name: string,
  generate: () => string,
): Promise<string> {
  await db
    .insertInto('instance_secrets')
    .values({ name, value: generate() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
