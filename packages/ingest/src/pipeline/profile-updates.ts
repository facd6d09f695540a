import type { IngestSettings } from '../settings.js';
import type { IngestEvent } from '../spec/normalize.js';

/** What a group of new events changes on one profile, applied in one UPDATE. */
export interface ProfileUpdate {
  workspaceId: string;
  profileId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Top-level traits to set (identify merges shallowly, as Segment does). */
  traits: Record<string, unknown> | null;
  /** Consent merges per channel: `{ sms: false }` must not forget the email consent. */
  subscriptions: Record<string, unknown> | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  pushTokens: string[] | null;
  orders: number;
  /** In cents, so that sums are exact; the store divides by 100. */
  revenueCents: number;
  lastOrderAt: Date | null;
}

const validTimezones = new Map<string, boolean>();

/** IANA zone names only; the answer is cached because Intl is slow to construct. */
export function isTimezone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  let valid = validTimezones.get(value);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      valid = true;
    } catch {
      valid = false;
    }
    if (validTimezones.size < 10_000) validTimezones.set(value, valid);
  }
  return valid;
}

const localePattern = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

/** Phone numbers are stored without spaces, dashes, dots and parentheses, so lookups match. */
export function normalisePhone(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const phone = String(value).replace(/[\s\-().]/g, '');
  return /^\+?[0-9]{4,20}$/.test(phone) ? phone : null;
}

function normaliseEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim();
  return email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

/** Revenue as cents: numbers and numeric strings ("12.50") count, anything else is ignored. */
export function revenueCents(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Folds new events into one update per profile: traits in arrival order (the last identify
 * wins, as in Segment), seen times as min/max of event timestamps, and order totals. Pure.
 */
export function aggregateProfileUpdates(
  events: readonly IngestEvent[],
  profileOf: readonly string[],
  settingsOf: (workspaceId: string) => IngestSettings,
): ProfileUpdate[] {
  const updates = new Map<string, ProfileUpdate>();
  events.forEach((e, index) => {
    const profileId = profileOf[index] as string;
    let u = updates.get(profileId);
    if (!u) {
      u = {
        workspaceId: e.workspaceId,
        profileId,
        firstSeenAt: e.timestamp,
        lastSeenAt: e.timestamp,
        traits: null,
        subscriptions: null,
        email: null,
        phone: null,
        timezone: null,
        locale: null,
        pushTokens: null,
        orders: 0,
        revenueCents: 0,
        lastOrderAt: null,
      };
      updates.set(profileId, u);
    } else {
      if (e.timestamp < u.firstSeenAt) u.firstSeenAt = e.timestamp;
      if (e.timestamp > u.lastSeenAt) u.lastSeenAt = e.timestamp;
    }

    const context = e.context;
    if (e.traits) {
      const { subscriptions, ...rest } = e.traits;
      if (Object.keys(rest).length > 0) u.traits = { ...(u.traits ?? {}), ...rest };
      const subs = record(subscriptions);
      if (subs) u.subscriptions = { ...(u.subscriptions ?? {}), ...subs };
      u.email = normaliseEmail(e.traits.email) ?? u.email;
      u.phone = normalisePhone(e.traits.phone) ?? u.phone;
      if (isTimezone(e.traits.timezone)) u.timezone = e.traits.timezone;
      if (typeof e.traits.locale === 'string' && localePattern.test(e.traits.locale))
        u.locale = e.traits.locale;
    }
    if (!u.timezone && isTimezone(context.timezone)) u.timezone = context.timezone;
    if (!u.locale && typeof context.locale === 'string' && localePattern.test(context.locale)) {
      u.locale = context.locale;
    }
    const device = record(context.device);
    const token = device?.token;
    if (typeof token === 'string' && token.length > 0 && token.length <= 4096) {
      u.pushTokens ??= [];
      if (!u.pushTokens.includes(token)) u.pushTokens.push(token);
    }

    if (e.type === 'track') {
      const settings = settingsOf(e.workspaceId);
      if (e.event === settings.orderEvent) {
        u.orders += 1;
        u.revenueCents += revenueCents(e.properties[settings.revenueProperty]);
        if (!u.lastOrderAt || e.timestamp > u.lastOrderAt) u.lastOrderAt = e.timestamp;
      }
    }
  });
  // A stable order keeps row locks in one order across concurrent groups (no deadlocks).
  return [...updates.values()].sort((a, b) =>
    a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : 0,
  );
}
