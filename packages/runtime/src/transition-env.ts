import type pg from 'pg';
import type { DecideOptions } from './decide.js';
import type { Effects } from './effects.js';
import { historyFacts } from './history.js';
import { guardSend } from './send-guard.js';
import type { ProfileState, TransitionEnv } from './transitions.js';

/** What a transition of one profile needs: its history facts and send guards, bound to this transaction. */
export function transitionEnv(
  client: pg.PoolClient,
  profile: ProfileState,
  now: Date,
  effects: Effects,
  options: DecideOptions,
): TransitionEnv {
  const { workspaceId, profileId } = profile;
  return {
    now,
    effects,
    profile,
    dynamic: historyFacts(
      client,
      workspaceId,
      profileId,
      () => profile.fact,
      now,
      (id) => options.segments(workspaceId, id),
    ),
    guard: async (send) =>
      guardSend(
        client,
        { ...send, workspaceId, profileId },
        profile.fact,
        effects,
        await options.messaging?.(workspaceId),
        now,
      ),
    ...(options.registry ? { registry: options.registry } : {}),
  };
}
