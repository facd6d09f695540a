import { defineTask } from '../task.js';

/** How long the rejection log keeps a refused event: long enough to notice and fix a sender. */
export const rejectionRetentionDays = 30;

export const ingestRejectionsCleanup = defineTask(
  'ingest_rejections_cleanup',
  async (_payload, { db, helpers }) => {
    const cutoff = new Date(Date.now() - rejectionRetentionDays * 86_400_000);
    const result = await db
      .deleteFrom('ingest_rejections')
      .where('received_at', '<', cutoff)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    if (deleted > 0)
      helpers.logger.info(`deleted ${deleted} ingest rejections older than ${rejectionRetentionDays} days`);
  },
);
