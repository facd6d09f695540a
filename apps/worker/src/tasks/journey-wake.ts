import { defineTask } from '../task.js';

/**
 * A journey wait ends. Concurrent wakes share one transaction in the runtime; the job completes
 * only after that commits, and a wake whose step has already moved on does nothing — so a job
 * run twice (a crash between commit and completion) still moves the enrollment once.
 */
export const journeyWake = defineTask('journey_wake', async ({ w, e, n, v }, { runtime }) => {
  if (!runtime) throw new Error('this worker runs no journey runtime; another worker will take the job');
  await runtime.wake({ workspaceId: w, enrollmentId: e, nodeId: n, visit: v });
});

export const journeyTimersPromote = defineTask(
  'journey_timers_promote',
  async (_payload, { runtime, helpers }) => {
    // A runtime whose wake sweep runs takes due timers off journey_timers itself: moving them
    // into the queue first would only write each one twice.
    if (!runtime || runtime.sweepsTimers) return;
    const moved = await runtime.promoteTimers();
    if (moved > 0) helpers.logger.info(`${moved} journey waits coming due moved to the queue`);
  },
);

export const journeySchedule = defineTask(
  'journey_schedule',
  async ({ w, j, from, anchor }, { runtime, helpers }) => {
    if (!runtime) throw new Error('this worker runs no journey runtime; another worker will take the job');
    const { entered } = await runtime.schedule({ workspaceId: w, journeyId: j, from, anchor });
    if (entered > 0) helpers.logger.info(`${entered} profiles entered journey ${j} on its schedule`);
  },
);
