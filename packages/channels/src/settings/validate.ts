import { isIP } from 'node:net';
import type { ChannelName } from '../adapter.js';
import { classifyAddress } from '../adapters/host-check.js';
import { compileBodyTemplate } from '../adapters/http-provider-mapping.js';
import { TemplateError } from '../errors.js';
import { createLiquidEngines, type LiquidEngines } from '../liquid.js';
import { adaptersOfChannel, type ChannelSettings, requiredSecretsOf } from './schema.js';
import { missingSecrets } from './secrets.js';

export interface SettingsIssue {
  /** The field, as a dot path inside the settings (`auth.token`, `body.to`). */
  path: string;
  message: string;
}

/**
 * What the schema cannot say about a channel's settings, with stored credentials already kept:
 * the adapter fits the channel, the credentials it needs are there, the body template parses,
 * and a provider URL on a literal private address is allowed (host names are checked per send).
 */
export function validateChannelSettings(
  channel: ChannelName,
  settings: ChannelSettings,
  env: { allowPrivate?: boolean | undefined; engines?: LiquidEngines | undefined } = {},
): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const allowed = adaptersOfChannel[channel];
  if (!allowed.includes(settings.adapter)) {
    issues.push({ path: 'adapter', message: `the ${channel} channel takes ${allowed.join(' or ')}` });
    return issues;
  }
  for (const path of missingSecrets(settings, requiredSecretsOf(settings))) {
    issues.push({ path, message: 'is required (no stored value to keep)' });
  }
  if (settings.adapter === 'http') {
    if (settings.body) {
      try {
        compileBodyTemplate(settings.body, env.engines ?? createLiquidEngines());
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        issues.push({ path: error.field, message: error.message.slice(error.field.length + 2) });
      }
    }
    const host = new URL(settings.url).hostname.replace(/^\[|\]$/g, '');
    const reason = isIP(host) ? classifyAddress(host) : null;
    if (reason && !settings.allowPrivate && !env.allowPrivate) {
      issues.push({
        path: 'url',
        message: `${host} is ${reason}; set allowPrivate: true for a self-hosted gateway`,
      });
    }
  }
  return issues;
}
