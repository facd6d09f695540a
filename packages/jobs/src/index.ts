export { enqueue, enqueueMany, type JobOptions, type JobSpec } from './enqueue.js';
export { isTaskName, parseTaskPayload, type TaskName, type TaskPayload, taskPayloads } from './tasks.js';
