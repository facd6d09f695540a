import { evaluateNode, evaluateRules, type JourneyFacts, type NodeTypeRegistry } from '@touchline/journey';
import type pg from 'pg';
import { eventResumes, matchesWait } from './advance.js';
import { Effects } from './effects.js';
import { type EnrollmentState, isRunning, loadWait } from './enrollment.js';
import { decideEntry } from './entry.js';
import { type EventFact, journeyFact, profileFact } from './facts.js';
import type { WorkspaceMessaging } from './guards.js';
import type { RoutedVersion, RoutingIndex } from './routing.js';
import {
  type InboxEvent,
  loadEnrollments,
  loadEnrollmentsById,
  loadProfiles,
  loadRoutedVersion,
  type ProfileRow,
} from './store.js';
import { transitionEnv } from './transition-env.js';
import {
  endEnrollment,
  enroll,
  type ProfileState,
  resumeEnrollment,
  type TransitionEnv,
} from './transitions.js';

export interface DecideOptions {
  readonly index: RoutingIndex;
  readonly registry?: NodeTypeRegistry;
  readonly segments: (workspaceId: string, segmentId: string) => Promise<unknown>;
  readonly now?: () => Date;
  /** The workspace's consent defaults, caps and minimum interval for the send guards. */
  readonly messaging?: (workspaceId: string) => Promise<WorkspaceMessaging>;
  /** (journey, profile) pairs whose whole history must be read: a conflict showed it matters. */
  readonly history?: ReadonlyArray<{ journeyId: string; profileId: string }>;
}

/** What a batch of events did, for logs and tests. */
export interface DecideCounts {
  entered: number;
  resumed: number;
  exited: number;
  converted: number;
}

function profileStateOf(
  states: Map<string, ProfileState>,
  sources: Awaited<ReturnType<typeof loadProfiles>>,
  workspaceId: string,
  profileId: string,
): ProfileState | undefined {
  let state = states.get(profileId);
  if (!state) {
    const source = sources.get(profileId);
    if (!source) return undefined;
    state = { workspaceId, profileId, fact: profileFact(source) };
    states.set(profileId, state);
  }
  return state;
}

/**
 * Runs one workspace's events, in order, against the journeys they can affect, inside the
 * caller's transaction: for each event, a waiting enrollment it resumes moves on, then a goal it
 * meets converts, then an exit event ends what still runs, then the trigger enrolls. Returns
 * the effects to write; nothing is written here.
 */
export async function decideEvents(
  client: pg.PoolClient,
  workspaceId: string,
  events: readonly InboxEvent[],
  options: DecideOptions,
): Promise<{ effects: Effects; counts: DecideCounts }> {
  const { index } = options;
  const effects = new Effects();
  const counts: DecideCounts = { entered: 0, resumed: 0, exited: 0, converted: 0 };
  const now0 = options.now?.() ?? new Date();
  // Triggers whose rules read the event alone are decided here, before anything is loaded: an
  // event only loads the profile and enrollments of the journeys it can still enter or move.
  const candidates = events.map((event) => candidateTriggers(index, workspaceId, event, now0));
  const journeyIds = new Set<string>((options.history ?? []).map((h) => h.journeyId));
  const profileIds = new Set<string>();
  for (const [i, event] of events.entries()) {
    const name = event.fact.event;
    if (name === null) continue;
    const triggers = candidates[i] as Candidate[];
    const running = index.runningFor(workspaceId, name);
    if (triggers.length === 0 && !running) continue;
    profileIds.add(event.profileId);
    for (const { routed } of triggers) if (entryReadsEarlier(routed)) journeyIds.add(routed.journeyId);
    for (const id of running ?? []) journeyIds.add(id);
  }
  if (profileIds.size === 0) return { effects, counts };
  // The goal window bounds which ended enrollments a goal event may still convert.
  const goalWindowMs = maxGoalWindow(index, workspaceId, events);
  const [sources, loaded] = await Promise.all([
    profilesOf(client, workspaceId, profileIds, events),
    loadEnrollments(
      client,
      workspaceId,
      [...profileIds],
      [...journeyIds],
      options.history ?? [],
      goalWindowMs > 0 ? new Date(now0.getTime() - goalWindowMs) : null,
    ),
  ]);
  const byProfile = new Map<string, EnrollmentState[]>();
  for (const enrollment of loaded) {
    const list = byProfile.get(enrollment.profileId);
    if (list) list.push(enrollment);
    else byProfile.set(enrollment.profileId, [enrollment]);
  }
  const states = new Map<string, ProfileState>();

  for (const [i, event] of events.entries()) {
    const name = event.fact.event;
    if (name === null) continue;
    const triggers = candidates[i] as Candidate[];
    const running = index.runningFor(workspaceId, name);
    if (triggers.length === 0 && !running) continue;
    const profile = profileStateOf(states, sources, workspaceId, event.profileId);
    if (!profile) continue;
    const now = options.now?.() ?? new Date();
    const env = transitionEnv(client, profile, now, effects, options);
    let list = byProfile.get(event.profileId);
    if (!list) {
      list = [];
      byProfile.set(event.profileId, list);
    }
    if (running) {
      for (const enrollment of [...list]) {
        await onEvent(enrollment, event.fact, name, env, options, counts);
      }
    }
    // One facts object for the event's triggers, made again only if an enrollment changed the profile.
    let facts: JourneyFacts | undefined;
    for (const { routed, nodeId, decided } of triggers) {
      if (!decided) {
        if (facts?.profile !== profile.fact) {
          facts = { event: event.fact, profile: profile.fact, journey: journeyFact({}), ...env.dynamic };
        }
        // Awaited only when a dynamic fact it reached is read from the database.
        const pending = evaluateNode(routed.compiled, nodeId, facts, { now });
        const decision = pending instanceof Promise ? await pending : pending;
        if (decision.port === null) continue;
      }
      const earlier = list.filter((e) => e.journeyId === routed.journeyId);
      const entry = decideEntry(routed.compiled, earlier, `event:${event.fact.messageId}`, now);
      if (!entry.enter) continue;
      for (const holder of entry.release) {
        holder.entrySlot = null;
        effects.released.push(holder);
      }
      const enrollment = await enroll(
        routed,
        {
          slot: entry.slot,
          key: `event:${event.fact.messageId}`,
          triggerEvent: event.fact,
          triggerFacts: { event: name, messageId: event.fact.messageId },
        },
        env,
      );
      list.push(enrollment);
      counts.entered++;
    }
  }
  return { effects, counts };
}

/** The profiles of these ids: those the inbox claim read with the events, the rest loaded. */
async function profilesOf(
  client: pg.PoolClient,
  workspaceId: string,
  profileIds: ReadonlySet<string>,
  events: readonly InboxEvent[],
): Promise<Map<string, ProfileRow>> {
  const profiles = new Map<string, ProfileRow>();
  for (const event of events) {
    if (event.profile && profileIds.has(event.profile.id)) profiles.set(event.profile.id, event.profile);
  }
  const missing = [...profileIds].filter((id) => !profiles.has(id));
  if (missing.length === 0) return profiles;
  for (const [id, profile] of await loadProfiles(client, workspaceId, missing)) profiles.set(id, profile);
  return profiles;
}

/** A journey an event may enter; `decided` when its trigger rules (the event's alone) already admitted it. */
interface Candidate {
  readonly routed: RoutedVersion;
  readonly nodeId: string;
  readonly decided: boolean;
}

/**
 * The triggers an event may still pass, in the index's order. A trigger whose rules read only
 * the `event` fact is evaluated now (no promise: no dynamic fact) and dropped when it refuses;
 * one that reads the profile, the journey or history is decided later, with them loaded.
 */
function candidateTriggers(
  index: RoutingIndex,
  workspaceId: string,
  event: InboxEvent,
  now: Date,
): Candidate[] {
  const name = event.fact.event;
  if (name === null) return [];
  const candidates: Candidate[] = [];
  // One facts object and options for all the event's triggers, not one per trigger.
  const facts = { event: event.fact };
  const options = { now };
  for (const routed of index.triggersFor(workspaceId, name)) {
    const trigger = routed.compiled.triggers[name];
    if (!trigger) continue;
    const node = routed.compiled.nodes[trigger.nodeId];
    if (node?.facts.every((fact) => fact === 'event')) {
      const decision = evaluateNode(routed.compiled, trigger.nodeId, facts, options);
      if (!(decision instanceof Promise)) {
        if (decision.port !== null) candidates.push({ routed, nodeId: trigger.nodeId, decided: true });
        continue;
      }
      // Not expected for event-only rules; decide it later as any other.
      decision.catch(() => {});
    }
    candidates.push({ routed, nodeId: trigger.nodeId, decided: false });
  }
  return candidates;
}

/**
 * Whether entering a journey depends on the profile's earlier enrollments in it (read, and
 * locked, before deciding). With re-entry `always` and no cooldown it does not: the one thing
 * left to refuse, the same trigger event enrolling twice, is the unique `entry_key`'s to
 * enforce (a conflict retries the batch with that history read).
 */
function entryReadsEarlier(routed: RoutedVersion): boolean {
  const { compiled } = routed;
  const cooldownMs = compiled.timing.cooldownMs;
  return compiled.settings.reentry !== 'always' || (cooldownMs !== null && cooldownMs > 0);
}

function maxGoalWindow(index: RoutingIndex, workspaceId: string, events: readonly InboxEvent[]): number {
  let max = 0;
  for (const event of events) {
    if (event.fact.event === null) continue;
    for (const journeyId of index.runningFor(workspaceId, event.fact.event) ?? []) {
      const goal = index.current(workspaceId, journeyId)?.compiled.goal;
      if (goal && goal.event === event.fact.event) max = Math.max(max, goal.withinMs);
    }
  }
  return max;
}

async function onEvent(
  enrollment: EnrollmentState,
  event: EventFact,
  name: string,
  env: TransitionEnv,
  options: DecideOptions,
  counts: DecideCounts,
): Promise<void> {
  const routed = options.index.version(
    enrollment.workspaceId,
    enrollment.journeyId,
    enrollment.journeyVersion,
  );
  if (routed?.journeyStatus !== 'live') return;
  const { compiled } = routed;
  const { now } = env;
  const facts = () => ({
    event,
    profile: env.profile.fact,
    journey: journeyFact(enrollment.context),
    ...env.dynamic,
  });
  // The awaited event first: a buyer who orders during the wait takes the `received` path.
  if (
    isRunning(enrollment) &&
    !enrollment.held &&
    enrollment.status === 'waiting' &&
    enrollment.wait?.kind === 'event' &&
    enrollment.currentNode !== null
  ) {
    const wait = loadWait(enrollment.wait);
    if (wait.kind === 'event' && matchesWait(wait, event)) {
      const rule = await eventResumes(compiled, enrollment.currentNode, facts(), now);
      if (rule !== null) {
        const correlated = wait.correlate ? ` (${wait.correlate.eventPath} matched)` : '';
        await resumeEnrollment(enrollment, routed, wait.receivedPort, env, {
          event,
          fromTimer: false,
          rule,
          reason: `${name} arrived${correlated}`,
        });
        counts.resumed++;
      }
    }
  }
  const goal = compiled.goal;
  if (
    goal &&
    goal.event === name &&
    enrollment.convertedAt === null &&
    now.getTime() - enrollment.enteredAt.getTime() <= goal.withinMs &&
    (await evaluateRules(goal.rules, facts(), { now })) !== null
  ) {
    counts.converted++;
    if (isRunning(enrollment)) {
      endEnrollment(enrollment, { status: 'completed', reason: `goal: ${name}`, converted: true }, env);
    } else {
      enrollment.convertedAt = now;
      env.effects.touch(enrollment);
    }
  }
  if (
    isRunning(enrollment) &&
    compiled.exit.events.includes(name) &&
    (await evaluateRules(compiled.exit.rules, facts(), { now })) !== null
  ) {
    endEnrollment(enrollment, { status: 'exited', reason: `exit event: ${name}` }, env);
    counts.exited++;
  }
}

/** A timer to fire: the wait of one enrollment step. */
export interface WakeRequest {
  readonly workspaceId: string;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly visit: number;
}

/**
 * Fires timers, inside the caller's transaction. A timer whose step has passed (an event moved
 * the enrollment on, it ended, or a crash ran this timer already) does nothing: that is what
 * makes a re-run job harmless. A timer of a paused journey holds the enrollment until resume.
 */
export async function decideWakes(
  client: pg.PoolClient,
  workspaceId: string,
  wakes: readonly WakeRequest[],
  options: DecideOptions,
): Promise<{ effects: Effects; fired: number; stale: number; held: number }> {
  const effects = new Effects();
  let fired = 0;
  let stale = 0;
  let held = 0;
  const enrollments = await loadEnrollmentsById(
    client,
    workspaceId,
    wakes.map((w) => w.enrollmentId),
  );
  const byId = new Map(enrollments.map((e) => [e.id, e]));
  const due = wakes.filter((wake) => {
    const e = byId.get(wake.enrollmentId);
    const current =
      e !== undefined &&
      e.status === 'waiting' &&
      e.currentNode === wake.nodeId &&
      (e.currentVisit ?? 1) === wake.visit &&
      e.wait !== null;
    if (!current) stale++;
    return current;
  });
  const sources = await loadProfiles(
    client,
    workspaceId,
    due.map((w) => byId.get(w.enrollmentId)?.profileId as string),
  );
  const states = new Map<string, ProfileState>();
  const checked = new Map<string, Promise<RoutedVersion | undefined>>();
  for (const wake of due) {
    const enrollment = byId.get(wake.enrollmentId) as EnrollmentState;
    const now = options.now?.() ?? new Date();
    let routed = options.index.version(workspaceId, enrollment.journeyId, enrollment.journeyVersion);
    if (routed?.journeyStatus !== 'live') {
      // The index may lag a change committed a moment ago (a resume, a publish that moved the
      // enrollment to a new version): the database decides whether the journey still runs.
      routed = await routedNow(client, workspaceId, enrollment, routed, checked);
    }
    if (!routed) {
      // The journey was archived or deleted: nothing left to run.
      endEnrollment(
        enrollment,
        { status: 'exited', reason: 'the journey is no longer live' },
        { now, effects },
      );
      continue;
    }
    if (routed.journeyStatus !== 'live') {
      enrollment.held = true;
      effects.touch(enrollment);
      held++;
      continue;
    }
    const profile = profileStateOf(states, sources, workspaceId, enrollment.profileId);
    if (!profile) continue;
    const env = transitionEnv(client, profile, now, effects, options);
    const wait = enrollment.wait;
    if (!wait) continue;
    const port = wait.kind === 'timer' ? wait.port : wait.timeoutPort;
    const reason = wait.kind === 'timer' ? 'the wait is over' : `no ${wait.event} before the timeout`;
    await resumeEnrollment(enrollment, routed, port, env, {
      event: null,
      fromTimer: true,
      rule: null,
      reason,
    });
    fired++;
  }
  return { effects, fired, stale, held };
}

/** The version an enrollment runs on, with the journey's status as committed (once per version). */
function routedNow(
  client: pg.PoolClient,
  workspaceId: string,
  enrollment: EnrollmentState,
  indexed: RoutedVersion | undefined,
  checked: Map<string, Promise<RoutedVersion | undefined>>,
): Promise<RoutedVersion | undefined> {
  const key = `${enrollment.journeyId}@${enrollment.journeyVersion}`;
  let answer = checked.get(key);
  if (!answer) {
    answer = loadRoutedVersion(
      client,
      workspaceId,
      enrollment.journeyId,
      enrollment.journeyVersion,
      indexed === undefined,
    ).then((row) => {
      const compiled = indexed?.compiled ?? row?.compiled;
      if (!row || !compiled || (row.status !== 'live' && row.status !== 'paused')) return undefined;
      return {
        workspaceId,
        journeyId: enrollment.journeyId,
        journeyName: row.name,
        version: enrollment.journeyVersion,
        journeyStatus: row.status,
        isCurrent: row.liveVersion === enrollment.journeyVersion,
        compiled,
      };
    });
    checked.set(key, answer);
  }
  return answer;
}
