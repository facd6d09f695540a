import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../spec/normalize.js';
import { identityKeysOf, type KnownIdentity, planIdentities } from './identities.js';

const ws = '00000000-0000-4000-8000-000000000001';
let n = 0;
function ev(partial: Partial<IngestEvent> & Pick<IngestEvent, 'type'>): IngestEvent {
  n++;
  return {
    workspaceId: ws,
    messageId: `m${n}`,
    event: partial.type === 'track' ? 'x' : null,
    userId: null,
    anonymousId: null,
    previousId: null,
    properties: {},
    traits: null,
    context: {},
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    receivedAt: new Date(),
    propertiesJson: '{}',
    contextJson: '{}',
    ...partial,
  };
}
const known = (kind: KnownIdentity['kind'], value: string, profileId: string, profileUserId: string | null) =>
  ({ workspaceId: ws, kind, value, profileId, profileUserId }) satisfies KnownIdentity;

describe('planIdentities', () => {
  it('creates one profile for a new user and links their anonymous id', () => {
    const plan = planIdentities([ev({ type: 'identify', userId: 'u1', anonymousId: 'a1' })], []);
    expect(plan.newProfiles).toHaveLength(1);
    expect(plan.newProfiles[0]?.userId).toBe('u1');
    expect(plan.newIdentities.map((i) => [i.kind, i.value])).toEqual([
      ['user_id', 'u1'],
      ['anonymous_id', 'a1'],
    ]);
    expect(plan.profileOf[0]).toBe(plan.newProfiles[0]?.id);
  });

  it('sends every event of one new person in a group to the same new profile', () => {
    const events = [
      ev({ type: 'page', anonymousId: 'a2' }),
      ev({ type: 'identify', userId: 'u2', anonymousId: 'a2' }),
      ev({ type: 'track', userId: 'u2' }),
    ];
    const plan = planIdentities(events, []);
    expect(plan.newProfiles).toHaveLength(1);
    expect(new Set(plan.profileOf).size).toBe(1);
    expect(plan.newProfiles[0]).toMatchObject({ userId: 'u2', seenAt: events[0]?.timestamp });
    expect(plan.merges).toEqual([]);
  });

  it('turns a stored anonymous profile into the user it identifies as, without a merge', () => {
    const plan = planIdentities(
      [ev({ type: 'identify', userId: 'u3', anonymousId: 'a3' })],
      [known('anonymous_id', 'a3', 'p-anon', null)],
    );
    expect(plan.profileOf).toEqual(['p-anon']);
    expect(plan.userIds).toEqual([{ workspaceId: ws, profileId: 'p-anon', userId: 'u3', expected: null }]);
    expect(plan.newProfiles).toEqual([]);
  });

  it('merges a stored anonymous profile into the stored profile of the user it identifies as', () => {
    const plan = planIdentities(
      [ev({ type: 'identify', userId: 'u4', anonymousId: 'a4' }), ev({ type: 'track', anonymousId: 'a4' })],
      [known('user_id', 'u4', 'p-user', 'u4'), known('anonymous_id', 'a4', 'p-anon', null)],
    );
    expect(plan.merges).toEqual([
      { workspaceId: ws, loser: 'p-anon', survivor: 'p-user', loserUserId: null },
    ]);
    // Later events of the anonymous id follow the survivor.
    expect(plan.profileOf).toEqual(['p-user', 'p-user']);
  });

  it('never merges two identified users implicitly (a shared device)', () => {
    const plan = planIdentities(
      [ev({ type: 'identify', userId: 'u5', anonymousId: 'a5' })],
      [known('user_id', 'u5', 'p-5', 'u5'), known('anonymous_id', 'a5', 'p-other', 'someone-else')],
    );
    expect(plan.merges).toEqual([]);
    expect(plan.profileOf).toEqual(['p-5']);
  });

  it('alias folds the previous id into the user id, even when both are identified', () => {
    const plan = planIdentities(
      [ev({ type: 'alias', userId: 'new', previousId: 'old' })],
      [known('user_id', 'new', 'p-new', 'new'), known('user_id', 'old', 'p-old', 'old')],
    );
    expect(plan.merges).toEqual([{ workspaceId: ws, loser: 'p-old', survivor: 'p-new', loserUserId: 'old' }]);
  });

  it('alias to an unknown user id renames the previous profile and keeps the old id as a way in', () => {
    const plan = planIdentities(
      [ev({ type: 'alias', userId: 'renamed', previousId: 'old' })],
      [known('user_id', 'old', 'p-old', 'old')],
    );
    expect(plan.userIds).toEqual([
      { workspaceId: ws, profileId: 'p-old', userId: 'renamed', expected: 'old' },
    ]);
    expect(plan.newIdentities.map((i) => [i.kind, i.value, i.profileId])).toEqual([
      ['user_id', 'renamed', 'p-old'],
    ]);
  });

  it('a profile created earlier in the group folds into a stored one instead of being merged', () => {
    const plan = planIdentities(
      [ev({ type: 'track', userId: 'u6' }), ev({ type: 'identify', userId: 'u6', anonymousId: 'a6' })],
      [known('anonymous_id', 'a6', 'p-anon6', null)],
    );
    expect(plan.newProfiles).toEqual([]);
    expect(plan.merges).toEqual([]);
    expect(plan.profileOf).toEqual(['p-anon6', 'p-anon6']);
    expect(plan.userIds).toEqual([{ workspaceId: ws, profileId: 'p-anon6', userId: 'u6', expected: null }]);
    expect(plan.newIdentities.map((i) => [i.kind, i.value, i.profileId])).toEqual([
      ['user_id', 'u6', 'p-anon6'],
    ]);
  });

  it('reports every identity as it will be after the plan, for the cache', () => {
    const plan = planIdentities(
      [ev({ type: 'identify', userId: 'u7', anonymousId: 'a7' })],
      [known('anonymous_id', 'a7', 'p-anon7', null)],
    );
    expect(plan.resolved).toEqual([
      { workspaceId: ws, kind: 'anonymous_id', value: 'a7', profileId: 'p-anon7', profileUserId: 'u7' },
      { workspaceId: ws, kind: 'user_id', value: 'u7', profileId: 'p-anon7', profileUserId: 'u7' },
    ]);
  });

  it('keeps workspaces apart: the same user id in two workspaces is two people', () => {
    const other = '00000000-0000-4000-8000-000000000002';
    const plan = planIdentities(
      [ev({ type: 'track', userId: 'same' }), ev({ type: 'track', userId: 'same', workspaceId: other })],
      [],
    );
    expect(plan.newProfiles).toHaveLength(2);
    expect(plan.profileOf[0]).not.toBe(plan.profileOf[1]);
  });

  it('asks to load every identity an event could resolve through, once', () => {
    const keys = identityKeysOf([
      ev({ type: 'track', userId: 'u', anonymousId: 'a' }),
      ev({ type: 'track', userId: 'u' }),
      ev({ type: 'alias', userId: 'u', previousId: 'p' }),
    ]);
    expect(keys.map((k) => `${k.kind}:${k.value}`)).toEqual([
      'user_id:u',
      'alias:u',
      'anonymous_id:a',
      'user_id:p',
      'anonymous_id:p',
      'alias:p',
    ]);
  });
});
