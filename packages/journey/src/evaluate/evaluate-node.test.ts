import { describe, expect, it } from 'vitest';
import { edge, node, testRegistry } from '../../test/node-types.js';
import { compile } from '../compile/compile.js';
import type { CompiledJourney } from '../compile/compiled-journey.js';
import { interpretCondition } from '../conditions/interpret.js';
import type { ConditionGroup } from '../conditions/schema.js';
import { evaluateNode, evaluateRules } from './evaluate-node.js';

const now = Date.parse('2025-06-01T12:00:00Z');
const recentVisit: ConditionGroup = {
  all: [
    {
      fact: 'lastEvent',
      params: { name: 'visited' },
      path: 'timestamp',
      operator: 'withinLast',
      value: 'P1D',
    },
    { fact: 'profile', path: 'traits.plan', operator: 'in', value: ['pro', 'team'] },
  ],
};

function compiled(): CompiledJourney {
  const result = compile(
    {
      schemaVersion: 1,
      nodes: [
        node('s', 'test.start'),
        node('c', 'test.check', { conditions: recentVisit }),
        node('z', 'test.end'),
      ],
      edges: [edge('s', 'out', 'c'), edge('c', 'yes', 'z'), edge('c', 'no', 'z')],
      settings: { exitOn: ['unsubscribed', 'order_completed'] },
    },
    testRegistry,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

describe('evaluateNode', () => {
  const journey = compiled();
  const facts = (plan: string, hoursAgo: number) => ({
    profile: { traits: { plan } },
    lastEvent: async () => ({ timestamp: new Date(now - hoursAgo * 3_600_000).toISOString() }),
  });

  it('returns the port of the rule that held, and the rule', async () => {
    const decision = await evaluateNode(journey, 'c', facts('pro', 2), { now });
    expect(decision.port).toBe('yes');
    expect(decision.rule?.name).toBe('c:yes');
  });

  it('falls back to the default port with no rule', async () => {
    expect(await evaluateNode(journey, 'c', facts('free', 2), { now })).toEqual({
      nodeId: 'c',
      port: 'no',
      rule: null,
    });
  });

  it('judges withinLast at the given instant', async () => {
    expect((await evaluateNode(journey, 'c', facts('pro', 30), { now })).port).toBe('no');
    expect((await evaluateNode(journey, 'c', facts('pro', 30), { now: now - 12 * 3_600_000 })).port).toBe(
      'yes',
    );
  });

  it('fails loudly when a fact the rules read is missing', async () => {
    await expect(evaluateNode(journey, 'c', { profile: {} }, { now })).rejects.toThrow(
      /Undefined fact: lastEvent/,
    );
    // …and the evaluator still works afterwards.
    expect((await evaluateNode(journey, 'c', facts('pro', 2), { now })).port).toBe('yes');
  });

  it('agrees with the reference interpreter across concurrent calls', async () => {
    const cases = Array.from({ length: 500 }, (_, index) =>
      facts(index % 3 === 0 ? 'free' : 'team', index % 48),
    );
    const decisions = await Promise.all(cases.map((f) => evaluateNode(journey, 'c', f, { now })));
    const expected = await Promise.all(cases.map((f) => interpretCondition(recentVisit, f, now)));
    expect(decisions.map((decision) => decision.port === 'yes')).toEqual(expected);
  });

  it('evaluates exit rules by event name', async () => {
    const rule = await evaluateRules(journey.exit.rules, { event: { event: 'unsubscribed' } });
    expect(rule?.name).toBe('exit:unsubscribed');
    expect(await evaluateRules(journey.exit.rules, { event: { event: 'page_viewed' } })).toBeNull();
  });
});
