import { randomUUID } from 'node:crypto';
import type { IngestEvent } from '../spec/normalize.js';

export type IdentityKind = 'user_id' | 'anonymous_id' | 'alias';

/** An identity already stored, with the user id of the profile it points to. */
export interface KnownIdentity {
  workspaceId: string;
  kind: IdentityKind;
  value: string;
  profileId: string;
  profileUserId: string | null;
}

export interface IdentityKey {
  workspaceId: string;
  kind: IdentityKind;
  value: string;
}

export interface IdentityPlan {
  /** The profile each event belongs to, by index into the events given. */
  profileOf: string[];
  newProfiles: Array<{ workspaceId: string; id: string; userId: string | null; seenAt: Date }>;
  /**
   * Existing profiles that gain (or change) their canonical user id. `expected` is the user id
   * the plan believed the profile had: the store refuses the change if it is no longer so.
   */
  userIds: Array<{ workspaceId: string; profileId: string; userId: string; expected: string | null }>;
  newIdentities: Array<IdentityKey & { profileId: string }>;
  /**
   * Two stored profiles that turned out to be one person; the loser folds into the survivor.
   * `loserUserId` is what the plan believed the loser's user id was (checked under lock).
   */
  merges: Array<{ workspaceId: string; loser: string; survivor: string; loserUserId: string | null }>;
  /** Every identity the plan knows, as it will be once the plan is applied (for caching). */
  resolved: KnownIdentity[];
}

/** One identity as a map key. */
export const identityKey = (workspaceId: string, kind: IdentityKind, value: string) =>
  `${workspaceId}\u0001${kind}\u0001${value}`;

/** Every identity the events could resolve through: what the planner needs loaded first. */
export function identityKeysOf(events: readonly IngestEvent[]): IdentityKey[] {
  const seen = new Map<string, IdentityKey>();
  const add = (workspaceId: string, kind: IdentityKind, value: string) => {
    const k = identityKey(workspaceId, kind, value);
    if (!seen.has(k)) seen.set(k, { workspaceId, kind, value });
  };
  for (const e of events) {
    if (e.userId) {
      add(e.workspaceId, 'user_id', e.userId);
      add(e.workspaceId, 'alias', e.userId);
    }
    if (e.anonymousId) add(e.workspaceId, 'anonymous_id', e.anonymousId);
    if (e.previousId) {
      add(e.workspaceId, 'user_id', e.previousId);
      add(e.workspaceId, 'anonymous_id', e.previousId);
      add(e.workspaceId, 'alias', e.previousId);
    }
  }
  return [...seen.values()];
}

interface ProfileState {
  workspaceId: string;
  userId: string | null;
  isNew: boolean;
}

/**
 * Decides, for a group of events in arrival order, which profile each belongs to: which
 * profiles to create, which identities to link, and which two profiles are one person.
 * Pure; the store carries the plan out in the group's transaction.
 *
 * The rules, as CDPs apply them:
 * - a user id names one profile; an anonymous id seen with a user id joins that profile;
 * - an anonymous profile identified with a new user id becomes that user (no merge needed);
 * - an anonymous profile identified with a known user id merges into the user's profile;
 * - two profiles with different user ids are never merged implicitly (a shared device);
 * - `alias` merges explicitly: the previous id's profile folds into the user id's.
 */
export function planIdentities(
  events: readonly IngestEvent[],
  known: readonly KnownIdentity[],
): IdentityPlan {
  const ids = new Map<string, string>();
  const profiles = new Map<string, ProfileState>();
  const redirect = new Map<string, string>();
  for (const identity of known) {
    ids.set(identityKey(identity.workspaceId, identity.kind, identity.value), identity.profileId);
    if (!profiles.has(identity.profileId)) {
      profiles.set(identity.profileId, {
        workspaceId: identity.workspaceId,
        userId: identity.profileUserId,
        isNew: false,
      });
    }
  }
  const newProfiles = new Map<
    string,
    { workspaceId: string; id: string; userId: string | null; seenAt: Date }
  >();
  const userIds = new Map<string, IdentityPlan['userIds'][number]>();
  const keyOf = new Map<string, IdentityKey>();
  for (const identity of known)
    keyOf.set(identityKey(identity.workspaceId, identity.kind, identity.value), identity);
  const newIdentities = new Map<string, IdentityKey & { profileId: string }>();
  const merges: IdentityPlan['merges'] = [];
  const profileOf: string[] = [];

  const resolve = (id: string): string => {
    let current = id;
    for (let next = redirect.get(current); next; next = redirect.get(current)) current = next;
    return current;
  };
  const lookup = (ws: string, kind: IdentityKind, value: string): string | undefined => {
    const found = ids.get(identityKey(ws, kind, value));
    return found ? resolve(found) : undefined;
  };
  const link = (ws: string, kind: IdentityKind, value: string, profileId: string) => {
    const k = identityKey(ws, kind, value);
    ids.set(k, profileId);
    keyOf.set(k, { workspaceId: ws, kind, value });
    newIdentities.set(k, { workspaceId: ws, kind, value, profileId });
  };
  const create = (ws: string, userId: string | null, seenAt: Date): string => {
    const id = randomUUID();
    profiles.set(id, { workspaceId: ws, userId, isNew: true });
    newProfiles.set(id, { workspaceId: ws, id, userId, seenAt });
    return id;
  };
  const setUserId = (profileId: string, userId: string) => {
    const state = profiles.get(profileId) as ProfileState;
    const pending = newProfiles.get(profileId);
    if (pending) pending.userId = userId;
    else {
      const expected = userIds.get(profileId)?.expected ?? state.userId;
      userIds.set(profileId, { workspaceId: state.workspaceId, profileId, userId, expected });
    }
    state.userId = userId;
  };
  /** Folds `loser` into `survivor`; returns the profile that survives. */
  const merge = (loser: string, survivor: string): string => {
    const l = profiles.get(loser) as ProfileState;
    const s = profiles.get(survivor) as ProfileState;
    const wantedUserId = s.userId ?? l.userId;
    if (l.isNew || s.isNew) {
      // Nothing is stored yet for a new profile: it folds into the other one, whichever way the
      // merge was asked, and the profile that stays takes the survivor's user id.
      const [gone, kept] = l.isNew ? [loser, survivor] : [survivor, loser];
      newProfiles.delete(gone);
      redirect.set(gone, kept);
      if (wantedUserId && wantedUserId !== (profiles.get(kept) as ProfileState).userId) {
        setUserId(kept, wantedUserId);
      }
      return kept;
    }
    redirect.set(loser, survivor);
    const loserUserId = userIds.get(loser)?.expected ?? l.userId;
    merges.push({ workspaceId: s.workspaceId, loser, survivor, loserUserId });
    userIds.delete(loser);
    if (!s.userId && wantedUserId) setUserId(survivor, wantedUserId);
    return survivor;
  };

  events.forEach((e, index) => {
    const ws = e.workspaceId;
    let profileId: string;
    if (e.type === 'alias' && e.previousId && e.userId) {
      const target = lookup(ws, 'user_id', e.userId) ?? lookup(ws, 'alias', e.userId);
      const previous =
        lookup(ws, 'user_id', e.previousId) ??
        lookup(ws, 'anonymous_id', e.previousId) ??
        lookup(ws, 'alias', e.previousId);
      if (target && previous) {
        profileId = target === previous ? target : merge(previous, target);
      } else if (target) {
        link(ws, 'alias', e.previousId, target);
        profileId = target;
      } else if (previous) {
        setUserId(previous, e.userId);
        link(ws, 'user_id', e.userId, previous);
        profileId = previous;
      } else {
        profileId = create(ws, e.userId, e.timestamp);
        link(ws, 'user_id', e.userId, profileId);
        link(ws, 'alias', e.previousId, profileId);
      }
    } else if (e.userId) {
      const user = lookup(ws, 'user_id', e.userId) ?? lookup(ws, 'alias', e.userId);
      const anonymous = e.anonymousId ? lookup(ws, 'anonymous_id', e.anonymousId) : undefined;
      if (user) {
        profileId = user;
        if (e.anonymousId && !anonymous) link(ws, 'anonymous_id', e.anonymousId, user);
        else if (anonymous && anonymous !== user) {
          const other = profiles.get(anonymous) as ProfileState;
          if (!other.userId || other.userId === e.userId) profileId = merge(anonymous, user);
        }
      } else if (anonymous && !(profiles.get(anonymous) as ProfileState).userId) {
        profileId = anonymous;
        setUserId(anonymous, e.userId);
        link(ws, 'user_id', e.userId, anonymous);
      } else {
        profileId = create(ws, e.userId, e.timestamp);
        link(ws, 'user_id', e.userId, profileId);
        if (e.anonymousId && !anonymous) link(ws, 'anonymous_id', e.anonymousId, profileId);
      }
    } else {
      const anonymousId = e.anonymousId as string;
      const anonymous = lookup(ws, 'anonymous_id', anonymousId);
      if (anonymous) profileId = anonymous;
      else {
        profileId = create(ws, null, e.timestamp);
        link(ws, 'anonymous_id', anonymousId, profileId);
      }
    }
    profileOf[index] = profileId;
  });

  const resolved: KnownIdentity[] = [];
  for (const [k, identity] of keyOf) {
    const profileId = resolve(ids.get(k) as string);
    const state = profiles.get(profileId) as ProfileState;
    resolved.push({
      workspaceId: identity.workspaceId,
      kind: identity.kind,
      value: identity.value,
      profileId,
      profileUserId: state.userId,
    });
  }
  return {
    resolved,
    profileOf: profileOf.map(resolve),
    newProfiles: [...newProfiles.values()],
    userIds: [...userIds.values()].map((u) => ({ ...u, profileId: resolve(u.profileId) })),
    newIdentities: [...newIdentities.values()].map((i) => ({ ...i, profileId: resolve(i.profileId) })),
    merges,
  };
}
