import type { CompiledJourney } from '@touchline/journey';
import { priorityDecision } from './priority-guard.js';
import { localParts, nextTimeOfDay } from './time.js';

/**
 * The guards every send passes (DESIGN.md "Guards before every send"), as one pure decision:
 * consent, the suppression list, the workspace's caps per channel, the journey's own cap, the
 * minimum interval and quiet hours. The runtime gathers the inputs in its transaction; what
 * blocks a send is named, so the `suppressed` port's step log says why.
 */

export type SuppressedReason =
  | 'no_address'
  | 'unsubscribed'
  | 'not_opted_in'
  | 'suppressed_address'
  | 'channel_cap_day'
  | 'channel_cap_week'
  | 'journey_cap'
  | 'min_interval'
  | 'quiet_hours'
  | 'budget_exceeded'
  | 'lower_priority';

export interface WorkspaceMessaging {
  /** Per channel: `opt_in` needs a recorded yes for marketing; `opt_out` sends unless a no. */
  readonly consent: Readonly<Record<string, 'opt_in' | 'opt_out'>>;
  /** Marketing messages per profile and channel, per calendar-free rolling day and week. */
  readonly caps: Readonly<Record<string, { readonly perDay?: number; readonly perWeek?: number }>>;
  /** Least time between two marketing messages of one channel to one profile. */
  readonly minIntervalMs: number | null;
  /** Marketing sends per channel and UTC day across the workspace (the send guard counts them). */
  readonly budget?: Readonly<Record<string, { readonly perDay: number }>>;
  /** A higher-priority journey's send within this long suppresses a lower one's (priority-guard.ts). */
  readonly priorityWindowMs?: number | null;
}

export const defaultMessaging: WorkspaceMessaging = { consent: {}, caps: {}, minIntervalMs: null };

export interface SendRequest {
  readonly channel: string;
  readonly journeyId: string;
  /** The journey's `settings.priority` (unset counts as 0). */
  readonly priority?: number;
  /** Transactional sends (receipts, password resets) skip consent-for-marketing and caps. */
  readonly transactional: boolean;
  readonly journeyCap: { readonly max: number; readonly perMs: number } | null;
  readonly quietHours: {
    readonly start: string;
    readonly end: string;
    /** An IANA zone, or `profile`. */
    readonly timezone: string;
    readonly behavior: 'delay' | 'skip';
  } | null;
}

/** What the guards need to know of a send node in a journey version. */
export function sendRequestOf(
  compiled: CompiledJourney,
  journeyId: string,
  channel: string,
  config: Record<string, unknown>,
): SendRequest {
  const { settings, timing } = compiled;
  return {
    channel,
    journeyId,
    priority: settings.priority ?? 0,
    transactional: config.transactional === true,
    journeyCap:
      settings.frequencyCap && timing.frequencyCapPerMs
        ? { max: settings.frequencyCap.max, perMs: timing.frequencyCapPerMs }
        : null,
    quietHours: settings.quietHours ?? null,
  };
}

export interface Recipient {
  /** Whether the profile has an address for the channel (email, phone, push token…). */
  readonly reachable: boolean;
  /** `traits.subscriptions[channel]`: true, false, or unset (null). */
  readonly subscribed: boolean | null;
  /** The address is on the workspace's suppression list (a bounce, a complaint). */
  readonly suppressedAddress: boolean;
  readonly timezone: string | null;
}

/** Messages already sent (or queued) to this profile recently, marketing only. */
export interface SentMessage {
  readonly channel: string;
  readonly journeyId: string | null;
  readonly at: number;
  /** The sending journey's priority when it sent. */
  readonly priority?: number;
}

export type GuardDecision =
  | { readonly send: true }
  | { readonly send: false; readonly reason: SuppressedReason; readonly detail: string }
  /** Quiet hours with `delay`: send when the window ends. */
  | { readonly send: 'later'; readonly at: Date; readonly detail: string };

const DAY_MS = 24 * 3_600_000;

const minutesOf = (time: string) => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
};

/** Whether `now` falls in [start, end) on the clock of `timeZone`; the window may wrap midnight. */
export function inQuietHours(now: Date, start: string, end: string, timeZone: string): boolean {
  const p = localParts(now.getTime(), timeZone);
  const at = p.hour * 60 + p.minute;
  const [from, to] = [minutesOf(start), minutesOf(end)];
  if (from === to) return false;
  return from < to ? at >= from && at < to : at >= from || at < to;
}

export function evaluateGuards(
  request: SendRequest,
  recipient: Recipient,
  recent: readonly SentMessage[],
  policy: WorkspaceMessaging,
  now: Date,
): GuardDecision {
  const { channel } = request;
  if (!recipient.reachable) return blocked('no_address', `the profile has no ${channel} address`);
  if (recipient.suppressedAddress) {
    return blocked('suppressed_address', `the ${channel} address is on the suppression list`);
  }
  // A transactional message (a receipt, a password reset) reaches a customer who opted out of
  // marketing, and is not counted against marketing caps; a missing or suppressed address still stops it.
  if (!request.transactional) {
    if (recipient.subscribed === false) return blocked('unsubscribed', `unsubscribed from ${channel}`);
    if (recipient.subscribed === null && (policy.consent[channel] ?? 'opt_out') === 'opt_in') {
      return blocked('not_opted_in', `${channel} needs an opt-in in this workspace and the profile has none`);
    }
    const t = now.getTime();
    const sameChannel = recent.filter((m) => m.channel === channel);
    const cap = policy.caps[channel];
    const lastDay = sameChannel.filter((m) => m.at > t - DAY_MS).length;
    if (cap?.perDay !== undefined && lastDay >= cap.perDay) {
      return blocked('channel_cap_day', `${lastDay} ${channel} messages in the last day (cap ${cap.perDay})`);
    }
    const lastWeek = sameChannel.filter((m) => m.at > t - 7 * DAY_MS).length;
    if (cap?.perWeek !== undefined && lastWeek >= cap.perWeek) {
      return blocked(
        'channel_cap_week',
        `${lastWeek} ${channel} messages in the last week (cap ${cap.perWeek})`,
      );
    }
    if (request.journeyCap) {
      const { max, perMs } = request.journeyCap;
      const fromJourney = recent.filter((m) => m.journeyId === request.journeyId && m.at > t - perMs).length;
      if (fromJourney >= max) {
        return blocked(
          'journey_cap',
          `${fromJourney} messages from this journey in its cap window (max ${max})`,
        );
      }
    }
    if (policy.minIntervalMs !== null) {
      const last = Math.max(...sameChannel.map((m) => m.at), Number.NEGATIVE_INFINITY);
      if (t - last < policy.minIntervalMs) {
        return blocked(
          'min_interval',
          `the last ${channel} message was ${Math.round((t - last) / 60_000)} min ago`,
        );
      }
    }
    const lower = priorityDecision(request, recent, policy.priorityWindowMs, t);
    if (lower) return lower;
  }
  const quiet = request.quietHours;
  if (quiet) {
    const zone = quiet.timezone === 'profile' ? (recipient.timezone ?? 'UTC') : quiet.timezone;
    if (inQuietHours(now, quiet.start, quiet.end, zone)) {
      const detail = `quiet hours ${quiet.start}–${quiet.end} (${zone})`;
      if (quiet.behavior === 'skip') return blocked('quiet_hours', detail);
      return { send: 'later', at: nextTimeOfDay(now, quiet.end, zone), detail };
    }
  }
  return { send: true };
}

function blocked(reason: SuppressedReason, detail: string): GuardDecision {
  return { send: false, reason, detail };
}
