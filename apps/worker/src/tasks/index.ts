import type { TouchlineTask } from '../task.js';
import { ingestRejectionsCleanup } from './ingest-rejections-cleanup.js';
import { journeySchedule, journeyTimersPromote, journeyWake } from './journey-wake.js';
import { messageDeliver } from './message-deliver.js';
import { rfmRecompute } from './rfm-recompute.js';
import { rfmRecomputeAll } from './rfm-recompute-all.js';
import { sessionsCleanup } from './sessions-cleanup.js';
import { systemPing } from './system-ping.js';

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tasks, each typed by its own name
export const builtinTasks: ReadonlyArray<TouchlineTask<any>> = [
  ingestRejectionsCleanup,
  journeySchedule,
  journeyTimersPromote,
  journeyWake,
  messageDeliver,
  rfmRecompute,
  rfmRecomputeAll,
  sessionsCleanup,
  systemPing,
];
