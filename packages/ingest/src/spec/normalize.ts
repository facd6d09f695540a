import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ingestLimits } from './limits.js';
import { isMessageType, type MessageType, messageSchemas, messageTypes } from './messages.js';

/** One accepted call, in the shape the pipeline stores. */
export interface IngestEvent {
  workspaceId: string;
  messageId: string;
  type: MessageType;
  /** The track event's name; null for other types (a page's name is in properties.name). */
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** alias: the id being linked to userId. */
  previousId: string | null;
  /** What events.properties stores: track/page/screen properties, identify traits, group traits. */
  properties: Record<string, unknown>;
  /** identify: the traits to merge into the profile (with context.traits under them). */
  traits: Record<string, unknown> | null;
  context: Record<string, unknown>;
  timestamp: Date;
  receivedAt: Date;
  /** properties and context as JSON, serialised once: measured for the size limit, then stored. */
  propertiesJson: string;
  contextJson: string;
}

export interface FieldIssue {
  path: string;
  message: string;
}

export type Normalized =
  | { ok: true; event: IngestEvent }
  | { ok: false; messageId: string | null; type: string | null; issues: FieldIssue[] };

export interface NormalizeOptions {
  workspaceId: string;
  receivedAt: Date;
  /** The type the endpoint implies (`/v1/track`); a batch message must name its own. */
  type?: MessageType;
  /** Batch-level context and integrations apply to every message, which may override them. */
  batchContext?: Record<string, unknown> | null;
  sentAt?: string | Date | null;
}

/**
 * Validates one Segment message and turns it into an IngestEvent. Pure: the same input gives
 * the same output, except the messageId generated for a message that has none (such a message
 * cannot be deduplicated, as with Segment).
 */
export function normalizeMessage(raw: unknown, options: NormalizeOptions): Normalized {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return reject(null, null, [{ path: '', message: 'must be an object' }]);
  }
  const message = raw as Record<string, unknown>;
  const rawId = typeof message.messageId === 'string' ? message.messageId : null;
  const declared = message.type;
  let type: MessageType;
  if (options.type) {
    if (declared !== undefined && declared !== options.type) {
      return reject(rawId, String(declared), [
        { path: 'type', message: `must be "${options.type}" on this endpoint (or left out)` },
      ]);
    }
    type = options.type;
  } else if (isMessageType(declared)) {
    type = declared;
  } else {
    return reject(rawId, typeof declared === 'string' ? declared : null, [
      {
        path: 'type',
        message: declared === undefined ? 'is required' : `must be one of ${messageTypes.join(', ')}`,
      },
    ]);
  }

  const parsed = (messageSchemas[type] as z.ZodType).safeParse(message);
  if (!parsed.success) {
    return reject(
      rawId,
      type,
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const m = parsed.data as Record<string, unknown>;
  const issues: FieldIssue[] = [];

  const userId = (m.userId as string | null | undefined) ?? null;
  const anonymousId = (m.anonymousId as string | null | undefined) ?? null;
  if (!userId && !anonymousId) issues.push({ path: 'userId', message: 'userId or anonymousId is required' });

  const context = mergeContext(options.batchContext, m.context as Record<string, unknown> | null);
  let properties: Record<string, unknown>;
  let traits: Record<string, unknown> | null = null;
  let event: string | null = null;
  let previousId: string | null = null;
  switch (type) {
    case 'track':
      event = m.event as string;
      properties = (m.properties as Record<string, unknown> | null) ?? {};
      break;
    case 'identify': {
      const contextTraits = context.traits;
      traits = {
        ...(isRecord(contextTraits) ? contextTraits : {}),
        ...((m.traits as Record<string, unknown> | null) ?? {}),
      };
      properties = traits;
      break;
    }
    case 'page':
    case 'screen':
      properties = { ...((m.properties as Record<string, unknown> | null) ?? {}) };
      if (m.name != null) properties.name = m.name;
      if (m.category != null) properties.category = m.category;
      break;
    case 'group':
      properties = { groupId: m.groupId, traits: (m.traits as Record<string, unknown> | null) ?? {} };
      break;
    case 'alias':
      previousId = m.previousId as string;
      properties = { previousId };
      break;
  }

  checkValue(properties, type === 'identify' ? 'traits' : 'properties', 1, issues);
  checkValue(context, 'context', 1, issues);
  if (event?.includes('\0')) issues.push({ path: 'event', message: 'must not contain NUL characters' });

  const timestamp = resolveTimestamp(m, options, issues);
  if (issues.length > 0) return reject(rawId, type, issues);

  const propertiesJson = JSON.stringify(properties);
  const contextJson = JSON.stringify(context);
  const size = Buffer.byteLength(propertiesJson) + Buffer.byteLength(contextJson);
  if (size > ingestLimits.maxMessageBytes) {
    return reject(rawId, type, [
      {
        path: '',
        message: `message is ${size} bytes of properties, traits and context; the limit is ${ingestLimits.maxMessageBytes} bytes`,
      },
    ]);
  }

  return {
    ok: true,
    event: {
      workspaceId: options.workspaceId,
      messageId: (m.messageId as string | undefined) ?? randomUUID(),
      type,
      event,
      userId,
      anonymousId,
      previousId,
      properties,
      traits,
      context,
      timestamp: timestamp as Date,
      receivedAt: options.receivedAt,
      propertiesJson,
      contextJson,
    },
  };
}

function reject(messageId: string | null, type: string | null, issues: FieldIssue[]): Normalized {
  return { ok: false, messageId, type, issues };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeContext(
  batch: Record<string, unknown> | null | undefined,
  own: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  if (!batch) return own ?? {};
  if (!own) return { ...batch };
  return { ...batch, ...own };
}

/**
 * Depth and content checks a jsonb column needs: PostgreSQL refuses NUL characters in text, and
 * unbounded nesting is a way to make every later reader slow.
 */
function checkValue(value: unknown, path: string, depth: number, issues: FieldIssue[]): void {
  if (issues.length > 5) return;
  if (typeof value === 'string') {
    if (value.includes('\0')) issues.push({ path, message: 'must not contain NUL characters' });
    return;
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      issues.push({ path, message: 'must be a finite number' });
    }
    return;
  }
  if (depth > ingestLimits.maxDepth) {
    issues.push({ path, message: `is nested deeper than ${ingestLimits.maxDepth} levels` });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}.${i}`, depth + 1, issues);
    return;
  }
  for (const key in value) {
    if (key.includes('\0')) issues.push({ path, message: 'keys must not contain NUL characters' });
    checkValue((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, issues);
  }
}

function parseTime(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Segment's rules: an explicit `timestamp` is used as sent; a client-side `originalTimestamp`
 * is corrected for the device's clock with `sentAt` (receivedAt - (sentAt - originalTimestamp));
 * with neither, the event happened when we received it.
 */
function resolveTimestamp(
  m: Record<string, unknown>,
  options: NormalizeOptions,
  issues: FieldIssue[],
): Date | null {
  const received = options.receivedAt;
  let timestamp: Date | null = null;
  if (m.timestamp != null) {
    timestamp = parseTime(m.timestamp);
    if (!timestamp) {
      issues.push({ path: 'timestamp', message: 'must be an ISO-8601 timestamp' });
      return null;
    }
  } else if (m.originalTimestamp != null) {
    const original = parseTime(m.originalTimestamp);
    if (!original) {
      issues.push({ path: 'originalTimestamp', message: 'must be an ISO-8601 timestamp' });
      return null;
    }
    const sentAt = parseTime(m.sentAt ?? options.sentAt);
    timestamp = sentAt ? new Date(received.getTime() - (sentAt.getTime() - original.getTime())) : original;
  } else {
    timestamp = received;
  }
  const year = timestamp.getUTCFullYear();
  if (year < 1970 || timestamp.getTime() - received.getTime() > ingestLimits.maxFutureMs) {
    issues.push({
      path: m.timestamp != null ? 'timestamp' : 'originalTimestamp',
      message: 'must be after 1970 and at most 24 hours ahead of the server clock',
    });
    return null;
  }
  return timestamp;
}
