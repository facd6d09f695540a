import { describe, expect, it } from 'vitest';
import { edge, node, testRegistry } from '../../test/node-types.js';
import { compile } from '../compile/compile.js';
import type { CompiledJourney, CompiledRule } from '../compile/compiled-journey.js';
import { interpretCondition } from '../conditions/interpret.js';
import type { ConditionGroup, ConditionLeaf } from '../conditions/schema.js';
import { CompiledRules } from './compiled-rules.js';
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

const pendingVisit: ConditionLeaf = {
  fact: 'lastEvent',
  params: { name: 'visited' },
  operator: 'exists',
  value: true,
};

function rule(name: string, conditions: ConditionGroup, priority = 1): CompiledRule {
  return { name, priority, conditions, event: { type: name } };
}

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
    // Reached before anything is pending, it throws at once, as a missing static fact does.
    expect(() => evaluateNode(journey, 'c', { profile: {} }, { now })).toThrow(/Undefined fact: lastEvent/);
    // Reached once a promise is out, it rejects.
    await expect(
      evaluateRules(
        [
          rule('r', {
            all: [pendingVisit, { fact: 'eventCount', params: { name: 'x' }, operator: 'equal', value: 1 }],
          }),
        ],
        { lastEvent: async () => ({ event: 'visited' }) },
        { now },
      ),
    ).rejects.toThrow(/Undefined fact: eventCount/);
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

describe('the synchronous path', () => {
  const journey = compiled();
  const segment = (answer: boolean | Promise<boolean>) => {
    const calls: unknown[] = [];
    return {
      calls,
      inSegment: (params: unknown) => {
        calls.push(params);
        return answer;
      },
    };
  };
  // Two rules: a profile value, then a segment read twice (one lookup per evaluation).
  const rules = [
    rule('vip', { any: [{ fact: 'profile', path: 'ltv', operator: 'greaterThan', value: 1000 }] }, 2),
    rule('member', {
      all: [
        { fact: 'inSegment', params: { segmentId: 's1' }, operator: 'equal', value: true },
        { not: { fact: 'inSegment', params: { segmentId: 's1' }, operator: 'equal', value: false } },
        { fact: 'profile', path: 'plan', operator: 'equal', value: 'pro' },
      ],
    }),
  ];
  const evaluator = new CompiledRules(rules);

  it('decides without a promise when no fact answers with one', () => {
    const decision = evaluateNode(journey, 'c', facts0(), { now });
    expect(decision).not.toBeInstanceOf(Promise);
    expect(evaluateRules(journey.exit.rules, { event: { event: 'unsubscribed' } })).toMatchObject({
      name: 'exit:unsubscribed',
    });
  });

  it('does not read a dynamic fact that cannot matter', () => {
    const { calls, inSegment } = segment(Promise.resolve(true));
    expect(evaluator.evaluate({ profile: { ltv: 2000, plan: 'pro' }, inSegment }, now)).toBe(rules[0]);
    expect(calls).toEqual([]);
  });

  it('stays synchronous when a dynamic fact answers at once, reading it once per evaluation', () => {
    const { calls, inSegment } = segment(true);
    for (const plan of ['pro', 'free', 'pro']) {
      const answer = evaluator.evaluate({ profile: { ltv: 10, plan }, inSegment }, now);
      expect(answer).toBe(plan === 'pro' ? rules[1] : null);
    }
    expect(calls).toEqual([{ segmentId: 's1' }, { segmentId: 's1' }, { segmentId: 's1' }]);
  });

  it('awaits a dynamic fact answering with a promise, once, and only from where it is reached', async () => {
    const { calls, inSegment } = segment(Promise.resolve(true));
    const pending = evaluator.evaluate({ profile: { ltv: 10, plan: 'pro' }, inSegment }, now);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(rules[1]);
    expect(calls).toHaveLength(1);
    const other = segment(Promise.resolve(false));
    expect(
      await evaluator.evaluate({ profile: { ltv: 10, plan: 'pro' }, inSegment: other.inSegment }, now),
    ).toBe(null);
  });

  it('reads each pending fact once, in the order the rules reach them', async () => {
    const calls: string[] = [];
    const later = <T>(name: string, value: T) => {
      calls.push(name);
      return new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
    };
    const list = new CompiledRules([
      rule('a', {
        all: [
          { fact: 'profile', path: 'plan', operator: 'equal', value: 'pro' },
          { fact: 'eventCount', params: { name: 'order' }, operator: 'greaterThan', value: 2 },
        ],
      }),
      rule('b', {
        any: [
          { fact: 'eventCount', params: { name: 'order' }, operator: 'equal', value: 5 },
          { fact: 'inSegment', params: { segmentId: 's2' }, operator: 'equal', value: true },
        ],
      }),
    ]);
    const answer = await list.evaluate(
      {
        profile: { plan: 'pro' },
        eventCount: (params) => later(`eventCount ${params.name}`, 1),
        inSegment: (params) => later(`inSegment ${params.segmentId}`, true),
      },
      now,
    );
    expect(answer?.name).toBe('b');
    expect(calls).toEqual(['eventCount order', 'inSegment s2']);
  });

  it('keeps the facts of evaluations pending at the same time apart', async () => {
    const cases = Array.from({ length: 200 }, (_, i) => {
      const member = i % 3 !== 0;
      const inSegment = () =>
        i % 2 === 0 ? new Promise<boolean>((resolve) => setTimeout(() => resolve(member), i % 5)) : member;
      return {
        facts: { profile: { ltv: i % 7 === 0 ? 5000 : 10, plan: i % 4 === 0 ? 'free' : 'pro' }, inSegment },
        i,
        member,
      };
    });
    const answers = await Promise.all(cases.map(({ facts }) => evaluator.evaluate(facts, now)));
    expect(answers.map((answer) => answer?.name ?? null)).toEqual(
      cases.map(({ i, member }) => (i % 7 === 0 ? 'vip' : member && i % 4 !== 0 ? 'member' : null)),
    );
  });
});

function facts0() {
  return {
    profile: { traits: { plan: 'pro' } },
    lastEvent: () => ({ timestamp: new Date(now).toISOString() }),
  };
}
