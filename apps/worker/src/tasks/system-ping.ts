import { defineTask } from '../task.js';

/** Proves end to end that jobs enqueued in SQL are picked up; used by health checks and tests. */
export const systemPing = defineTask('system_ping', async ({ token }, { helpers }) => {
  helpers.logger.debug(`ping ${token}`);
});
