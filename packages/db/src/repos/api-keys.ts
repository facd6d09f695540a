import type { DbOrTrx } from '../connection.js';
import type { ApiKey, ApiKeyKind } from '../schema.js';

export async function findApiKeyByHash(db: DbOrTrx, tokenHash: string): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function countApiKeys(db: DbOrTrx, workspaceId: string, kind: ApiKeyKind): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Inserts the key unless a key with the same hash exists (idempotent across restarts). */
export async function insertApiKey(
  db: DbOrTrx,
  key: { workspaceId: string; kind: ApiKeyKind; name: string; tokenHash: string; tokenPrefix: string },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      workspace_id: key.workspaceId,
      kind: key.kind,
      name: key.name,
      token_hash: key.tokenHash,
      token_prefix: key.tokenPrefix,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
}
