import type { JourneyFacts } from '../evaluate/facts.js';

/**
 * Placeholder for the runtime issue: what a node's `run` will receive. Kept small on purpose so
 * that custom node types can be typed today without committing to the runtime's internals.
 */
export interface NodeRunContext {
  readonly nodeId: string;
  readonly enrollmentId: string;
  readonly facts: JourneyFacts;
  readonly now: Date;
}

/** The port the enrollment leaves by, or `null` to stay at the node (waiting). */
export interface NodeRunResult {
  readonly port: string | null;
}
