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

/** Per-call time of an async task: batches of `batch` calls, for at least `minMs`; median and p95. */
async function measureAsync(task: () => unknown, batch = 200, minMs = 1500) {
  for (let i = 0; i < 2000; i++) await task();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < 20 || performance.now() - started < minMs) {
    const before = performance.now();
    for (let i = 0; i < batch; i++) await task();
    samples.push((performance.now() - before) / batch);
  }
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)] as number,
    p95Ms: samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)] as number,
    runs: samples.length * batch,
  };
}

/**
 * The reference: what evaluating would cost without the cache — a json-rules-engine Engine built
 * for the event with the node's rules, Touchline's operators and path resolver, then run (first
 * match wins, as in the runtime's evaluator).
 */
function enginePerEvent(rules: readonly CompiledRule[], facts: JourneyFacts, now: number) {
  // The runtime's former evaluator, built afresh: its first evaluation builds its Engine.
  return new EngineRuleEvaluator(rules).evaluate(facts, now);
}

function compiled(graph: unknown): CompiledJourney {
  const result = compile(graph, createBuiltinRegistry());
  if (!result.ok) throw new Error(`bench journey does not compile: ${JSON.stringify(result.errors[0])}`);
  return result.compiled;
}

/** Two nodes: a shop journey's trigger (event name and price band) and the VIP audience split. */
export async function ruleEvaluation() {
  const profile = {
    userId: 'user-1',
    traits: { email: 'user-1@example.com', plan: 'pro' },
    computed: { lifetime_value: 420, orders_count: 3 },
  };
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
  const cases = [
    {
      label: 'trigger.event (event name + price band, 1 rule, 3 conditions)',
      journey: trigger,
      nodeId: trigger.trigger.nodeId,
      facts: {
        event: {
          type: 'track',
          event: 'product_viewed',
          properties: { sku: 'SKU-3', price: 19.25, currency: 'EUR', category: 'shoes' },
        },
        profile,
        journey: { triggerEvent: null, variables: {}, assignments: {} },
      } satisfies JourneyFacts,
    },
    {
      label: 'split.audience of vip-split.journey.json (profile values, a segment fact)',
      journey: vip,
      nodeId: 'audience',
      facts: {
        event: { type: 'track', event: 'order_completed', properties: { total: 80 } },
        profile,
        journey: { triggerEvent: null, variables: {}, assignments: {} },
        inSegment: () => false,
        eventCount: () => 2,
        lastEvent: () => null,
      } satisfies JourneyFacts,
    },
  ];
  const results = [];
  for (const c of cases) {
    const node = c.journey.nodes[c.nodeId];
    if (!node) throw new Error(`no node ${c.nodeId}`);
    const now = Date.now();
    const cached = await evaluateNode(c.journey, c.nodeId, c.facts, { now });
    const fresh = await enginePerEvent(node.rules, c.facts, now);
    if ((fresh?.event.type ?? node.defaultPort) !== cached.port)
      throw new Error(`${c.label}: the reference decided ${fresh?.event.type}, the runtime ${cached.port}`);
    const reference = await measureAsync(() => enginePerEvent(node.rules, c.facts, now));
    const timing = await measureAsync(() => evaluateNode(c.journey, c.nodeId, c.facts, { now }));
    results.push({ label: c.label, port: cached.port, rules: node.rules.length, reference, timing });
  }
  return results;
}
