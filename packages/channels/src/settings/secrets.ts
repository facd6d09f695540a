import { type ChannelSettings, secretFieldsOf } from './schema.js';

/** Credentials by dot path (`auth.token`), as encrypted together in one envelope. */
export type SecretValues = Record<string, string>;

const MASK = '••••';

function get(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A copy of `source` with the value at `path` set (or removed when `value` is undefined). */
function set<T extends Record<string, unknown>>(source: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  if (!head) return source;
  const copy: Record<string, unknown> = { ...source };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy as T;
  }
  const child = copy[head];
  if (child === null || typeof child !== 'object') return copy as T;
  copy[head] = set(child as Record<string, unknown>, rest.join('.'), value);
  return copy as T;
}

/** `••••` and the last four characters (all masked when short): enough to tell keys apart. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

const isMasked = (value: unknown): boolean => typeof value === 'string' && value.startsWith(MASK);

/** The settings without their credentials (stored in clear), and the credentials (encrypted). */
export function splitSecrets(settings: ChannelSettings): { config: ChannelSettings; secrets: SecretValues } {
  let config = settings;
  const secrets: SecretValues = {};
  for (const path of secretFieldsOf(settings)) {
    const value = get(settings, path);
    if (typeof value === 'string') secrets[path] = value;
    config = set(config, path, undefined);
  }
  return { config, secrets };
}

/** Stored settings with their credentials put back. */
export function joinSecrets(config: ChannelSettings, secrets: SecretValues): ChannelSettings {
  let settings = config;
  for (const path of secretFieldsOf(config)) {
    if (secrets[path] !== undefined) settings = set(settings, path, secrets[path]);
  }
  return settings;
}

/** Settings as the API answers them: every credential masked. */
export function maskSecrets(config: ChannelSettings, secrets: SecretValues): ChannelSettings {
  let settings = config;
  for (const path of secretFieldsOf(config)) {
    const value = secrets[path];
    if (value !== undefined) settings = set(settings, path, maskSecret(value));
  }
  return settings;
}

/**
 * A PUT's settings with the stored credentials kept where it sent none (or sent back the
 * masked value it was given); credentials the new settings have no field for are dropped.
 */
export function keepStoredSecrets(incoming: ChannelSettings, stored: SecretValues): ChannelSettings {
  let settings = incoming;
  for (const path of secretFieldsOf(incoming)) {
    const value = get(incoming, path);
    if (value === undefined || isMasked(value)) settings = set(settings, path, stored[path]);
  }
  return settings;
}

/** The credential fields of `settings` that are missing. */
export function missingSecrets(settings: ChannelSettings, required: readonly string[]): string[] {
  return required.filter((path) => typeof get(settings, path) !== 'string');
}
