import type { IdentityKey, KnownIdentity } from './identities.js';

const keyOf = (k: IdentityKey) => `${k.workspaceId}\u0001${k.kind}\u0001${k.value}`;

/**
 * Identities already resolved, so a known user's events skip the lookup query. An entry can go
 * stale when another process merges or re-identifies a profile; the store checks every
 * assumption it acts on (the profile is not merged, its user id is what the plan believed), a
 * stale entry makes the group retry without the cache, and the retry refreshes the entries.
 * Bounded, oldest entries out first.
 */
export class IdentityCache {
  readonly #entries = new Map<string, KnownIdentity>();

  constructor(private readonly capacity = 200_000) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Splits keys into what the cache knows and what must be loaded. */
  partition(keys: readonly IdentityKey[]): { known: KnownIdentity[]; missing: IdentityKey[] } {
    const known: KnownIdentity[] = [];
    const missing: IdentityKey[] = [];
    const knownUsers = new Set<string>();
    for (const k of keys) {
      const hit = this.#entries.get(keyOf(k));
      if (hit) {
        known.push(hit);
        if (k.kind === 'user_id') knownUsers.add(`${k.workspaceId}\u0001${k.value}`);
      }
    }
    for (const k of keys) {
      if (this.#entries.has(keyOf(k))) continue;
      // A known user id never resolves through an alias of the same value: skip that lookup.
      if (k.kind === 'alias' && knownUsers.has(`${k.workspaceId}\u0001${k.value}`)) continue;
      missing.push(k);
    }
    return { known, missing };
  }

  remember(identities: readonly KnownIdentity[]): void {
    for (const identity of identities) {
      const k = keyOf(identity);
      this.#entries.delete(k);
      this.#entries.set(k, identity);
    }
    const excess = this.#entries.size - this.capacity;
    if (excess > 0) {
      let n = 0;
      for (const k of this.#entries.keys()) {
        if (n++ >= excess) break;
        this.#entries.delete(k);
      }
    }
  }

  forget(keys: readonly IdentityKey[]): void {
    for (const k of keys) this.#entries.delete(keyOf(k));
  }
}
