import type { IngestSettings } from '../settings.js';
import type { IngestEvent } from '../spec/normalize.js';

/**
 * What one event asks of its profile. The store folds these per profile, in arrival order, in
 * the same statement that inserts the events, so only events that were new count.
 */
export interface ProfileChanges {
  /** Top-level traits to set (identify merges shallowly, as Segment does). */
  traits: Record<string, unknown> | null;
  /** Consent merges per channel: `{ sms: false }` must not forget the email consent. */
  subscriptions: Record<string, unknown> | null;
  email: string | null;
  phone: string | null;
  /** An explicit trait; wins over what is stored. */
  timezone: string | null;
  /** From the device (context); fills a profile that has none, never overrides a trait. */
  contextTimezone: string | null;
  locale: string | null;
  contextLocale: string | null;
  pushToken: string | null;
  order: boolean;
  /** In cents, so that sums are exact. */
  revenueCents: number;
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

/** Reads what an event changes on its profile: traits, addresses, consent, order totals. Pure. */
export function profileChangesOf(e: IngestEvent, settings: IngestSettings): ProfileChanges {
  const changes: ProfileChanges = {
    traits: null,
    subscriptions: null,
    email: null,
    phone: null,
    timezone: null,
    contextTimezone: null,
    locale: null,
    contextLocale: null,
    pushToken: null,
    order: false,
    revenueCents: 0,
  };
  if (e.traits) {
    const { subscriptions, ...rest } = e.traits;
    if (Object.keys(rest).length > 0) changes.traits = rest;
    changes.subscriptions = record(subscriptions);
    changes.email = normaliseEmail(e.traits.email);
    changes.phone = normalisePhone(e.traits.phone);
    if (isTimezone(e.traits.timezone)) changes.timezone = e.traits.timezone;
    if (typeof e.traits.locale === 'string' && localePattern.test(e.traits.locale))
      changes.locale = e.traits.locale;
  }
  const context = e.context;
  if (isTimezone(context.timezone)) changes.contextTimezone = context.timezone;
  if (typeof context.locale === 'string' && localePattern.test(context.locale))
    changes.contextLocale = context.locale;
  const token = record(context.device)?.token;
  if (typeof token === 'string' && token.length > 0 && token.length <= 4096) changes.pushToken = token;
  if (e.type === 'track' && e.event === settings.orderEvent) {
    changes.order = true;
    changes.revenueCents = revenueCents(e.properties[settings.revenueProperty]);
  }
  return changes;
}
