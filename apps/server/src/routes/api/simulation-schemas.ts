import { dateTimeSchema, durationSchema, timezoneSchema } from '@touchline/journey';
import type { ProfileSource } from '@touchline/runtime';
import { z } from 'zod';

/**
 * The body and answer of `POST /api/journeys/:id/simulate`: one schema each, used for validation,
 * the OpenAPI document and the handler's types.
 */

const properties = z.record(z.string(), z.unknown());
const count = z.number().int().min(0, { error: 'must be 0 or more' });

/** Computed traits as Touchline keeps them; other keys are kept as given. */
const computedTraits = z.looseObject({
  orders_count: count.optional(),
  lifetime_value: z.number({ error: 'must be a number' }).optional(),
  last_order_at: dateTimeSchema.optional(),
  first_seen_at: dateTimeSchema.optional(),
  last_seen_at: dateTimeSchema.optional(),
  rfm_recency: count.optional(),
  rfm_frequency: count.optional(),
  rfm_monetary: count.optional(),
});

export const simulatedProfile = z
  .strictObject({
    userId: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(512, { error: 'must be at most 512 characters' })
      .optional()
      .describe('alone: the stored profile with this user id, anonymous id or alias'),
    traits: properties.optional(),
    computed: computedTraits.optional(),
    timezone: timezoneSchema
      .refine((zone) => zone !== 'profile', { error: 'must be an IANA timezone such as Europe/Paris' })
      .optional(),
    locale: z.string().max(35).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, {
    error:
      'send { userId } to simulate a stored profile, or { traits, timezone?, computed? } for a made-up person',
  })
  .describe('{ userId } alone loads that stored profile; any other field simulates the person as given');

export type SimulatedProfileBody = z.infer<typeof simulatedProfile>;

/** True when the body names a stored profile rather than describing a person. */
export function isStoredProfile(profile: SimulatedProfileBody): profile is { userId: string } {
  return profile.userId !== undefined && Object.keys(profile).length === 1;
}

/** A made-up person as the runtime's profile source. */
const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

export function profileSourceOf(profile: SimulatedProfileBody): ProfileSource {
  const { orders_count, lifetime_value, last_order_at, first_seen_at, last_seen_at, ...computed } =
    profile.computed ?? {};
  return {
    user_id: profile.userId ?? null,
    traits: profile.traits ?? {},
    computed,
    // As ingestion stores them: an email or phone among the traits is the profile's address.
    email: profile.email ?? textOf(profile.traits?.email),
    phone: profile.phone ?? textOf(profile.traits?.phone),
    timezone: profile.timezone ?? null,
    locale: profile.locale ?? null,
    orders_count: orders_count ?? null,
    lifetime_value: lifetime_value ?? null,
    last_order_at: last_order_at ?? null,
    first_seen_at: first_seen_at ?? null,
    last_seen_at: last_seen_at ?? null,
    rfm_recency: profile.computed?.rfm_recency ?? null,
    rfm_frequency: profile.computed?.rfm_frequency ?? null,
    rfm_monetary: profile.computed?.rfm_monetary ?? null,
  };
}

const simulatedEvent = z
  .strictObject({
    event: z.string().min(1, { error: 'must not be empty' }).max(200),
    at: dateTimeSchema.optional().describe('when it happens'),
    after: durationSchema.optional().describe('or: this long after `start`, e.g. PT20M'),
    properties: properties.optional(),
  })
  .refine((e) => e.at === undefined || e.after === undefined, {
    error: 'give "at" or "after", not both',
    path: ['after'],
  });

export const simulateBody = z
  .strictObject({
    profile: simulatedProfile,
    events: z.array(simulatedEvent).max(1_000, { error: 'at most 1,000 events' }),
    start: dateTimeSchema.optional().describe('the simulated clock starts here (default: now)'),
    until: dateTimeSchema
      .optional()
      .describe('the simulated clock stops here (default: 366 days after the last event)'),
    version: z
      .union([z.literal('draft'), z.number().int().min(1)], {
        error: 'must be "draft" or a published version number (1 or more)',
      })
      .default('draft'),
    segments: z
      .array(z.string().min(1))
      .max(1_000)
      .optional()
      .describe('segment ids the person is in for inSegment conditions; any other answers false'),
    seed: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('seeds random splits: the same seed, the same branch'),
  })
  .refine((b) => !b.start || !b.until || Date.parse(b.until) >= Date.parse(b.start), {
    error: 'must not be before start',
    path: ['until'],
  });

const iso = z.string().describe('ISO-8601 date-time');

const simulatedStep = z.object({
  nodeId: z.string(),
  type: z.string(),
  visit: z.number().int(),
  port: z.string().nullable().describe('null where it waits, ended, or reached an exit'),
  rule: z.string().nullable(),
  at: iso,
  leftAt: iso.nullable(),
  reason: z.string(),
  facts: z.record(z.string(), z.unknown()).optional().describe('the values the deciding rules read'),
});

export const simulationBody = z.object({
  journeyId: z.uuid(),
  version: z.union([z.literal('draft'), z.number().int()]),
  start: iso,
  status: z.enum(['not_entered', 'waiting', 'completed', 'exited', 'failed']),
  converted: z.boolean(),
  enteredAt: iso.nullable(),
  endedAt: iso.nullable(),
  endReason: z.string().nullable(),
  waitingAt: z
    .object({ nodeId: z.string(), since: iso, wakeAt: iso, event: z.string().nullable() })
    .nullable(),
  path: z.array(simulatedStep),
  messages: z.array(
    z.object({
      nodeId: z.string(),
      channel: z.string(),
      templateId: z.string().nullable(),
      at: iso,
      consent: z.boolean().nullable().describe('traits.subscriptions.<channel> at that moment; null: unset'),
      transactional: z.boolean(),
      suppressedReason: z
        .string()
        .nullable()
        .describe(
          'the guard that would stop it (as live: consent, address, caps, quiet hours); null: it goes',
        ),
    }),
  ),
  events: z.array(z.object({ index: z.number().int(), event: z.string(), at: iso, outcome: z.string() })),
  truncated: z.boolean(),
  error: z.object({ nodeId: z.string().nullable(), message: z.string() }).nullable(),
});

export const errorBody = z.object({
  error: z.string(),
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
