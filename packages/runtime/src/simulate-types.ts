import type { CompiledJourney } from '@touchline/journey';
import type { ProfileSource } from './facts.js';
import type { WorkspaceMessaging } from './guards.js';

// The simulator's input and its answer; the answer is plain data, ready to send as JSON.

/** One event of a simulated timeline: at an instant, or `after` the start (ISO-8601 duration). */
export interface SimulatedEventInput {
  readonly event: string;
  readonly at?: Date | string;
  readonly after?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SimulationInput {
  readonly compiled: CompiledJourney;
  /** A stored profile or a person made up for the test. */
  readonly profile: ProfileSource;
  /** The simulated clock starts here; earlier events are history only (`eventCount`, `lastEvent`). */
  readonly start: Date;
  readonly events: readonly SimulatedEventInput[];
  /** Segments the person is in for `inSegment`; any other segment answers false. */
  readonly segments?: readonly string[];
  /** Where the simulated clock stops; by default 366 days after the last event (or the start). */
  readonly until?: Date;
  /** Seeds random splits: the same seed takes the same branches. */
  readonly seed?: string;
  /** The workspace's consent defaults and caps; by default opt-out and no caps. */
  readonly messaging?: WorkspaceMessaging;
}

export type SimulationStatus = 'not_entered' | 'waiting' | 'completed' | 'exited' | 'failed';

/** One node visit on the path, as the step log would record it, with the reason in words. */
export interface SimulatedStep {
  readonly nodeId: string;
  readonly type: string;
  readonly visit: number;
  /** The port taken; null where the enrollment waits, ended, or reached an exit. */
  readonly port: string | null;
  readonly rule: string | null;
  readonly at: string;
  readonly leftAt: string | null;
  readonly reason: string;
  /** The values the deciding rules read, by fact label (conditions, splits, triggers). */
  readonly facts?: Record<string, unknown>;
}

/** A send the journey would make; nothing is written or delivered. */
export interface SimulatedMessage {
  readonly nodeId: string;
  readonly channel: string;
  readonly templateId: string | null;
  readonly at: string;
  /** `traits.subscriptions.<channel>` when the send happens: true, false, or null (unset). */
  readonly consent: boolean | null;
  readonly transactional: boolean;
  /** The guard that would stop the send (consent, caps, quiet hours…), as live; null: it goes. */
  readonly suppressedReason: string | null;
}

/** What one event of the timeline did (by its position in the input). */
export interface SimulatedEventOutcome {
  readonly index: number;
  readonly event: string;
  readonly at: string;
  readonly outcome: string;
}

export interface SimulationResult {
  readonly status: SimulationStatus;
  /** The goal was met within its window (also after the journey ended). */
  readonly converted: boolean;
  readonly enteredAt: string | null;
  readonly endedAt: string | null;
  readonly endReason: string | null;
  /** Where the enrollment waits when the simulated clock stops. */
  readonly waitingAt: {
    readonly nodeId: string;
    readonly since: string;
    readonly wakeAt: string;
    readonly event: string | null;
  } | null;
  readonly path: readonly SimulatedStep[];
  readonly messages: readonly SimulatedMessage[];
  readonly events: readonly SimulatedEventOutcome[];
  /** The path grew past its limit and the simulation stopped (a journey looping through waits). */
  readonly truncated: boolean;
  readonly error: { readonly nodeId: string | null; readonly message: string } | null;
}

/** A timeline the simulator cannot read; `path` names the field, e.g. `events.2.after`. */
export class SimulationInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'SimulationInputError';
  }
}
