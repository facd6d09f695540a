import type { TouchlineTask } from '../task.js';
import { sessionsCleanup } from './sessions-cleanup.js';
import { systemPing } from './system-ping.js';

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tasks, each typed by its own name
export const builtinTasks: ReadonlyArray<TouchlineTask<any>> = [sessionsCleanup, systemPing];
