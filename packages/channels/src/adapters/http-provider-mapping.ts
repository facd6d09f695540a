import type { Template } from 'liquidjs';
import type { OutboundMessage } from '../adapter.js';
import { type LiquidEngines, parseLiquid, renderLiquid } from '../liquid.js';

/**
 * A provider's request body as JSON with Liquid in its strings, e.g.
 * `{ "To": "{{ to }}", "Body": "{{ text }}" }`. A string that is one bare variable
 * (`"{{ parameters }}"`) takes the value itself — an array stays an array, a missing value
 * leaves its key out — so non-string fields reach the provider with their JSON type.
 */
export type BodyTemplate = { [key: string]: unknown };

type CompiledNode =
  | { kind: 'value'; value: unknown }
  | { kind: 'path'; path: string[] }
  | { kind: 'liquid'; field: string; templates: Template[] }
  | { kind: 'array'; items: CompiledNode[] }
  | { kind: 'object'; entries: Array<[string, CompiledNode]> };

/** A body template parsed once per adapter: renders a message's scope to the provider's JSON. */
export type CompiledBody = (scope: Record<string, unknown>) => unknown;

const barePath = /^\{\{\s*([A-Za-z_][\w]*(?:\.[\w]+)*)\s*\}\}$/;

/** Parses a body template, or throws a `TemplateError` naming the field (`body.To`). */
export function compileBodyTemplate(template: BodyTemplate, engines: LiquidEngines): CompiledBody {
  const compile = (value: unknown, field: string): CompiledNode => {
    if (typeof value === 'string') {
      const bare = barePath.exec(value);
      if (bare?.[1]) return { kind: 'path', path: bare[1].split('.') };
      if (!value.includes('{')) return { kind: 'value', value };
      return { kind: 'liquid', field, templates: parseLiquid(engines.text, field, value) };
    }
    if (Array.isArray(value)) {
      return { kind: 'array', items: value.map((item, index) => compile(item, `${field}.${index}`)) };
    }
    if (value !== null && typeof value === 'object') {
      return {
        kind: 'object',
        entries: Object.entries(value).map(([key, item]) => [key, compile(item, `${field}.${key}`)]),
      };
    }
    return { kind: 'value', value };
  };
  const root = compile(template, 'body');
  const render = (node: CompiledNode, scope: Record<string, unknown>): unknown => {
    switch (node.kind) {
      case 'value':
        return node.value;
      case 'path':
        return valueAt(scope, node.path);
      case 'liquid':
        return renderLiquid(engines.text, node.field, node.templates, scope);
      case 'array':
        return node.items.map((item) => render(item, scope) ?? null);
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, item] of node.entries) {
          const value = render(item, scope);
          if (value !== undefined) out[key] = value;
        }
        return out;
      }
    }
  };
  return (scope) => render(root, scope);
}

/** The value at a dot path (`messages.0.id`, an optional leading `$.`), or undefined. */
export function valueAt(source: unknown, path: string | readonly string[]): unknown {
  const parts =
    typeof path === 'string'
      ? path
          .replace(/^\$\.?/, '')
          .split('.')
          .filter(Boolean)
      : path;
  let value: unknown = source;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * What a body template sees: the address (`to`), the message's ids and every rendered template
 * field at the top level (`text`; `title`, `body`, `deepLink`, `image`; `templateName`,
 * `language`, `parameters`).
 */
export function bodyScope(message: OutboundMessage): Record<string, unknown> {
  return {
    ...message.body,
    to: message.to,
    messageId: message.messageId,
    idempotencyKey: message.idempotencyKey,
    channel: message.channel,
  };
}

const MS_PER_HOUR = 3_600_000;

/**
 * `Retry-After` in milliseconds (delta-seconds or an HTTP date), capped at an hour so that a
 * provider cannot park a message for days; undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), MS_PER_HOUR);
}

/**
 * The provider's own words from an error response: the usual places (`message`, `error`,
 * `error.message`, `errors[0].message`, `detail`, `title`), else the body's text, trimmed.
 */
export function providerMessage(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 300);
  }
  for (const path of [
    'message',
    'error.message',
    'error_description',
    'error',
    'errors.0.message',
    'detail',
    'title',
  ]) {
    const value = valueAt(json, path);
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
  }
  return text.trim().slice(0, 300);
}
