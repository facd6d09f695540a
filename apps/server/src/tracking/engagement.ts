import { createHash } from 'node:crypto';
import { advanceMessageStatus, type Db, type TrackedMessage } from '@touchline/db';
import { type IngestEvent, type IngestPipeline, type MessageType, normalizeMessage } from '@touchline/ingest';

/**
 * What opens, clicks and unsubscribes do. Each is recorded as events through the ingestion
 * pipeline, like any call to /v1, so journeys react to `email_opened`, `email_clicked` and
 * `unsubscribed`, and consent changes through the same trait merge as an identify. Events carry
 * messageIds derived from the outbox message, so repeats are stored once.
 */

export interface Visit {
  at: Date;
  userAgent: string | undefined;
  ip: string;
}

interface Deps {
  db: Db;
  ingest: IngestPipeline;
}

/** The channels whose consent lives in `traits.subscriptions` and can be withdrawn by a link. */
export const consentChannels = ['email', 'sms', 'push', 'whatsapp'] as const;

const engaged = new Set(['opened', 'clicked']);

/** What every engagement event says about its message. */
export function messageProperties(m: TrackedMessage) {
  return {
    message_id: m.id,
    channel: m.channel,
    journey_id: m.journeyId,
    node_id: m.nodeId,
    template_id: m.templateId,
    template_version: m.templateVersion,
    variant: m.variant,
  };
}

/** An event about the message's profile, as /v1 would have received it. */
function eventAbout(
  m: TrackedMessage,
  visit: Visit,
  type: MessageType,
  message: { messageId: string; event?: string; properties?: object; traits?: object },
): IngestEvent | undefined {
  if (!m.userId && !m.anonymousId) return undefined;
  const normalized = normalizeMessage(
    {
      ...message,
      ...(m.userId ? { userId: m.userId } : { anonymousId: m.anonymousId }),
      timestamp: visit.at.toISOString(),
      context: { ip: visit.ip, ...(visit.userAgent ? { userAgent: visit.userAgent.slice(0, 512) } : {}) },
    },
    { workspaceId: m.workspaceId, type, receivedAt: visit.at },
  );
  return normalized.ok ? normalized.event : undefined;
}

/** The first open of a message, whatever opened it; a click counts as one if none came before. */
function openEvent(m: TrackedMessage, visit: Visit, via: 'pixel' | 'click') {
  return eventAbout(m, visit, 'track', {
    messageId: `touchline:open:${m.id}`,
    event: 'email_opened',
    properties: { ...messageProperties(m), via },
  });
}

async function ingest(deps: Deps, events: Array<IngestEvent | undefined>): Promise<void> {
  const defined = events.filter((e): e is IngestEvent => e !== undefined);
  if (defined.length > 0) await deps.ingest.ingest(defined);
}

/**
 * The open pixel was fetched. Only the first open of a message is an event (and moves its
 * status to `opened`): image proxies (Gmail) and privacy prefetching (Apple Mail) fetch pixels
 * on their own, so later fetches say nothing new, and unique opens are what journeys and
 * analytics count.
 */
export async function recordOpen(deps: Deps, m: TrackedMessage, visit: Visit): Promise<void> {
  if (engaged.has(m.status)) return;
  // A test send's reader is the marketer, not the profile whose data filled it.
  if (!m.test) await ingest(deps, [openEvent(m, visit, 'pixel')]);
  await advanceMessageStatus(deps.db, m.workspaceId, m.id, 'opened');
}

/**
 * A link was followed: `email_clicked` once per message and link (the same link clicked again
 * is not a new event), and an open before it if the pixel never loaded (images blocked).
 */
export async function recordClick(deps: Deps, m: TrackedMessage, url: string, visit: Visit): Promise<void> {
  const link = createHash('sha256').update(url).digest('base64url').slice(0, 22);
  // A test send's reader is the marketer, not the profile whose data filled it.
  await ingest(deps, [
    m.test || engaged.has(m.status) ? undefined : openEvent(m, visit, 'click'),
    m.test
      ? undefined
      : eventAbout(m, visit, 'track', {
          messageId: `touchline:click:${m.id}:${link}`,
          event: 'email_clicked',
          properties: { ...messageProperties(m), url },
        }),
  ]);
  await advanceMessageStatus(deps.db, m.workspaceId, m.id, 'clicked');
}

export class NoIdentity extends Error {
  constructor(m: TrackedMessage) {
    super(`profile ${m.profileId} has neither a user id nor an anonymous id: no event can name it`);
  }
}

/**
 * Withdraws the consent of the message's profile for the message's channel: an identify that
 * sets `subscriptions.<channel>` to false (merged per channel, as any identify is) and an
 * `unsubscribed` event. Nothing happens when the profile is already unsubscribed, so repeats
 * and a mailbox provider's one-click POST beside the reader's own are harmless. The messageIds
 * name the profile's state that was seen: two requests that saw the same state are one
 * unsubscribe, and an unsubscribe after a later re-subscribe is a new one.
 */
export async function unsubscribe(deps: Deps, m: TrackedMessage, visit: Visit): Promise<boolean> {
  // The link of a test send works (the marketer sees the page) but unsubscribes nobody.
  if (m.subscribed === false || m.test) return false;
  const key = `touchline:unsubscribe:${m.id}:${m.profileVersion}`;
  const consent = eventAbout(m, visit, 'identify', {
    messageId: `${key}:consent`,
    traits: { subscriptions: { [m.channel]: false } },
  });
  const event = eventAbout(m, visit, 'track', {
    messageId: key,
    event: 'unsubscribed',
    properties: messageProperties(m),
  });
  if (!consent || !event) throw new NoIdentity(m);
  await deps.ingest.ingest([consent, event]);
  return true;
}
