import type { CompiledJourney } from '@touchline/journey';
import type { ActionOutcome, ActionRequest } from './advance.js';
import { channelOfAction } from './channels.js';
import type { ProfileFact } from './facts.js';
import { evaluateGuards, sendRequestOf, type WorkspaceMessaging } from './guards.js';
import { recipientOf } from './send-guard.js';
import { show } from './simulate-explain.js';
import type { SimulatedMessage } from './simulate-types.js';

/** The journey and workspace rules a simulated send is guarded by, as live. */
export interface SimulatedGuards {
  readonly compiled: CompiledJourney;
  readonly messaging: WorkspaceMessaging;
  /** Messages this simulation has sent so far (its caps count them). */
  readonly sent: readonly SimulatedMessage[];
}

/** What an action did in a simulation: its port and reason, the would-be send, the profile after. */
export interface SimulatedAction {
  readonly outcome: ActionOutcome;
  readonly message: SimulatedMessage | null;
  readonly profile: ProfileFact;
}

/**
 * An action node in a simulation: reported, never carried out. A send becomes a would-be message;
 * a profile update changes the traits that later decisions see, as the stored update would;
 * custom action types are not run (their `run` may have effects) and leave by their first port.
 */
export function simulatedAction(
  request: ActionRequest,
  profile: ProfileFact,
  now: Date,
  guards: SimulatedGuards,
): SimulatedAction {
  const config = (request.config ?? {}) as Record<string, unknown>;
  const channel = channelOfAction[request.type];
  if (channel) {
    const templateId = typeof config.templateId === 'string' ? config.templateId : null;
    const what =
      channel === 'webhook'
        ? `would call ${String(config.method ?? 'POST')} ${String(config.url)}`
        : `would send ${channel}${templateId ? ` with template ${templateId}` : ''}`;
    // The simulation is one journey: every message it sent counts against this journey's cap.
    const send = sendRequestOf(guards.compiled, 'simulated', channel, config);
    const recent = guards.sent
      .filter((m) => m.suppressedReason === null && !m.transactional)
      .map((m) => ({ channel: m.channel, journeyId: 'simulated', at: Date.parse(m.at) }));
    const recipient = recipientOf(profile, channel);
    const decision = evaluateGuards(send, recipient, recent, guards.messaging, now);
    const message = {
      nodeId: request.nodeId,
      channel,
      templateId,
      at: now.toISOString(),
      consent: recipient.subscribed,
      transactional: send.transactional,
      suppressedReason: decision.send === false ? decision.reason : null,
    };
    if (decision.send === false) {
      return {
        outcome: { port: 'suppressed', reason: `${decision.reason}: ${decision.detail} (${what} otherwise)` },
        message,
        profile,
      };
    }
    const later =
      decision.send === 'later' ? `; held for ${decision.detail} until ${decision.at.toISOString()}` : '';
    return { outcome: { port: 'out', reason: `${what}${later} (not sent: a simulation)` }, message, profile };
  }
  if (request.type === 'profile.update') {
    const set = (config.set ?? {}) as Record<string, unknown>;
    const addTags = (config.addTags ?? []) as string[];
    const removeTags = (config.removeTags ?? []) as string[];
    const traits = { ...profile.traits, ...set };
    if (addTags.length + removeTags.length > 0) {
      const tags = new Set(Array.isArray(traits.tags) ? (traits.tags as string[]) : []);
      for (const tag of addTags) tags.add(tag);
      for (const tag of removeTags) tags.delete(tag);
      traits.tags = [...tags].sort();
    }
    const changes = [
      ...Object.entries(set).map(([key, value]) => `set ${key} = ${show(value)}`),
      ...addTags.map((tag) => `add tag ${tag}`),
      ...removeTags.map((tag) => `remove tag ${tag}`),
    ];
    return {
      outcome: {
        port: 'out',
        reason: `would update the profile: ${changes.join(', ') || 'nothing'} (not saved)`,
      },
      message: null,
      profile: { ...profile, traits },
    };
  }
  const port = request.ports[0] as string;
  const reason =
    request.type === 'notify.team'
      ? `would notify the team on ${String(config.channel)} (not sent: a simulation)`
      : `"${request.type}" is not run in a simulation; it leaves by "${port}"`;
  return { outcome: { port, reason }, message: null, profile };
}
