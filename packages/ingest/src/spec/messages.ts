import { z } from 'zod';
import { ingestLimits } from './limits.js';

/**
 * Segment's tracking spec (https://segment.com/docs/connections/spec/) as zod schemas. Unknown
 * top-level fields (`integrations`, `_metadata`, `writeKey`, …) are accepted and ignored, as
 * Segment does, so any Segment or RudderStack library works unchanged.
 */

// Some libraries send numeric ids; Segment stores them as strings, and so do we.
const requiredString = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be a string'),
};

const identifier = z
  .union([z.string(), z.number().finite()], requiredString)
  .transform((value) => String(value).trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(ingestLimits.maxIdLength, { error: `must be at most ${ingestLimits.maxIdLength} characters` }),
  );

const record = z.record(z.string(), z.unknown(), {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object'),
});
const isoTimestamp = z.union([z.string(), z.date()], { error: 'must be an ISO-8601 timestamp' });

const common = {
  messageId: z
    .union([z.string(), z.number().finite()], requiredString)
    .transform((value) => String(value).trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'must not be empty' })
        .max(ingestLimits.maxMessageIdLength, {
          error: `must be at most ${ingestLimits.maxMessageIdLength} characters`,
        }),
    )
    .optional(),
  userId: identifier.nullish(),
  anonymousId: identifier.nullish(),
  timestamp: isoTimestamp.nullish(),
  originalTimestamp: isoTimestamp.nullish(),
  sentAt: isoTimestamp.nullish(),
  context: record.nullish(),
  integrations: z.unknown().optional(),
};

const eventName = z
  .string(requiredString)
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(ingestLimits.maxEventNameLength, {
    error: `must be at most ${ingestLimits.maxEventNameLength} characters`,
  });

export const trackMessage = z.looseObject({
  ...common,
  type: z.literal('track').optional(),
  event: eventName,
  properties: record.nullish(),
});

export const identifyMessage = z.looseObject({
  ...common,
  type: z.literal('identify').optional(),
  traits: record.nullish(),
});

const pageLike = {
  ...common,
  name: z.string().max(ingestLimits.maxEventNameLength).nullish(),
  category: z.string().max(ingestLimits.maxEventNameLength).nullish(),
  properties: record.nullish(),
};
export const pageMessage = z.looseObject({ ...pageLike, type: z.literal('page').optional() });
export const screenMessage = z.looseObject({ ...pageLike, type: z.literal('screen').optional() });

export const groupMessage = z.looseObject({
  ...common,
  type: z.literal('group').optional(),
  groupId: identifier,
  traits: record.nullish(),
});

export const aliasMessage = z.looseObject({
  ...common,
  type: z.literal('alias').optional(),
  previousId: identifier,
  userId: identifier,
});

export const messageSchemas = {
  track: trackMessage,
  identify: identifyMessage,
  page: pageMessage,
  screen: screenMessage,
  group: groupMessage,
  alias: aliasMessage,
} as const;

export type MessageType = keyof typeof messageSchemas;
export const messageTypes = Object.keys(messageSchemas) as MessageType[];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(messageSchemas, value);
}

/** `/v1/batch`: the messages, plus context and integrations that apply to each of them. */
export const batchBody = z.looseObject({
  batch: z.array(z.unknown(), { error: 'must be an array of messages' }).max(ingestLimits.maxBatchMessages, {
    error: `at most ${ingestLimits.maxBatchMessages} messages per batch`,
  }),
  context: record.nullish(),
  integrations: z.unknown().optional(),
  sentAt: isoTimestamp.nullish(),
});
