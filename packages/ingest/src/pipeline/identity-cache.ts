import type { IngestEvent } from '../spec/normalize.js';
import type { IdentityKey, IdentityKind, KnownIdentity } from './identities.js';

const prefix: Record<IdentityKind, string> = { user_id: 'u:', anonymous_id: 'a:', alias: 'l:' };

/**
 * Identities already resolved, so a known person's events skip the lookup query and the
 * planner. An entry can go stale when another process merges or re-identifies a profile; the
 * store checks every assumption it acts on (the profile is not merged, its user id is what the
 * plan believed), a stale entry makes the group retry without the cache, and the retry
 * refreshes the entries. Bounded: oldest entries out first.
 */
export class IdentityCache {
  readonly #workspaces = new Map<string, Map<string, KnownIdentity>>();
  #size = 0;

  constructor(private readonly capacity = 200_000) {}

  get size(): number {
    return this.#size;
  }

  #get(workspaceId: string, kind: IdentityKind, value: string): KnownIdentity | undefined {
    return this.#workspaces.get(workspaceId)?.get(prefix[kind] + value);
  }

  /**
   * The profile of each event when every event is a known person with nothing new to link (the
   * usual case: no planning, no lookups); undefined as soon as one event needs the planner.
   */
  resolveAll(events: readonly IngestEvent[]): string[] | undefined {
    const profileOf: string[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as IngestEvent;
      if (e.type === 'alias') return undefined;
      const entries = this.#workspaces.get(e.workspaceId);
      if (!entries) return undefined;
      let profileId: string | undefined;
      if (e.userId) {
        const user = entries.get(`u:${e.userId}`);
        if (!user) return undefined;
        profileId = user.profileId;
      }
      if (e.anonymousId) {
        const anonymous = entries.get(`a:${e.anonymousId}`);
        if (!anonymous || (profileId !== undefined && anonymous.profileId !== profileId)) return undefined;
        profileId = anonymous.profileId;
      }
      profileOf[i] = profileId as string;
    }
    return profileOf;
  }

  /** Splits keys into what the cache knows and what must be loaded. */
  partition(keys: readonly IdentityKey[]): { known: KnownIdentity[]; missing: IdentityKey[] } {
    const known: KnownIdentity[] = [];
    const missing: IdentityKey[] = [];
    for (const k of keys) {
      const hit = this.#get(k.workspaceId, k.kind, k.value);
      if (hit) known.push(hit);
      // A known user id never resolves through an alias of the same value: skip that lookup.
      else if (!(k.kind === 'alias' && this.#get(k.workspaceId, 'user_id', k.value))) missing.push(k);
    }
    return { known, missing };
  }

  remember(identities: readonly KnownIdentity[]): void {
    for (const identity of identities) {
      let entries = this.#workspaces.get(identity.workspaceId);
      if (!entries) {
        entries = new Map();
        this.#workspaces.set(identity.workspaceId, entries);
      }
      const k = prefix[identity.kind] + identity.value;
      if (entries.delete(k)) this.#size--;
      entries.set(k, identity);
      this.#size++;
    }
    if (this.#size > this.capacity) this.#evict(this.#size - this.capacity);
  }

  forget(keys: readonly IdentityKey[]): void {
    for (const k of keys) {
      if (this.#workspaces.get(k.workspaceId)?.delete(prefix[k.kind] + k.value)) this.#size--;
    }
  }

  #evict(count: number): void {
    // Oldest first within each workspace, spread over the workspaces in proportion to size.
    for (const entries of this.#workspaces.values()) {
      let n = Math.ceil((count * entries.size) / Math.max(this.#size, 1));
      for (const k of entries.keys()) {
        if (n-- <= 0) break;
        entries.delete(k);
        this.#size--;
      }
    }
  }
}
