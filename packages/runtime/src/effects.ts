import type { EnrollmentState } from './enrollment.js';
import { stepKey } from './enrollment.js';

/** One row of the step log. */
export interface StepRow {
  readonly workspaceId: string;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly visit: number;
  readonly journeyId: string;
  readonly journeyVersion: number;
  readonly profileId: string;
  readonly type: string;
  /** Null while the enrollment waits at the node (or when it was ended there). */
  readonly port: string | null;
  readonly rule: string | null;
  readonly reason: string | null;
  readonly facts: Record<string, unknown> | null;
  readonly enteredAt: Date;
  readonly leftAt: Date | null;
}

/** A send: one outbox row per step, delivered by a job added in the same statement. */
export interface OutboxRow {
  readonly workspaceId: string;
  readonly idempotencyKey: string;
  readonly profileId: string;
  readonly enrollmentId: string;
  readonly journeyId: string;
  readonly nodeId: string;
  readonly channel: string;
  readonly templateId: string | null;
  readonly content: Record<string, unknown>;
  readonly transactional: boolean;
  /** Set when a guard stopped the send: the row records it and no delivery is queued. */
  readonly suppressedReason: string | null;
  /** Deliver then rather than now (quiet hours that delay). */
  readonly sendAt: Date | null;
}

export interface WakeRow {
  readonly workspaceId: string;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly visit: number;
  readonly wakeAt: Date;
}

export interface ProfileUpdate {
  readonly workspaceId: string;
  readonly profileId: string;
  readonly set: Record<string, unknown>;
  readonly addTags: readonly string[];
  readonly removeTags: readonly string[];
}

/**
 * Everything one transaction of the runtime changes, gathered in memory while deciding and
 * written in a few set-based statements at the end: enrollments, steps, outbox rows, timers.
 */
export class Effects {
  /** Enrollments created or changed, by id. */
  readonly enrollments = new Map<string, EnrollmentState>();
  /** Step rows by step key; a later row for the same step replaces the earlier one. */
  readonly steps = new Map<string, StepRow>();
  readonly outbox: OutboxRow[] = [];
  readonly wakes: WakeRow[] = [];
  /** Waits abandoned (an event arrived, the enrollment ended): their jobs and timers go. */
  readonly cancelled: WakeRow[] = [];
  readonly profileUpdates: ProfileUpdate[] = [];
  /** Slots released before new enrollments are inserted (a cooldown that has passed). */
  readonly released: EnrollmentState[] = [];

  touch(enrollment: EnrollmentState): void {
    this.enrollments.set(enrollment.id, enrollment);
  }

  step(row: StepRow): void {
    const key = stepKey(row.enrollmentId, row.nodeId, row.visit);
    const earlier = this.steps.get(key);
    // Arrived and left within this transaction: keep when it arrived.
    this.steps.set(key, earlier ? { ...row, enteredAt: earlier.enteredAt } : row);
  }

  get isEmpty(): boolean {
    return (
      this.enrollments.size === 0 &&
      this.steps.size === 0 &&
      this.outbox.length === 0 &&
      this.profileUpdates.length === 0
    );
  }
}
