export { type DeliveryOutcome, DeliveryRetry, deliverMessage } from './delivery/deliver-message.js';
export { createDelivery, type Delivery, type LinkTarget, trackingLinks } from './delivery/delivery.js';
export { recommendedProducts } from './delivery/recommendations.js';
export { retryDelayMs, startDeliverySweep, sweepDueMessages } from './delivery/sweep.js';
export { stopOnSignals } from './shutdown.js';
export { defineTask, type TaskContext, type TouchlineTask } from './task.js';
export { builtinTasks } from './tasks/index.js';
export { startWorker, type TouchlineWorker, type WorkerOptions } from './worker.js';
