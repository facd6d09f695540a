import type { Wait } from './advance.js';
import type { EventFact } from './facts.js';

export type EnrollmentStatus = 'active' | 'waiting' | 'completed' | 'exited' | 'failed';

/**
 * The enrollment context (`journey` fact and what messages personalise with). Written when the
 * enrollment is inserted and never by the runtime again (its writes leave the column as stored:
 * store.ts), so it is read-only here; a webhook's saved answer goes into `variables` from
 * delivery, in SQL.
 */
export interface EnrollmentContext {
  readonly triggerEvent: EventFact | null;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly assignments: Readonly<Record<string, string>>;
}

/** A stored wait, as JSON (dates as ISO strings). */
export type StoredWait =
  | { kind: 'timer'; wakeAt: string; port: string }
  | {
      kind: 'event';
      event: string;
      wakeAt: string;
      receivedPort: string;
      timeoutPort: string;
      correlate: { eventPath: string; value: unknown } | null;
    };

/** One enrollment as the runtime holds it while deciding: a row of `enrollments`. */
export interface EnrollmentState {
  readonly id: string;
  readonly workspaceId: string;
  readonly journeyId: string;
  journeyVersion: number;
  readonly profileId: string;
  status: EnrollmentStatus;
  currentNode: string | null;
  currentVisit: number | null;
  visits: Record<string, number>;
  readonly context: EnrollmentContext;
  wait: StoredWait | null;
  wakeAt: Date | null;
  readonly enteredAt: Date;
  entrySlot: string | null;
  readonly entryKey: string;
  endedAt: Date | null;
  endReason: string | null;
  convertedAt: Date | null;
  held: boolean;
  /** Not in the database yet. */
  readonly isNew: boolean;
  /**
   * The row version (`xmin`) read without a lock: the write then changes the row only if no
   * other transaction changed it since, and fails the transaction if one did (TL412).
   * Undefined for a row read `for update` (nothing else can change it) and for a new one.
   */
  readonly rowVersion?: string;
  /**
   * The step (its `stepKey`) where the row said the enrollment was when it was read: that step
   * row exists, so a step written there is an update of it. Undefined for a new enrollment.
   */
  readonly storedStep?: string;
}

export const runningStatuses: readonly EnrollmentStatus[] = ['active', 'waiting'];

export function isRunning(enrollment: Pick<EnrollmentState, 'status'>): boolean {
  return enrollment.status === 'active' || enrollment.status === 'waiting';
}

export function storeWait(wait: Wait): StoredWait {
  if (wait.kind === 'timer') return { kind: 'timer', wakeAt: wait.wakeAt.toISOString(), port: wait.port };
  return {
    kind: 'event',
    event: wait.event,
    wakeAt: wait.wakeAt.toISOString(),
    receivedPort: wait.receivedPort,
    timeoutPort: wait.timeoutPort,
    correlate: wait.correlate,
  };
}

export function loadWait(stored: StoredWait): Wait {
  if (stored.kind === 'timer') return { kind: 'timer', wakeAt: new Date(stored.wakeAt), port: stored.port };
  return {
    kind: 'event',
    event: stored.event,
    wakeAt: new Date(stored.wakeAt),
    receivedPort: stored.receivedPort,
    timeoutPort: stored.timeoutPort,
    correlate: stored.correlate,
  };
}

/** The key of one step: (enrollment, node, visit). Outbox rows and wake jobs carry it. */
export function stepKey(enrollmentId: string, nodeId: string, visit: number): string {
  return `${enrollmentId}:${nodeId}:${visit}`;
}

/** The graphile-worker job key of a wait: one per enrollment step, so a re-run cannot double it. */
export function wakeJobKey(enrollmentId: string, nodeId: string, visit: number): string {
  return `wake:${stepKey(enrollmentId, nodeId, visit)}`;
}
