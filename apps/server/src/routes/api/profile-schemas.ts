import type {
  EnrollmentStepRow,
  Profile,
  ProfileEnrollmentRow,
  ProfileEventRow,
  ProfileIdentity,
  ProfileMessageRow,
  ProfileSummaryRow,
} from '@touchline/db';
import { z } from 'zod';

const timestamp = z.string().describe('ISO 8601');
const consentValue = z
  .boolean()
  .nullable()
  .describe('true: opted in; false: opted out; null: never said (the workspace default applies)');

export const eventBody = z.object({
  id: z.string(),
  messageId: z.string(),
  type: z.string(),
  event: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  timestamp,
  receivedAt: timestamp,
});

export const profileSummaryBody = z.object({
  id: z.uuid(),
  userId: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  lastSeenAt: timestamp,
  ordersCount: z.number().int(),
  lifetimeValue: z.number(),
});

export const profileBody = z.object({
  id: z.uuid(),
  userId: z.string().nullable(),
  anonymousIds: z.array(z.string()),
  aliases: z.array(z.string()),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  pushTokens: z.array(z.string()),
  traits: z.record(z.string(), z.unknown()),
  consent: z.object({ email: consentValue, sms: consentValue, push: consentValue, whatsapp: consentValue }),
  computed: z.object({
    orders_count: z.number().int(),
    lifetime_value: z.number(),
    last_order_at: timestamp.nullable(),
    first_seen_at: timestamp,
    last_seen_at: timestamp,
    rfm: z
      .object({ recency: z.number().int(), frequency: z.number().int(), monetary: z.number().int() })
      .nullable()
      .describe('1 to 5 each; null until the RFM job has scored the profile'),
  }),
  recentEvents: z.array(eventBody),
  enrollments: z.array(
    z.object({
      id: z.uuid(),
      journeyId: z.uuid(),
      journeyName: z.string(),
      version: z.number().int(),
      status: z.string(),
      currentNode: z.string().nullable(),
      enteredAt: timestamp,
      endedAt: timestamp.nullable(),
      endReason: z.string().nullable(),
      convertedAt: timestamp.nullable(),
      path: z
        .array(
          z.object({
            nodeId: z.string(),
            type: z.string(),
            visit: z.number().int(),
            port: z.string().nullable().describe('null: waiting here (or ended here)'),
            rule: z.string().nullable().describe('the rule that decided a condition or split'),
            reason: z.string().nullable(),
            facts: z.unknown().describe('the values the deciding rules read'),
            enteredAt: timestamp,
            leftAt: timestamp.nullable(),
          }),
        )
        .describe('the step log: every node the enrollment passed, in order, with why'),
    }),
  ),
  messages: z.array(
    z.object({
      id: z.uuid(),
      channel: z.string(),
      journeyId: z.uuid().nullable(),
      nodeId: z.string().nullable(),
      templateId: z.uuid().nullable(),
      status: z.string(),
      suppressedReason: z.string().nullable(),
      createdAt: timestamp,
      sentAt: timestamp.nullable(),
    }),
  ),
});

export type ProfileBody = z.infer<typeof profileBody>;

/** Everything the profile view shows, as the profiles repo reads it. */
export interface ProfileDetail {
  profile: Profile;
  identities: readonly ProfileIdentity[];
  events: readonly ProfileEventRow[];
  enrollments: readonly ProfileEnrollmentRow[];
  steps: readonly EnrollmentStepRow[];
  messages: readonly ProfileMessageRow[];
}

/** Consent per channel as `traits.subscriptions` holds it; anything but a boolean counts as unset. */
export function consentOf(traits: Record<string, unknown>): ProfileBody['consent'] {
  const subscriptions = traits.subscriptions;
  const source =
    subscriptions && typeof subscriptions === 'object' && !Array.isArray(subscriptions)
      ? (subscriptions as Record<string, unknown>)
      : {};
  const said = (channel: keyof ProfileBody['consent']) => {
    const value = source[channel];
    return typeof value === 'boolean' ? value : null;
  };
  return {
    email: said('email'),
    sms: said('sms'),
    push: said('push'),
    whatsapp: said('whatsapp'),
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toEventBody(row: ProfileEventRow): z.infer<typeof eventBody> {
  return {
    id: row.id,
    messageId: row.message_id,
    type: row.type,
    event: row.event,
    properties: row.properties,
    timestamp: row.timestamp.toISOString(),
    receivedAt: row.received_at.toISOString(),
  };
}

export function toProfileSummaryBody(row: ProfileSummaryRow): z.infer<typeof profileSummaryBody> {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    phone: row.phone,
    lastSeenAt: row.last_seen_at.toISOString(),
    ordersCount: row.orders_count,
    lifetimeValue: Number(row.lifetime_value),
  };
}

/** The profile view's body: identities split by kind, consent and computed traits in one place. */
export function toProfileBody({
  profile,
  identities,
  events,
  enrollments,
  steps,
  messages,
}: ProfileDetail): ProfileBody {
  const { rfm_recency: recency, rfm_frequency: frequency, rfm_monetary: monetary } = profile;
  return {
    id: profile.id,
    userId: profile.user_id,
    anonymousIds: identities.filter((i) => i.kind === 'anonymous_id').map((i) => i.value),
    aliases: identities.filter((i) => i.kind === 'alias').map((i) => i.value),
    email: profile.email,
    phone: profile.phone,
    timezone: profile.timezone,
    locale: profile.locale,
    pushTokens: Array.isArray(profile.push_tokens)
      ? profile.push_tokens.filter((t): t is string => typeof t === 'string')
      : [],
    traits: profile.traits,
    consent: consentOf(profile.traits),
    computed: {
      orders_count: profile.orders_count,
      // numeric(16, 2) arrives as a string; a JS number holds two decimals of any real order total.
      lifetime_value: Number(profile.lifetime_value),
      last_order_at: iso(profile.last_order_at),
      first_seen_at: profile.first_seen_at.toISOString(),
      last_seen_at: profile.last_seen_at.toISOString(),
      rfm:
        recency !== null && frequency !== null && monetary !== null ? { recency, frequency, monetary } : null,
    },
    recentEvents: events.map(toEventBody),
    enrollments: enrollments.map((e) => ({
      id: e.id,
      journeyId: e.journey_id,
      journeyName: e.journey_name,
      version: e.journey_version,
      status: e.status,
      currentNode: e.current_node,
      enteredAt: e.entered_at.toISOString(),
      endedAt: iso(e.ended_at),
      endReason: e.end_reason,
      convertedAt: iso(e.converted_at),
      path: steps
        .filter((s) => s.enrollment_id === e.id)
        .map((s) => ({
          nodeId: s.node_id,
          type: s.type,
          visit: s.visit,
          port: s.port,
          rule: s.rule,
          reason: s.reason,
          facts: s.facts ?? null,
          enteredAt: s.entered_at.toISOString(),
          leftAt: iso(s.left_at),
        })),
    })),
    messages: messages.map((m) => ({
      id: m.id,
      channel: m.channel,
      journeyId: m.journey_id,
      nodeId: m.node_id,
      templateId: m.template_id,
      status: m.status,
      suppressedReason: m.suppressed_reason,
      createdAt: m.created_at.toISOString(),
      sentAt: iso(m.sent_at),
    })),
  };
}
