import { deliverMessage } from '../delivery/deliver-message.js';
import { defineTask } from '../task.js';

/**
 * Delivers one outbox message through its channel's adapter (job key `deliver:<messageId>`).
 * A retryable failure throws and graphile-worker retries with exponential backoff; the
 * delivery module caps the attempts and keeps a retry from sending twice.
 */
export const messageDeliver = defineTask(
  'message_deliver',
  async ({ workspaceId, messageId }, { db, delivery }) => {
    await deliverMessage(db, delivery, workspaceId, messageId);
  },
);
