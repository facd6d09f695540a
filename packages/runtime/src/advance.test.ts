import { readFileSync } from 'node:fs';
import { type CompiledJourney, compile, type JourneyGraph } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import { type ActionRequest, enter, eventResumes, matchesWait, resume } from './advance.js';

function fixture(name: string): CompiledJourney {
  const graph = JSON.parse(
    readFileSync(new URL(`../../nodes/test/fixtures/${name}.journey.json`, import.meta.url), 'utf8'),
  ) as JourneyGraph;
  const result = compile(graph, createBuiltinRegistry());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

const cart = fixture('abandoned-cart');
const welcome = fixture('welcome-series');
const now = new Date('2026-11-20T10:00:00Z');
const triggerEvent = { event: 'cart_updated', properties: { cart_id: 'c-42', cart_value: 80 } };
const facts = (orders: number, sms: boolean | undefined = true) => ({
  event: triggerEvent,
  profile: { userId: 'u', traits: { subscriptions: { sms } }, computed: {} },
  journey: { triggerEvent },
  eventCount: () => orders,
});
const path = (steps: readonly { nodeId: string; port: string | null }[]) =>
  steps.map((s) => `${s.nodeId}${s.port ? `:${s.port}` : ''}`);

describe('the abandoned-cart journey, step by step', () => {
  it('enters and waits up to an hour for an order of the same cart', async () => {
    const entered = await enter(cart, { now, enrollmentId: 'e1', facts: facts(0) });
    expect(path(entered.steps)).toEqual(['cart_updated:out', 'wait_for_order']);
    expect(entered.stop).toEqual({
      kind: 'waiting',
      nodeId: 'wait_for_order',
      visit: 1,
      wait: {
        kind: 'event',
        event: 'order_completed',
        wakeAt: new Date('2026-11-20T11:00:00Z'),
        receivedPort: 'received',
        timeoutPort: 'timeout',
        correlate: { eventPath: 'properties.cart_id', value: 'c-42' },
      },
    });
    const wait = entered.stop.kind === 'waiting' ? entered.stop.wait : undefined;
    expect(
      wait && matchesWait(wait, { event: 'order_completed', properties: { cart_id: 'c-42' } } as never),
    ).toBe(true);
    expect(
      wait && matchesWait(wait, { event: 'order_completed', properties: { cart_id: 'other' } } as never),
    ).toBe(false);
    expect(
      wait && matchesWait(wait, { event: 'cart_updated', properties: { cart_id: 'c-42' } } as never),
    ).toBe(false);
  });

  it("the waiting node's rules decide which event resumes it: the same cart only", async () => {
    const journey = { triggerEvent };
    const order = (cartId: string) => ({ event: 'order_completed', properties: { cart_id: cartId } });
    expect(await eventResumes(cart, 'wait_for_order', { event: order('c-42'), journey }, now)).not.toBeNull();
    expect(await eventResumes(cart, 'wait_for_order', { event: order('c-7'), journey }, now)).toBeNull();
  });

  it('an order during the wait ends the journey with no message', async () => {
    const sends: ActionRequest[] = [];
    const resumed = await resume(cart, 'wait_for_order', 'received', {
      now,
      enrollmentId: 'e1',
      facts: facts(1),
      visits: { cart_updated: 1, wait_for_order: 1 },
      onAction: (request) => {
        sends.push(request);
        return { port: 'out' };
      },
    });
    expect(path(resumed.steps)).toEqual(['wait_for_order:received', 'converted']);
    expect(resumed.stop).toMatchObject({ kind: 'exited', nodeId: 'converted' });
    expect(sends).toEqual([]);
  });

  it('no order: the timeout sends the cart email, then waits a day', async () => {
    const sends: ActionRequest[] = [];
    const later = new Date('2026-11-20T11:00:00Z');
    const resumed = await resume(cart, 'wait_for_order', 'timeout', {
      now: later,
      enrollmentId: 'e1',
      facts: facts(0),
      visits: { cart_updated: 1, wait_for_order: 1 },
      onAction: (request) => {
        sends.push(request);
        return { port: 'out' };
      },
    });
    expect(path(resumed.steps)).toEqual(['wait_for_order:timeout', 'email_cart:out', 'wait_a_day']);
    expect(sends).toEqual([
      {
        nodeId: 'email_cart',
        type: 'send.email',
        visit: 1,
        config: expect.objectContaining({ templateId: 'tpl_abandoned_cart' }),
        ports: ['out', 'suppressed'],
      },
    ]);
    expect(resumed.stop).toMatchObject({
      kind: 'waiting',
      wait: { kind: 'timer', wakeAt: new Date('2026-11-21T11:00:00Z'), port: 'out' },
    });
    expect(resumed.visits).toMatchObject({ wait_for_order: 1, email_cart: 1, wait_a_day: 1 });
  });

  it('a day later the condition decides, and the step log names the rule', async () => {
    const context = { now, enrollmentId: 'e1', visits: { wait_a_day: 1 } };
    const stillNoOrder = await resume(cart, 'wait_a_day', 'out', { ...context, facts: facts(0) });
    expect(path(stillNoOrder.steps)).toEqual([
      'wait_a_day:out',
      'still_no_order:yes',
      'sms_discount:out',
      'done',
    ]);
    expect(stillNoOrder.steps[1]?.rule).not.toBeNull();
    const ordered = await resume(cart, 'wait_a_day', 'out', { ...context, facts: facts(1) });
    expect(path(ordered.steps)).toEqual(['wait_a_day:out', 'still_no_order:no', 'done']);
    expect(ordered.steps[1]?.rule).toBeNull();
  });

  it('a send the guards stop takes the suppressed port with its reason', async () => {
    const resumed = await resume(cart, 'wait_for_order', 'timeout', {
      now,
      enrollmentId: 'e1',
      facts: facts(0),
      onAction: () => ({ port: 'suppressed', reason: 'no email consent' }),
    });
    expect(resumed.steps[1]).toMatchObject({
      nodeId: 'email_cart',
      port: 'suppressed',
      reason: 'no email consent',
    });
  });
});

describe('welcome series', () => {
  const welcomeFacts = { profile: { traits: { email: 'a@b.co', activated: false } }, eventCount: () => 0 };

  it('a random split is sticky per enrollment and follows its weights', async () => {
    const branchOf = async (enrollmentId: string) => {
      const advance = await resume(welcome, 'wait_1_day', 'out', { now, enrollmentId, facts: welcomeFacts });
      return advance.steps.find((s) => s.nodeId === 'onboarding_test')?.port;
    };
    expect(await branchOf('enrollment-7')).toBe(await branchOf('enrollment-7'));
    const counts: Record<string, number> = {};
    for (let i = 0; i < 2_000; i++) {
      const port = (await branchOf(`enrollment-${i}`)) as string;
      counts[port] = (counts[port] ?? 0) + 1;
    }
    expect(counts.tips_first).toBeGreaterThan(900);
    expect(counts.story_first).toBeGreaterThan(900);
  });

  it("waits until 09:00 in the profile's own timezone", async () => {
    const advance = await resume(welcome, 'wait_1_day', 'out', {
      now: new Date('2026-11-20T10:00:00Z'),
      enrollmentId: 'e-tokyo',
      facts: welcomeFacts,
      profileTimezone: 'Asia/Tokyo',
    });
    // 10:00 UTC is 19:00 in Tokyo: the next 09:00 there is 00:00 UTC tomorrow.
    expect(advance.stop).toMatchObject({
      kind: 'waiting',
      nodeId: 'next_morning',
      wait: { kind: 'timer', wakeAt: new Date('2026-11-21T00:00:00Z') },
    });
  });
});
