import { type ApiKeyKind, type Db, findApiKeyByHash } from '@touchline/db';
import { hashToken } from './secrets.js';

export interface ResolvedKey {
  workspaceId: string;
  kind: ApiKeyKind;
}

/**
 * Resolves API keys to their workspace. Ingestion authenticates every request, so hits are
 * cached briefly; a revoked key stops working within `ttlMs`.
 */
export class KeyResolver {
  private readonly cache = new Map<string, { key: ResolvedKey; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(token: string): Promise<ResolvedKey | undefined> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.key;
    const row = await findApiKeyByHash(this.db, hash);
    if (!row) {
      this.cache.delete(hash);
      return undefined;
    }
    const key = { workspaceId: row.workspace_id, kind: row.kind };
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(hash, { key, until: now + this.ttlMs });
    return key;
  }
}
