/**
 * What one call may carry. Segment's own limits are 32 KB per message and 500 KB per batch; ours
 * are more generous per batch (server-side senders batch harder) and the same per message.
 */
export const ingestLimits = {
  /** A request body after gunzip; larger answers 413. */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Messages in one `/v1/batch` call; more answers 400. */
  maxBatchMessages: 2500,
  /** One message as JSON; a larger message is rejected on its own. */
  maxMessageBytes: 32 * 1024,
  /** Nesting of objects and arrays inside properties, traits and context. */
  maxDepth: 10,
  maxIdLength: 512,
  maxMessageIdLength: 200,
  maxEventNameLength: 200,
  /** Timestamps further ahead than this are refused: waits and windows would misfire. */
  maxFutureMs: 24 * 60 * 60 * 1000,
} as const;
