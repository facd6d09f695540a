import {
  type CompiledNode,
  forEachLeaf,
  type JourneyFacts,
  type NodeTypeRegistry,
  resolvePath,
} from '@touchline/journey';
import { type ActionRequest, type Advance, type AdvanceContext, enter, resume } from './advance.js';
import { channelOfAction } from './channels.js';
import type { Effects } from './effects.js';
import { type EnrollmentState, isRunning, type StoredWait, stepKey, storeWait } from './enrollment.js';
import type { EventFact, ProfileFact } from './facts.js';
import { journeyFact } from './facts.js';
import { type GuardDecision, type SendRequest, sendRequestOf } from './guards.js';
import { timeOrderedId } from './ids.js';
import type { RoutedVersion } from './routing.js';

/**
 * How long a webhook node with `saveResponseAs` waits for delivery to record the answer (its
 * retries take a few minutes); then the enrollment moves on without it.
 */
export const webhookResponseTimeoutMs = 10 * 60_000;

/** A profile while the runtime decides for it; `fact` changes as `profile.update` nodes run. */
export interface ProfileState {
  readonly workspaceId: string;
  readonly profileId: string;
  fact: ProfileFact;
}

/** History lookups behind the dynamic facts, bound to one profile. */
export type DynamicFacts = Pick<JourneyFacts, 'eventCount' | 'lastEvent' | 'inSegment'>;

export interface TransitionEnv {
  readonly now: Date;
  readonly effects: Effects;
  readonly profile: ProfileState;
  readonly dynamic: DynamicFacts;
  /** For custom action types that bring their own `run`. */
  readonly registry?: NodeTypeRegistry;
  /** The guards before a send (consent, caps, quiet hours); without it every send goes out. */
  readonly guard?: (send: SendRequest) => Promise<GuardDecision>;
}

function factsFor(enrollment: EnrollmentState, env: TransitionEnv, event: EventFact | null) {
  return {
    event: event ?? enrollment.context.triggerEvent ?? undefined,
    profile: env.profile.fact,
    journey: journeyFact(enrollment.context),
    ...env.dynamic,
  };
}

/** The values the node's rules read from static facts: the "why" kept in the step log. */
export function decidingValues(node: CompiledNode, facts: JourneyFacts): Record<string, unknown> | null {
  const values: Record<string, unknown> = {};
  let any = false;
  for (const rule of node.rules) {
    forEachLeaf(rule.conditions, '', (leaf) => {
      if (leaf.fact === 'event' || leaf.fact === 'profile' || leaf.fact === 'journey') {
        const path = leaf.path ?? '';
        const key = path ? `${leaf.fact}.${path}` : leaf.fact;
        if (key in values) return;
        values[key] = (path ? resolvePath(facts[leaf.fact], path) : facts[leaf.fact]) ?? null;
        any = true;
      } else if (leaf.fact === 'bucket') {
        values.bucket = facts.bucket ?? null;
        any = true;
      }
    });
  }
  return any ? values : null;
}

function actionHandler(enrollment: EnrollmentState, routed: RoutedVersion, env: TransitionEnv) {
  return async (request: ActionRequest) => {
    const config = (request.config ?? {}) as Record<string, unknown>;
    const channel = channelOfAction[request.type];
    if (channel) {
      const send = sendRequestOf(routed.compiled, routed.journeyId, channel, config);
      const { transactional } = send;
      const decision: GuardDecision = env.guard ? await env.guard(send) : { send: true };
      // A webhook whose answer is saved parks the enrollment until delivery records it.
      const awaitsResponse =
        request.type === 'send.webhook' &&
        typeof config.saveResponseAs === 'string' &&
        config.saveResponseAs !== '' &&
        decision.send !== false;
      const awaitUntil = awaitsResponse
        ? new Date((decision.send === 'later' ? decision.at : env.now).getTime() + webhookResponseTimeoutMs)
        : null;
      env.effects.outbox.push({
        workspaceId: enrollment.workspaceId,
        idempotencyKey: stepKey(enrollment.id, request.nodeId, request.visit),
        profileId: enrollment.profileId,
        enrollmentId: enrollment.id,
        journeyId: enrollment.journeyId,
        nodeId: request.nodeId,
        channel,
        templateId: typeof config.templateId === 'string' ? config.templateId : null,
        content: {
          node: config,
          journey: {
            id: routed.journeyId,
            name: routed.journeyName,
            version: routed.version,
            // Read back by the priority guard (priority-guard.ts) for sends in its window.
            priority: send.priority ?? 0,
          },
          triggerEvent: enrollment.context.triggerEvent,
          ...(awaitsResponse
            ? {
                awaitResponse: {
                  enrollmentId: enrollment.id,
                  nodeId: request.nodeId,
                  visit: request.visit,
                  saveAs: config.saveResponseAs,
                },
              }
            : {}),
        },
        transactional,
        suppressedReason: decision.send === false ? decision.reason : null,
        sendAt: decision.send === 'later' ? decision.at : null,
      });
      // A guarded send is recorded in the outbox as suppressed, with its reason, and takes the
      // node's `suppressed` port.
      if (decision.send === false)
        return { port: 'suppressed', reason: `${decision.reason}: ${decision.detail}` };
      const held =
        decision.send === 'later'
          ? `held for ${decision.detail}; sends at ${decision.at.toISOString()}`
          : null;
      if (awaitUntil) {
        const waits = `waits for the webhook's answer (saved as ${String(config.saveResponseAs)}) until ${awaitUntil.toISOString()} at the latest`;
        return { port: 'out', reason: held ? `${held}; ${waits}` : waits, awaitUntil };
      }
      if (held) return { port: 'out', reason: held };
      return { port: 'out' };
    }
    if (request.type === 'profile.update') {
      const set = (config.set ?? {}) as Record<string, unknown>;
      const addTags = (config.addTags ?? []) as string[];
      const removeTags = (config.removeTags ?? []) as string[];
      env.effects.profileUpdates.push({
        workspaceId: enrollment.workspaceId,
        profileId: enrollment.profileId,
        set,
        addTags,
        removeTags,
      });
      // Later nodes of this run see the change, as they will once it is stored.
      const traits = { ...env.profile.fact.traits, ...set };
      if (addTags.length + removeTags.length > 0) {
        const tags = new Set(Array.isArray(traits.tags) ? (traits.tags as string[]) : []);
        for (const tag of addTags) tags.add(tag);
        for (const tag of removeTags) tags.delete(tag);
        traits.tags = [...tags].sort();
      }
      env.profile.fact = { ...env.profile.fact, traits };
      return { port: 'out' };
    }
    if (request.type === 'notify.team') {
      return { port: 'out', reason: 'team notifications are recorded in the step log only' };
    }
    const instance = env.registry?.get(request.type)?.instantiate(request.config);
    if (instance?.ok && instance.instance.run) {
      const result = await instance.instance.run({
        nodeId: request.nodeId,
        enrollmentId: enrollment.id,
        facts: factsFor(enrollment, env, null),
        now: env.now,
      });
      if (result.port !== null) return { port: result.port };
    }
    return { port: request.ports[0] as string };
  };
}

function contextFor(
  enrollment: EnrollmentState,
  routed: RoutedVersion,
  env: TransitionEnv,
  event: EventFact | null,
): AdvanceContext {
  return {
    now: env.now,
    enrollmentId: enrollment.id,
    facts: factsFor(enrollment, env, event),
    profileTimezone: env.profile.fact.timezone,
    onAction: actionHandler(enrollment, routed, env),
    visits: enrollment.visits,
  };
}

/** Records an advance: its steps in the log, where the enrollment now is, what it waits for. */
function apply(
  enrollment: EnrollmentState,
  routed: RoutedVersion,
  advance: Advance,
  env: TransitionEnv,
  event: EventFact | null,
  firstFacts: Record<string, unknown> | null,
): void {
  const facts = factsFor(enrollment, env, event);
  advance.steps.forEach((step, index) => {
    const node = routed.compiled.nodes[step.nodeId];
    const values =
      index === 0 && firstFacts
        ? firstFacts
        : node && (node.category === 'condition' || node.category === 'split')
          ? decidingValues(node, { ...facts, bucket: undefined })
          : null;
    env.effects.step({
      workspaceId: enrollment.workspaceId,
      enrollmentId: enrollment.id,
      nodeId: step.nodeId,
      visit: step.visit,
      journeyId: enrollment.journeyId,
      journeyVersion: enrollment.journeyVersion,
      profileId: enrollment.profileId,
      type: step.type,
      port: step.port,
      rule: step.rule,
      reason: step.reason ?? null,
      facts: values,
      enteredAt: step.at,
      leftAt: step.port === null ? null : step.at,
    });
  });
  enrollment.visits = { ...advance.visits };
  const { stop } = advance;
  enrollment.currentNode = stop.nodeId;
  enrollment.currentVisit = stop.visit;
  if (stop.kind === 'waiting') {
    enrollment.status = 'waiting';
    enrollment.wait = storeWait(stop.wait);
    enrollment.wakeAt = stop.wait.wakeAt;
    env.effects.wakes.push({
      workspaceId: enrollment.workspaceId,
      enrollmentId: enrollment.id,
      nodeId: stop.nodeId,
      visit: stop.visit,
      wakeAt: stop.wait.wakeAt,
    });
  } else {
    finish(enrollment, 'completed', 'completed', env.now);
  }
  env.effects.touch(enrollment);
}

function finish(
  enrollment: EnrollmentState,
  status: 'completed' | 'exited' | 'failed',
  reason: string,
  now: Date,
): void {
  enrollment.status = status;
  enrollment.endedAt = now;
  enrollment.endReason = reason;
  enrollment.wait = null;
  enrollment.wakeAt = null;
  enrollment.held = false;
  if (enrollment.entrySlot === 'running') enrollment.entrySlot = null;
}

/** A new enrollment, entered at the trigger node and walked until it waits or ends. */
export async function enroll(
  routed: RoutedVersion,
  entry: {
    slot: string | null;
    key: string;
    triggerEvent: EventFact | null;
    triggerFacts: Record<string, unknown> | null;
  },
  env: TransitionEnv,
): Promise<EnrollmentState> {
  const enrollment: EnrollmentState = {
    id: timeOrderedId(env.now.getTime()),
    workspaceId: routed.workspaceId,
    journeyId: routed.journeyId,
    journeyVersion: routed.version,
    profileId: env.profile.profileId,
    status: 'active',
    currentNode: routed.compiled.trigger.nodeId,
    currentVisit: 1,
    visits: { [routed.compiled.trigger.nodeId]: 1 },
    context: { triggerEvent: entry.triggerEvent, variables: {}, assignments: {} },
    wait: null,
    wakeAt: null,
    enteredAt: env.now,
    entrySlot: entry.slot,
    entryKey: entry.key,
    endedAt: null,
    endReason: null,
    convertedAt: null,
    held: false,
    isNew: true,
  };
  const advance = await enter(routed.compiled, contextFor(enrollment, routed, env, entry.triggerEvent));
  apply(enrollment, routed, advance, env, entry.triggerEvent, entry.triggerFacts);
  return enrollment;
}

/**
 * Moves a waiting enrollment on by `port`: its timer fired, or the awaited event arrived
 * (`event`). The wait's job is cancelled unless it is the job running now (`fromTimer`).
 */
export async function resumeEnrollment(
  enrollment: EnrollmentState,
  routed: RoutedVersion,
  port: string,
  env: TransitionEnv,
  how: { event: EventFact | null; fromTimer: boolean; reason: string; rule: string | null },
): Promise<void> {
  const nodeId = enrollment.currentNode as string;
  if (!how.fromTimer) cancelWait(enrollment, env);
  const advance = await resume(routed.compiled, nodeId, port, contextFor(enrollment, routed, env, how.event));
  const [first, ...rest] = advance.steps;
  const steps = first ? [{ ...first, rule: how.rule, reason: how.reason }, ...rest] : rest;
  const eventFacts = how.event ? { event: how.event.event, messageId: how.event.messageId } : null;
  apply(enrollment, routed, { ...advance, steps }, env, how.event, eventFacts);
}

function cancelWait(enrollment: EnrollmentState, env: TransitionEnv): void {
  if (enrollment.status !== 'waiting' || enrollment.currentNode === null || !enrollment.wakeAt) return;
  // A wait begun in this same transaction (trigger and awaited event in one batch) has no job or
  // timer yet: drop it before it is written, rather than leave it queued.
  const visit = enrollment.currentVisit ?? 1;
  const { wakes } = env.effects;
  for (let i = wakes.length - 1; i >= 0; i--) {
    const w = wakes[i] as (typeof wakes)[number];
    if (w.enrollmentId === enrollment.id && w.nodeId === enrollment.currentNode && w.visit === visit) {
      wakes.splice(i, 1);
      return;
    }
  }
  env.effects.cancelled.push({
    workspaceId: enrollment.workspaceId,
    enrollmentId: enrollment.id,
    nodeId: enrollment.currentNode,
    visit: enrollment.currentVisit ?? 1,
    wakeAt: enrollment.wakeAt,
  });
}

/**
 * Ends a running enrollment wherever it is: an exit event (`exited`), its goal (`completed` and
 * converted), an archived journey, or a version that lost its node (`failed`).
 */
export function endEnrollment(
  enrollment: EnrollmentState,
  outcome: { status: 'completed' | 'exited' | 'failed'; reason: string; converted?: boolean },
  env: Pick<TransitionEnv, 'now' | 'effects'>,
): void {
  if (!isRunning(enrollment)) return;
  cancelWait(enrollment, env as TransitionEnv);
  if (enrollment.currentNode !== null && enrollment.status === 'waiting') {
    const earlier = env.effects.steps.get(
      stepKey(enrollment.id, enrollment.currentNode, enrollment.currentVisit ?? 1),
    );
    env.effects.step({
      workspaceId: enrollment.workspaceId,
      enrollmentId: enrollment.id,
      nodeId: enrollment.currentNode,
      visit: enrollment.currentVisit ?? 1,
      journeyId: enrollment.journeyId,
      journeyVersion: enrollment.journeyVersion,
      profileId: enrollment.profileId,
      type: earlier?.type ?? 'wait',
      port: null,
      rule: null,
      reason: outcome.reason,
      facts: null,
      enteredAt: earlier?.enteredAt ?? enrollment.enteredAt,
      leftAt: env.now,
    });
  }
  if (outcome.converted) enrollment.convertedAt = env.now;
  finish(enrollment, outcome.status, outcome.reason, env.now);
  env.effects.touch(enrollment);
}

export type { StoredWait };
