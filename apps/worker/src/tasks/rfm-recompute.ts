import { recomputeRfm } from '@touchline/ingest';
import { defineTask } from '../task.js';

export const rfmRecompute = defineTask('rfm_recompute', async ({ workspaceId }, { db, helpers }) => {
  const { profiles } = await recomputeRfm(db, workspaceId);
  helpers.logger.info(`RFM scores written for ${profiles} profiles of workspace ${workspaceId}`);
});
