import type { GuardDecision, SendRequest, SentMessage } from './guards.js';

/**
 * Priority between journeys competing for the same profile and channel
 * (`settings.messaging.priorityWindow`). A send is suppressed as `lower_priority` when a
 * journey of strictly higher priority sent on the same channel to the same profile within the
 * window. The rule looks back only: a send already made cannot be recalled, so a lower-priority
 * send never stops a later higher-priority one (the message a marketer ranked as important
 * still goes out), and journeys of equal priority do not compete (caps limit their volume).
 * Journeys without a priority count as 0.
 *
 * Sends decided in one transaction are ordered by the routing index (higher priority first),
 * so two journeys triggered by the same event resolve as if the higher one came first.
 */
export function priorityDecision(
  request: Pick<SendRequest, 'channel' | 'journeyId' | 'priority'>,
  recent: readonly SentMessage[],
  windowMs: number | null | undefined,
  now: number,
): GuardDecision | null {
  if (!windowMs) return null;
  const mine = request.priority ?? 0;
  let winner: SentMessage | undefined;
  for (const m of recent) {
    if (m.channel !== request.channel || m.journeyId === request.journeyId || m.at <= now - windowMs)
      continue;
    if ((m.priority ?? 0) > mine && (!winner || (m.priority ?? 0) > (winner.priority ?? 0))) winner = m;
  }
  if (!winner) return null;
  return {
    send: false,
    reason: 'lower_priority',
    detail: `a ${request.channel} message from a journey of priority ${winner.priority ?? 0} (this one ${mine}) went ${Math.round((now - winner.at) / 60_000)} min ago`,
  };
}
