/**
 * The shapes conditions read, built the same way by the live runtime and the simulator so that a
 * journey tested in the simulator decides exactly as it will live.
 */

/** The `event` fact: a Segment-spec call as journeys see it. */
export interface EventFact {
  readonly messageId: string;
  readonly type: string;
  readonly event: string | null;
  readonly userId: string | null;
  readonly anonymousId: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
  /** ISO-8601: when it happened. */
  readonly timestamp: string;
}

/** What the profile fact is built from (a `profiles` row, or a simulated person). */
export interface ProfileSource {
  readonly user_id: string | null;
  readonly traits: Record<string, unknown>;
  readonly computed?: Record<string, unknown> | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly push_tokens?: readonly string[] | null;
  readonly timezone?: string | null;
  readonly locale?: string | null;
  readonly orders_count?: number | null;
  readonly lifetime_value?: string | number | null;
  readonly last_order_at?: Date | string | null;
  readonly first_seen_at?: Date | string | null;
  readonly last_seen_at?: Date | string | null;
  readonly rfm_recency?: number | null;
  readonly rfm_frequency?: number | null;
  readonly rfm_monetary?: number | null;
  /** The channels whose address of this profile is on the suppression list (0009). */
  readonly suppressed_channels?: readonly string[] | null;
}

/** The `profile` fact: `traits.*` as sent, `computed.*` as Touchline keeps them. */
export interface ProfileFact {
  readonly userId: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  /** Devices that can receive push, newest first. */
  readonly pushTokens: readonly string[];
  /** Channels whose address is on the workspace's suppression list (a bounce, a complaint). */
  readonly suppressedChannels?: readonly string[];
  readonly timezone: string | null;
  readonly locale: string | null;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly computed: Readonly<Record<string, unknown>>;
}

/** The `journey` fact: the enrollment's context. */
export interface JourneyFact {
  readonly triggerEvent: EventFact | null;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Random split node id → branch taken. */
  readonly assignments: Readonly<Record<string, string>>;
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : value;
}

export function profileFact(source: ProfileSource): ProfileFact {
  return {
    userId: source.user_id,
    email: source.email ?? null,
    phone: source.phone ?? null,
    pushTokens: source.push_tokens ?? [],
    ...(source.suppressed_channels?.length ? { suppressedChannels: source.suppressed_channels } : {}),
    timezone: source.timezone ?? null,
    locale: source.locale ?? null,
    traits: source.traits,
    computed: {
      ...source.computed,
      orders_count: source.orders_count ?? 0,
      lifetime_value: Number(source.lifetime_value ?? 0),
      last_order_at: iso(source.last_order_at),
      first_seen_at: iso(source.first_seen_at),
      last_seen_at: iso(source.last_seen_at),
      rfm_recency: source.rfm_recency ?? null,
      rfm_frequency: source.rfm_frequency ?? null,
      rfm_monetary: source.rfm_monetary ?? null,
    },
  };
}

export function journeyFact(context: {
  triggerEvent?: EventFact | null;
  variables?: Record<string, unknown>;
  assignments?: Record<string, string>;
}): JourneyFact {
  return {
    triggerEvent: context.triggerEvent ?? null,
    variables: context.variables ?? {},
    assignments: context.assignments ?? {},
  };
}
