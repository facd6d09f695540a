import {
  type CompiledJourney,
  type CompiledNode,
  evaluateNode,
  type JourneyFacts,
  resolvePath,
} from '@touchline/journey';
import { nextTimeOfDay, stableBucket } from './time.js';

/**
 * The runtime's core, pure but for the callbacks it is given: from a node an enrollment arrives
 * at, walk the compiled journey (conditions and splits decided by their rules, actions handed to
 * `onAction`) until it must wait or it exits. The live runtime and the simulator both run it;
 * only their callbacks and clocks differ.
 */

/** A node an action asks the caller to carry out (a send, a profile update, a custom type). */
export interface ActionRequest {
  readonly nodeId: string;
  readonly type: string;
  readonly visit: number;
  readonly config: unknown;
  /** The node's ports: `out`, and `suppressed` for sends. */
  readonly ports: readonly string[];
}

/** The port an action leaves by; `reason` explains a `suppressed` (consent, cap, quiet hours…). */
export interface ActionOutcome {
  readonly port: string;
  readonly reason?: string;
  /**
   * The action waits for its result (a webhook whose answer is saved): the enrollment stops at
   * the node as at a timer, and leaves by `port` when woken earlier or at this time at the latest.
   */
  readonly awaitUntil?: Date;
}

export interface AdvanceContext {
  readonly now: Date;
  /** Seeds random splits: the same enrollment takes the same branch at the same node forever. */
  readonly enrollmentId: string;
  /** Facts for conditions and splits; `bucket` is supplied per node. */
  readonly facts: Omit<JourneyFacts, 'bucket'>;
  /** For `wait.until` in the profile's timezone (UTC when unknown). */
  readonly profileTimezone?: string | null;
  /** Carries out an action node; without it every action leaves by its first port. */
  readonly onAction?: (request: ActionRequest) => Promise<ActionOutcome> | ActionOutcome;
  /** Node visits so far (enrollment state): the step key is (enrollment, node, visit). */
  readonly visits?: Readonly<Record<string, number>>;
  /** A guard against runaway graphs; compile already refuses cycles that do not wait. */
  readonly maxSteps?: number;
}

/** One step of the step log: which node, which visit, which port and why. */
export interface Step {
  readonly nodeId: string;
  readonly type: string;
  readonly visit: number;
  readonly at: Date;
  /** The port taken; null at a node where the enrollment now waits. */
  readonly port: string | null;
  /** The rule that decided a condition or split (null: its default port). */
  readonly rule: string | null;
  readonly reason?: string;
}

export type Wait =
  | { readonly kind: 'timer'; readonly wakeAt: Date; readonly port: string }
  | {
      readonly kind: 'event';
      readonly event: string;
      /** The timeout: at `wakeAt` the enrollment leaves by `timeoutPort`. */
      readonly wakeAt: Date;
      readonly receivedPort: string;
      readonly timeoutPort: string;
      /** The value the awaited event must carry at `eventPath` (from the trigger event). */
      readonly correlate: { readonly eventPath: string; readonly value: unknown } | null;
    };

export type Stop =
  | { readonly kind: 'waiting'; readonly nodeId: string; readonly visit: number; readonly wait: Wait }
  | { readonly kind: 'exited'; readonly nodeId: string; readonly visit: number };

export interface Advance {
  readonly steps: readonly Step[];
  readonly stop: Stop;
  /** Visits after this advance: store them with the enrollment. */
  readonly visits: Readonly<Record<string, number>>;
}

export class JourneyRuntimeError extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
    this.name = 'JourneyRuntimeError';
  }
}

function nodeOf(compiled: CompiledJourney, nodeId: string): CompiledNode {
  const node = compiled.nodes[nodeId];
  if (!node) throw new JourneyRuntimeError(nodeId, `the journey version has no node "${nodeId}"`);
  return node;
}

/** Enters a profile: from the trigger node, by its `out` port. */
export function enter(compiled: CompiledJourney, context: AdvanceContext): Promise<Advance> {
  return leave(compiled, compiled.trigger.nodeId, 'out', context, { rule: 'trigger' });
}

/**
 * Continues an enrollment waiting at `nodeId` by `port`: a timer fired (`out`, `timeout`) or the
 * awaited event came (`received`).
 */
export function resume(
  compiled: CompiledJourney,
  nodeId: string,
  port: string,
  context: AdvanceContext,
): Promise<Advance> {
  return leave(compiled, nodeId, port, context, { rule: null });
}

async function leave(
  compiled: CompiledJourney,
  nodeId: string,
  port: string,
  context: AdvanceContext,
  how: { rule: string | null },
): Promise<Advance> {
  const node = nodeOf(compiled, nodeId);
  const visits: Record<string, number> = { ...context.visits };
  // The node being left was visited already (the trigger: by entering).
  const visit = visits[nodeId] ?? 1;
  visits[nodeId] = visit;
  const steps: Step[] = [{ nodeId, type: node.type, visit, at: context.now, port, rule: how.rule }];
  const next = node.next[port];
  if (next === undefined)
    throw new JourneyRuntimeError(nodeId, `port "${port}" of "${nodeId}" leads nowhere`);
  return walk(compiled, next, context, visits, steps);
}

async function walk(
  compiled: CompiledJourney,
  start: string,
  context: AdvanceContext,
  visits: Record<string, number>,
  steps: Step[],
): Promise<Advance> {
  const maxSteps = context.maxSteps ?? 1_000;
  let nodeId = start;
  for (let taken = 0; ; taken++) {
    if (taken >= maxSteps) {
      throw new JourneyRuntimeError(nodeId, `more than ${maxSteps} steps without waiting; the journey loops`);
    }
    const node = nodeOf(compiled, nodeId);
    const visit = (visits[nodeId] ?? 0) + 1;
    visits[nodeId] = visit;
    const record = (port: string | null, rule: string | null, reason?: string) =>
      steps.push({
        nodeId,
        type: node.type,
        visit,
        at: context.now,
        port,
        rule,
        ...(reason ? { reason } : {}),
      });

    if (node.type === 'exit' || node.ports.length === 0) {
      record(null, null);
      return { steps, stop: { kind: 'exited', nodeId, visit }, visits };
    }

    let port: string;
    if (node.wait) {
      const wait = planWait(node, context);
      if (wait.kind === 'timer' && wait.wakeAt.getTime() <= context.now.getTime()) {
        // A date already past: nothing to wait for.
        port = wait.port;
        record(port, null, 'the time to wait until has already passed');
      } else {
        record(null, null);
        return { steps, stop: { kind: 'waiting', nodeId, visit, wait }, visits };
      }
    } else if (node.category === 'action') {
      const outcome = context.onAction
        ? await context.onAction({ nodeId, type: node.type, visit, config: node.config, ports: node.ports })
        : { port: node.ports[0] as string };
      if (!node.ports.includes(outcome.port)) {
        throw new JourneyRuntimeError(nodeId, `"${node.type}" has no port "${outcome.port}"`);
      }
      port = outcome.port;
      if (outcome.awaitUntil) {
        record(null, null, outcome.reason);
        const wait: Wait = { kind: 'timer', wakeAt: outcome.awaitUntil, port };
        return { steps, stop: { kind: 'waiting', nodeId, visit, wait }, visits };
      }
      record(port, null, outcome.reason);
    } else {
      // The bucket only for rules that read it (random splits); other nodes take the facts as given.
      const facts = node.facts.includes('bucket')
        ? { ...context.facts, bucket: stableBucket(`${context.enrollmentId}:${nodeId}`) }
        : context.facts;
      // A promise only when a dynamic fact it reached is read from the database.
      const pending = evaluateNode(compiled, nodeId, facts, { now: context.now });
      const decision = pending instanceof Promise ? await pending : pending;
      if (decision.port === null) throw new JourneyRuntimeError(nodeId, `"${nodeId}" chose no port`);
      port = decision.port;
      record(port, decision.rule?.name ?? null);
    }

    const next = node.next[port];
    if (next === undefined)
      throw new JourneyRuntimeError(nodeId, `port "${port}" of "${nodeId}" leads nowhere`);
    nodeId = next;
  }
}

function planWait(node: CompiledNode, context: AdvanceContext): Wait {
  const wait = node.wait;
  const now = context.now.getTime();
  if (!wait) throw new Error('not a wait');
  switch (wait.kind) {
    case 'duration':
      return { kind: 'timer', wakeAt: new Date(now + wait.durationMs), port: wait.port };
    case 'until': {
      if (wait.at) return { kind: 'timer', wakeAt: new Date(wait.at), port: wait.port };
      const zone = wait.timezone === 'profile' ? (context.profileTimezone ?? 'UTC') : wait.timezone;
      return {
        kind: 'timer',
        wakeAt: nextTimeOfDay(context.now, wait.time as string, zone),
        port: wait.port,
      };
    }
    case 'event': {
      return {
        kind: 'event',
        event: wait.event,
        wakeAt: new Date(now + wait.timeoutMs),
        receivedPort: wait.receivedPort,
        timeoutPort: wait.timeoutPort,
        correlate: wait.correlate
          ? {
              eventPath: wait.correlate.eventPath,
              value: resolvePath(context.facts.journey, wait.correlate.triggerEventPath),
            }
          : null,
      };
    }
  }
}

/**
 * A cheap pre-filter for routing: the event's name and correlated value are the ones the
 * enrollment waits for. The node's own rules (its property conditions) still decide, with
 * `eventResumes`.
 */
export function matchesWait(wait: Wait, event: { event?: string | null }): boolean {
  if (wait.kind !== 'event' || event.event !== wait.event) return false;
  if (!wait.correlate) return true;
  return (
    resolvePath(event, wait.correlate.eventPath) === wait.correlate.value &&
    wait.correlate.value !== undefined
  );
}

/**
 * Whether `facts.event` resumes an enrollment waiting at a `wait.event` node: the node's rules
 * (event name, its property conditions, correlation with the trigger event) decide. Returns the
 * rule that held, or null to keep waiting.
 */
export async function eventResumes(
  compiled: CompiledJourney,
  nodeId: string,
  facts: Omit<JourneyFacts, 'bucket'>,
  now: Date,
): Promise<string | null> {
  const decision = await evaluateNode(compiled, nodeId, facts, { now });
  return decision.port === null ? null : (decision.rule?.name ?? null);
}
