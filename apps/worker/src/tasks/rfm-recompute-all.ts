import { enqueueMany } from '@touchline/jobs';
import { defineTask } from '../task.js';

/**
 * Fans the daily RFM run out to one job per workspace, so workspaces are scored in parallel and
 * one failing workspace is retried alone. The job key makes a workspace whose previous job is
 * still queued get that job replaced, not a second one.
 */
export const rfmRecomputeAll = defineTask('rfm_recompute_all', async (_payload, { db, helpers }) => {
  const workspaces = await db.selectFrom('workspaces').select('id').execute();
  await enqueueMany(
    db,
    workspaces.map(({ id }) => ({
      task: 'rfm_recompute' as const,
      payload: { workspaceId: id },
      jobKey: `rfm:${id}`,
    })),
  );
  helpers.logger.info(`RFM recompute queued for ${workspaces.length} workspaces`);
});
