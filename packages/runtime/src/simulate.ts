import {
  type CompiledJourney,
  type CompiledTrigger,
  evaluateNode,
  evaluateRules,
  type JourneyFacts,
  parseDuration,
} from '@touchline/journey';
import {
  type ActionOutcome,
  type ActionRequest,
  type Advance,
  type AdvanceContext,
  enter,
  eventResumes,
  JourneyRuntimeError,
  matchesWait,
  resume,
  type Step,
  type Wait,
} from './advance.js';
import { type EventFact, journeyFact, type ProfileFact, profileFact } from './facts.js';
import { defaultMessaging } from './guards.js';
import { simulatedAction } from './simulate-actions.js';
import { type Explanation, explainConditions, explainDecision, show } from './simulate-explain.js';
import { simulatedHistory } from './simulate-history.js';
import {
  type SimulatedEventOutcome,
  type SimulatedMessage,
  type SimulatedStep,
  type SimulationInput,
  SimulationInputError,
  type SimulationResult,
  type SimulationStatus,
} from './simulate-types.js';
import { stableBucket } from './time.js';

const dayMs = 24 * 3_600_000;
const maxPath = 2_000;

/**
 * Runs a journey for one person over a timeline of events, with the live runtime's step
 * machine and rules but no side effects: waits end by timeout when the next event comes later
 * than the wake time, an awaited (correlated) event resumes its wait, goal and exit events end
 * the enrollment, and sends are only reported. One enrollment is simulated: the first event that
 * the trigger admits enrols.
 *
 * @example
 * const result = await simulate({
 *   compiled,
 *   profile: { user_id: 'ada', traits: { subscriptions: { email: true } } },
 *   start: new Date('2026-11-20T10:00:00Z'),
 *   events: [{ event: 'cart_updated', properties: { cart_id: 'c1', cart_value: 80 } }],
 * });
 * // result.path: cart_updated:out, wait_for_order:timeout, email_cart:out, ...
 */
export function simulate(input: SimulationInput): Promise<SimulationResult> {
  return new Simulation(input).run();
}

interface TimedEvent {
  readonly index: number;
  readonly at: Date;
  readonly fact: EventFact;
}

function timeline(input: SimulationInput): TimedEvent[] {
  const start = input.start.getTime();
  return input.events
    .map((e, index) => {
      if (e.at !== undefined && e.after !== undefined) {
        throw new SimulationInputError(`events.${index}`, 'give "at" or "after", not both');
      }
      let at = new Date(start);
      if (e.at !== undefined) at = new Date(e.at);
      else if (e.after !== undefined) {
        try {
          at = new Date(start + parseDuration(e.after));
        } catch (error) {
          throw new SimulationInputError(`events.${index}.after`, (error as Error).message);
        }
      }
      if (Number.isNaN(at.getTime())) {
        throw new SimulationInputError(`events.${index}.at`, 'must be an ISO-8601 date-time');
      }
      const fact: EventFact = {
        messageId: `simulated-${index + 1}`,
        type: 'track',
        event: e.event,
        userId: input.profile.user_id,
        anonymousId: null,
        properties: e.properties ?? {},
        context: {},
        timestamp: at.toISOString(),
      };
      return { index, at, fact };
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
}

function enteredWithoutEvent(trigger: CompiledTrigger): string {
  switch (trigger.kind) {
    case 'segment':
      return `simulated as ${trigger.on === 'enter' ? 'entering' : 'leaving'} segment ${trigger.segmentId} at the start`;
    case 'schedule':
      return `simulated as the schedule entering the person (segment ${trigger.segmentId}) at the start`;
    default:
      return 'simulated as enrolled through the API at the start';
  }
}

function describeWait(wait: Wait): string {
  if (wait.kind === 'timer') return `waiting until ${wait.wakeAt.toISOString()}`;
  const correlated = wait.correlate ? ` with ${wait.correlate.eventPath} ${show(wait.correlate.value)}` : '';
  return `waiting for ${wait.event}${correlated} until ${wait.wakeAt.toISOString()}, then "${wait.timeoutPort}"`;
}

type Facts = Omit<JourneyFacts, 'bucket'>;
/** An enrollment at a wait: since when, until when, and its entry on the path. */
type Waiting = { readonly nodeId: string; readonly since: Date; readonly wait: Wait; readonly step: number };

class Simulation {
  readonly #input: SimulationInput;
  readonly #compiled: CompiledJourney;
  readonly #seed: string;
  readonly #segments: ReadonlySet<string>;
  readonly #seen: EventFact[] = [];
  readonly #path: SimulatedStep[] = [];
  readonly #messages: SimulatedMessage[] = [];
  readonly #outcomes = new Map<number, SimulatedEventOutcome>();
  #profile: ProfileFact;
  #now: Date;
  #status: SimulationStatus = 'not_entered';
  #triggerEvent: EventFact | null = null;
  #visits: Record<string, number> = {};
  #enteredAt: Date | null = null;
  #endedAt: Date | null = null;
  #endReason: string | null = null;
  #converted = false;
  #waiting: Waiting | null = null;
  #truncated = false;
  #error: SimulationResult['error'] = null;

  constructor(input: SimulationInput) {
    this.#input = input;
    this.#compiled = input.compiled;
    this.#profile = profileFact(input.profile);
    this.#seed = input.seed ?? `simulation:${input.profile.user_id ?? 'anonymous'}`;
    this.#segments = new Set(input.segments ?? []);
    this.#now = input.start;
  }

  async run(): Promise<SimulationResult> {
    const { start } = this.#input;
    const events = timeline(this.#input);
    const last = Math.max(start.getTime(), events.at(-1)?.at.getTime() ?? 0);
    const until = this.#input.until ?? new Date(last + 366 * dayMs);
    try {
      for (const e of events.filter((e) => e.at < start)) {
        this.#seen.push(e.fact);
        this.#outcome(e, 'before the start: history only (eventCount, lastEvent)');
      }
      const { trigger } = this.#compiled;
      if (trigger.kind !== 'event') {
        await this.#enter(start, null, { rule: 'trigger', reason: enteredWithoutEvent(trigger), facts: {} });
      }
      for (const e of events.filter((e) => e.at >= start)) {
        if (e.at > until) {
          await this.#fireTimers(until, true);
          this.#outcome(e, `after the end of the simulation (${until.toISOString()})`);
          continue;
        }
        await this.#fireTimers(e.at, false);
        if (this.#truncated) break;
        this.#now = e.at;
        this.#seen.push(e.fact);
        this.#outcome(e, await this.#onEvent(e.fact, e.at));
      }
      await this.#fireTimers(until, true);
    } catch (error) {
      if (error instanceof SimulationInputError) throw error;
      this.#fail(error as Error);
    }
    for (const e of events) {
      if (!this.#outcomes.has(e.index)) this.#outcome(e, 'not simulated: the simulation stopped before it');
    }
    return this.#result();
  }

  #outcome(e: TimedEvent, outcome: string): void {
    this.#outcomes.set(e.index, {
      index: e.index,
      event: e.fact.event ?? '',
      at: e.at.toISOString(),
      outcome,
    });
  }

  /** Timers due before `before` (or at it, when `inclusive`) fire, each at its own wake time. */
  async #fireTimers(before: Date, inclusive: boolean): Promise<void> {
    while (this.#waiting && !this.#truncated) {
      const { wait } = this.#waiting;
      const due = wait.wakeAt.getTime() - before.getTime();
      if (due > 0 || (due === 0 && !inclusive)) return;
      const port = wait.kind === 'timer' ? wait.port : wait.timeoutPort;
      const reason = wait.kind === 'timer' ? 'the wait is over' : `no ${wait.event} before the timeout`;
      await this.#resume(port, wait.wakeAt, null, { rule: null, reason });
    }
  }

  #facts(now: Date, event: EventFact | null): Facts {
    return {
      event: event ?? this.#triggerEvent ?? undefined,
      profile: this.#profile,
      journey: journeyFact({ triggerEvent: this.#triggerEvent }),
      ...simulatedHistory(this.#seen, now, this.#segments),
    };
  }

  #context(now: Date, facts: Facts): AdvanceContext {
    return {
      now,
      enrollmentId: this.#seed,
      facts,
      profileTimezone: this.#profile.timezone,
      onAction: (request) => this.#act(request, now),
      visits: this.#visits,
    };
  }

  /** The live runtime's order: the awaited event resumes, then the goal converts, then exit. */
  async #onEvent(event: EventFact, now: Date): Promise<string> {
    const name = event.event as string;
    const compiled = this.#compiled;
    if (this.#status === 'not_entered') {
      const trigger = compiled.triggers[name];
      if (!trigger) {
        const on = compiled.trigger.kind === 'event' ? compiled.trigger.event : compiled.trigger.kind;
        return `no effect: the journey starts on ${on}`;
      }
      const facts = this.#facts(now, event);
      const decision = await evaluateNode(compiled, trigger.nodeId, facts, { now });
      const why = await explainConditions(trigger.rule.conditions, facts, now.getTime());
      if (decision.port === null) return `did not enrol: ${why.reason}`;
      const reason = why.reason ? `${name} enrolled: ${why.reason}` : `${name} enrolled`;
      await this.#enter(now, event, { rule: decision.rule?.name ?? 'trigger', reason, facts: why.facts });
      return 'enrolled';
    }
    const did: string[] = [];
    const waiting = this.#waiting;
    if (waiting?.wait.kind === 'event' && waiting.wait.event === name) {
      const { wait, nodeId } = waiting;
      const rule = matchesWait(wait, event)
        ? await eventResumes(compiled, nodeId, this.#facts(now, event), now)
        : null;
      if (rule !== null) {
        const correlated = wait.correlate ? ` (${wait.correlate.eventPath} matched)` : '';
        await this.#resume(wait.receivedPort, now, event, { rule, reason: `${name} arrived${correlated}` });
        did.push(`resumed ${nodeId} by "${wait.receivedPort}"`);
      } else {
        const facts = this.#facts(now, event);
        const why: string[] = [];
        for (const r of compiled.nodes[nodeId]?.rules ?? []) {
          why.push((await explainConditions(r.conditions, facts, now.getTime())).reason);
        }
        did.push(`did not resume ${nodeId}: ${why.join('; ')}`);
      }
    }
    const goal = compiled.goal;
    if (
      goal &&
      goal.event === name &&
      !this.#converted &&
      this.#enteredAt &&
      now.getTime() - this.#enteredAt.getTime() <= goal.withinMs &&
      (await evaluateRules(goal.rules, this.#facts(now, event), { now })) !== null
    ) {
      this.#converted = true;
      did.push(`reached the goal (${name}): converted`);
      if (this.#status === 'waiting') this.#end('completed', `goal: ${name}`, now);
    }
    if (
      this.#status === 'waiting' &&
      compiled.exit.events.includes(name) &&
      (await evaluateRules(compiled.exit.rules, this.#facts(now, event), { now })) !== null
    ) {
      this.#end('exited', `exit event: ${name}`, now);
      did.push('an exit event: the journey ended');
    }
    if (did.length > 0) return did.join('; ');
    return this.#status === 'waiting'
      ? 'no effect on the path (it counts in eventCount and lastEvent)'
      : 'no effect: the journey had ended (re-entry is not simulated)';
  }

  async #enter(now: Date, event: EventFact | null, first: Explanation & { rule: string }): Promise<void> {
    this.#triggerEvent = event;
    this.#enteredAt = now;
    this.#visits = { [this.#compiled.trigger.nodeId]: 1 };
    const facts = this.#facts(now, event);
    const advance = await enter(this.#compiled, this.#context(now, facts));
    await this.#apply(advance, now, facts, { rule: first.rule, reason: first.reason, facts: first.facts });
  }

  async #resume(
    port: string,
    now: Date,
    event: EventFact | null,
    how: { rule: string | null; reason: string },
  ): Promise<void> {
    const waiting = this.#waiting as Waiting;
    this.#waiting = null;
    this.#now = now;
    const facts = this.#facts(now, event);
    const advance = await resume(this.#compiled, waiting.nodeId, port, this.#context(now, facts));
    await this.#apply(advance, now, facts, { ...how, into: waiting.step });
  }

  /** Records an advance on the path: the node it left, each step after, where it stopped. */
  async #apply(
    advance: Advance,
    now: Date,
    facts: Facts,
    first: { rule: string | null; reason: string; facts?: Record<string, unknown>; into?: number },
  ): Promise<void> {
    const [head, ...rest] = advance.steps;
    if (head) {
      const left = { port: head.port, rule: first.rule, reason: first.reason, leftAt: now.toISOString() };
      const earlier = first.into === undefined ? undefined : this.#path[first.into];
      if (earlier && first.into !== undefined) this.#path[first.into] = { ...earlier, ...left };
      else {
        const extra = first.facts && Object.keys(first.facts).length ? { facts: first.facts } : {};
        this.#path.push({ ...this.#stepOf(head), ...left, ...extra });
      }
    }
    const { stop } = advance;
    for (const [index, step] of rest.entries()) {
      const last = index === rest.length - 1;
      const wait = last && stop.kind === 'waiting' ? stop.wait : null;
      this.#path.push(await this.#describe(step, facts, wait));
    }
    this.#visits = { ...advance.visits };
    if (stop.kind === 'waiting') {
      this.#status = 'waiting';
      this.#waiting = { nodeId: stop.nodeId, since: now, wait: stop.wait, step: this.#path.length - 1 };
    } else {
      this.#status = 'completed';
      this.#endedAt = now;
      this.#endReason = `reached ${stop.nodeId}`;
    }
    if (this.#path.length > maxPath) this.#truncated = true;
  }

  #stepOf(step: Step): Omit<SimulatedStep, 'reason'> {
    return {
      nodeId: step.nodeId,
      type: step.type,
      visit: step.visit,
      port: step.port,
      rule: step.rule,
      at: step.at.toISOString(),
      leftAt: step.port === null ? null : step.at.toISOString(),
    };
  }

  async #describe(step: Step, facts: Facts, wait: Wait | null): Promise<SimulatedStep> {
    const base = this.#stepOf(step);
    const node = this.#compiled.nodes[step.nodeId];
    if (wait) return { ...base, reason: describeWait(wait) };
    if (step.port === null) return { ...base, reason: 'the journey ends here' };
    if (node && (node.category === 'condition' || node.category === 'split') && !node.wait) {
      const bucket = stableBucket(`${this.#seed}:${step.nodeId}`);
      const why = await explainDecision(
        node.rules,
        { port: step.port, rule: step.rule },
        { ...facts, bucket },
        step.at.getTime(),
      );
      return { ...base, reason: why.reason, facts: why.facts };
    }
    return { ...base, reason: step.reason ?? `left by "${step.port}"` };
  }

  #act(request: ActionRequest, now: Date): ActionOutcome {
    const done = simulatedAction(request, this.#profile, now, {
      compiled: this.#compiled,
      messaging: this.#input.messaging ?? defaultMessaging,
      sent: this.#messages,
    });
    if (done.message) this.#messages.push(done.message);
    this.#profile = done.profile;
    return done.outcome;
  }

  #end(status: 'completed' | 'exited', reason: string, now: Date): void {
    const waiting = this.#waiting;
    const earlier = waiting ? this.#path[waiting.step] : undefined;
    if (waiting && earlier) {
      this.#path[waiting.step] = {
        ...earlier,
        leftAt: now.toISOString(),
        reason: `${earlier.reason}; ended here: ${reason}`,
      };
    }
    this.#waiting = null;
    this.#status = status;
    this.#endedAt = now;
    this.#endReason = reason;
  }

  #fail(error: Error): void {
    // json-rules-engine's words for a rule reading `event` in a journey entered without one.
    const hint =
      this.#triggerEvent === null && /Undefined fact: event\b/.test(error.message)
        ? ' (the journey was entered without an event, so no rule can read `event`)'
        : '';
    const message = `${error.message}${hint}`;
    this.#waiting = null;
    this.#status = 'failed';
    this.#endedAt = this.#now;
    this.#endReason = message;
    this.#error = { nodeId: error instanceof JourneyRuntimeError ? error.nodeId : null, message };
  }

  #result(): SimulationResult {
    const waiting = this.#waiting;
    return {
      status: this.#status,
      converted: this.#converted,
      enteredAt: this.#enteredAt?.toISOString() ?? null,
      endedAt: this.#endedAt?.toISOString() ?? null,
      endReason: this.#endReason,
      waitingAt: waiting
        ? {
            nodeId: waiting.nodeId,
            since: waiting.since.toISOString(),
            wakeAt: waiting.wait.wakeAt.toISOString(),
            event: waiting.wait.kind === 'event' ? waiting.wait.event : null,
          }
        : null,
      path: this.#path,
      messages: this.#messages,
      events: [...this.#outcomes.values()].sort((a, b) => a.index - b.index),
      truncated: this.#truncated,
      error: this.#error,
    };
  }
}
