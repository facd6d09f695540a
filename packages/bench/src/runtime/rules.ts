import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type CompiledJourney,
  type CompiledRule,
  compile,
  EngineRuleEvaluator,
  evaluateNode,
  type JourneyFacts,
} from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { root } from '../load.js';
import { sendThenWait } from './journeys.js';

/** Events per timed sample: one sample times this many evaluations, one after the other. */
export const EVENTS_PER_SAMPLE = 1_000;
/** Samples of the runtime's evaluator per reference sample: its batches are ~100× shorter. */
const RUNTIME_SAMPLES_PER_ROUND = 10;

export interface PerEvent {
  readonly medianMs: number;
  readonly p95Ms: number;
  /** Evaluations timed. */
  readonly runs: number;
}

interface RuleCase {
  readonly label: string;
  readonly journey: CompiledJourney;
  readonly nodeId: string;
  /** `EVENTS_PER_SAMPLE` different facts: every sample evaluates all of them, in order. */
  readonly events: readonly JourneyFacts[];
}

/** A small seeded generator, so every run evaluates the same events. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const portCode = (port: string | null) => (port === null ? 1 : port.length + 2);

/**
 * The runtime's evaluator as the runtime calls it (decide.ts, advance.ts): the decision taken
 * at once, awaited only when it is a promise. Returns a checksum of the ports taken, so the
 * results are used and can be checked against the reference's.
 */
async function runtimeBatch(c: RuleCase, now: number): Promise<number> {
  const { journey, nodeId, events } = c;
  const options = { now };
  let sum = 0;
  for (let i = 0; i < events.length; i++) {
    const pending = evaluateNode(journey, nodeId, events[i] as JourneyFacts, options);
    const decision = pending instanceof Promise ? await pending : pending;
    sum += portCode(decision.port) * ((i % 7) + 1);
  }
  return sum;
}

/**
 * The reference, as issue 5 states it: a json-rules-engine Engine made for each event with the
 * node's rules, Touchline's operators and path resolver, run on the same facts and awaited
 * (the runtime's former evaluator, built afresh, so its first evaluation builds its Engine).
 */
async function referenceBatch(
  c: RuleCase,
  rules: readonly CompiledRule[],
  fallback: string | null,
  now: number,
) {
  const { events } = c;
  let sum = 0;
  for (let i = 0; i < events.length; i++) {
    const rule = await new EngineRuleEvaluator(rules).evaluate(events[i] as JourneyFacts, now);
    sum += portCode(rule ? rule.event.type : fallback) * ((i % 7) + 1);
  }
  return sum;
}

function perEvent(samples: number[]): PerEvent {
  samples.sort((a, b) => a - b);
  return {
    medianMs: (samples[Math.floor(samples.length / 2)] as number) / EVENTS_PER_SAMPLE,
    p95Ms:
      (samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] as number) /
      EVENTS_PER_SAMPLE,
    runs: samples.length * EVENTS_PER_SAMPLE,
  };
}

/**
 * Both evaluators on one case, interleaved round by round (one reference sample, then
 * `RUNTIME_SAMPLES_PER_ROUND` of the runtime's) so load on the machine falls on both alike.
 * Every sample's checksum must equal the reference's: the decisions are the same and used.
 */
async function measureCase(c: RuleCase, minRounds: number, minMs: number) {
  const node = c.journey.nodes[c.nodeId];
  if (!node) throw new Error(`no node ${c.nodeId}`);
  const now = Date.now();
  const ports = new Map<string, number>();
  for (const facts of c.events) {
    const pending = evaluateNode(c.journey, c.nodeId, facts, { now });
    const decision = pending instanceof Promise ? await pending : pending;
    const rule = await new EngineRuleEvaluator(node.rules).evaluate(facts, now);
    const expected = rule ? rule.event.type : node.defaultPort;
    if (decision.port !== expected)
      throw new Error(`${c.label}: the reference decided ${expected}, the runtime ${decision.port}`);
    ports.set(String(decision.port), (ports.get(String(decision.port)) ?? 0) + 1);
  }
  const expected = await referenceBatch(c, node.rules, node.defaultPort, now);
  const check = (sum: number) => {
    if (sum !== expected) throw new Error(`${c.label}: a batch decided otherwise (${sum} ≠ ${expected})`);
  };
  const reference: number[] = [];
  const runtime: number[] = [];
  const round = async (record: boolean) => {
    let before = performance.now();
    check(await referenceBatch(c, node.rules, node.defaultPort, now));
    if (record) reference.push(performance.now() - before);
    for (let s = 0; s < RUNTIME_SAMPLES_PER_ROUND; s++) {
      before = performance.now();
      check(await runtimeBatch(c, now));
      if (record) runtime.push(performance.now() - before);
    }
  };
  for (let i = 0; i < 5; i++) await round(false);
  const started = performance.now();
  while (reference.length < minRounds || performance.now() - started < minMs) await round(true);
  return { ports: Object.fromEntries(ports), reference: perEvent(reference), timing: perEvent(runtime) };
}

function compiled(graph: unknown): CompiledJourney {
  const result = compile(graph, createBuiltinRegistry());
  if (!result.ok) throw new Error(`bench journey does not compile: ${JSON.stringify(result.errors[0])}`);
  return result.compiled;
}

function cases(): RuleCase[] {
  const random = seeded(5);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const journey = { triggerEvent: null, variables: {}, assignments: {} };
  const trigger = compiled(
    sendThenWait(
      'product_viewed',
      {
        all: [
          { fact: 'event', path: 'properties.price', operator: 'greaterThanInclusive', value: 18.25 },
          { fact: 'event', path: 'properties.price', operator: 'lessThan', value: 23 },
        ],
      },
      '00000000-0000-4000-8000-000000000001',
      'P1D',
    ),
  );
  const vipText = readFileSync(
    path.join(root, 'packages/nodes/test/fixtures/vip-split.journey.json'),
    'utf8',
  );
  const vip = compiled(
    JSON.parse(vipText.replace(/"tpl_[a-z0-9_]+"/g, '"00000000-0000-4000-8000-000000000002"')),
  );
  const times = Array.from({ length: EVENTS_PER_SAMPLE }, (_, i) => i);
  const productViews = times.map((i) => ({
    event: {
      type: 'track',
      event: 'product_viewed',
      messageId: `m-${i}`,
      properties: {
        sku: `SKU-${i % 40}`,
        price: Math.round((14 + random() * 12) * 100) / 100,
        currency: 'EUR',
        category: pick(['shoes', 'bags', 'hats']),
      },
    },
    profile: { userId: `user-${i}`, traits: { plan: 'pro' }, computed: {} },
    journey,
  }));
  // People spread over the split's branches: lifetime value (vip), orders and newsletter tags
  // (loyal), paid-order counts (first_order), segment membership; the rest take `else`.
  const people = times.map((i) => ({
    profile: {
      userId: `user-${i}`,
      traits: { email: `user-${i}@example.com`, plan: 'pro', tags: pick([[], ['newsletter'], ['beta']]) },
      computed: { lifetime_value: pick([80, 420, 999, 1000, 2400]), orders_count: pick([0, 1, 3, 5]) },
    },
    member: random() < 0.3,
    paidOrders: pick([0, 1, 1, 2]),
  }));
  const orderCompleted = { type: 'track', event: 'order_completed', properties: { total: 80 } };
  return [
    {
      label: 'trigger.event (event name + price band: 1 rule, 3 conditions)',
      journey: trigger,
      nodeId: trigger.trigger.nodeId,
      events: productViews,
    },
    {
      label: 'split.audience of vip-split (profile values; segment and order-count facts answering at once)',
      journey: vip,
      nodeId: 'audience',
      events: people.map(({ profile, member, paidOrders }) => ({
        event: orderCompleted,
        profile,
        journey,
        inSegment: () => member,
        eventCount: () => paidOrders,
        lastEvent: () => null,
      })),
    },
    {
      label:
        'split.audience of vip-split (the same; dynamic facts answer with a promise, as database lookups do)',
      journey: vip,
      nodeId: 'audience',
      events: people.map(({ profile, member, paidOrders }) => ({
        event: orderCompleted,
        profile,
        journey,
        inSegment: async () => member,
        eventCount: async () => paidOrders,
        lastEvent: async () => null,
      })),
    },
  ];
}

/**
 * Rule evaluation per event: the runtime's evaluator (`evaluateNode`) against a json-rules-engine
 * Engine per event, on `EVENTS_PER_SAMPLE` varied events per timed sample, in the same run.
 */
export async function ruleEvaluation(options: { quick: boolean }) {
  const results = [];
  for (const c of cases()) {
    const measured = await measureCase(c, 20, options.quick ? 2_000 : 6_000);
    results.push({ label: c.label, rules: c.journey.nodes[c.nodeId]?.rules.length ?? 0, ...measured });
  }
  return results;
}
