import { deleteExpiredSessions } from '@touchline/db';
import { defineTask } from '../task.js';

export const sessionsCleanup = defineTask('sessions_cleanup', async (_payload, { db, helpers }) => {
  const deleted = await deleteExpiredSessions(db);
  if (deleted > 0) helpers.logger.info(`deleted ${deleted} expired sessions`);
});
