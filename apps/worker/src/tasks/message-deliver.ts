import { sql } from 'kysely';
import { defineTask } from '../task.js';

/**
 * Delivers one outbox message. Until channel adapters are configured, every channel uses the
 * sandbox adapter: the message is marked sent and stays in the outbox (`GET /api/messages`).
 * Only a queued message is sent, so a repeated job sends nothing twice.
 */
export const messageDeliver = defineTask('message_deliver', async ({ workspaceId, messageId }, { db }) => {
  await db
    .updateTable('messages')
    .set({ status: 'sent', sent_at: sql`now()`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', messageId)
    .where('status', '=', 'queued')
    .execute();
});
