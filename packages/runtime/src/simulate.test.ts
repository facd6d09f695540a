import { readFileSync } from 'node:fs';
import { type CompiledJourney, compile, type JourneyGraph } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import type { SimulationResult } from './simulate-types.js';

function graphOf(name: string): JourneyGraph {
  return JSON.parse(
    readFileSync(new URL(`../../nodes/test/fixtures/${name}.journey.json`, import.meta.url), 'utf8'),
  ) as JourneyGraph;
}

function compiled(graph: unknown): CompiledJourney {
  const result = compile(graph, createBuiltinRegistry());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

const cart = compiled(graphOf('abandoned-cart'));
const start = new Date('2026-11-20T10:00:00Z');
const shopper = {
  user_id: 'ada',
  email: 'ada@example.com',
  phone: '+33612345678',
  traits: { subscriptions: { email: true, sms: true } },
};
const cartUpdated = { event: 'cart_updated', properties: { cart_id: 'c-42', cart_value: 80 } };
const route = (result: SimulationResult) =>
  result.path.map((s) => `${s.nodeId}${s.port ? `:${s.port}` : ''}`);
const step = (result: SimulationResult, nodeId: string) => result.path.find((s) => s.nodeId === nodeId);

describe('simulating the abandoned-cart journey', () => {
  it('a buyer who orders the same cart during the wait leaves by "received", converted, with no message', async () => {
    const result = await simulate({
      compiled: cart,
      profile: shopper,
      start,
      events: [
        cartUpdated,
        { event: 'order_completed', after: 'PT20M', properties: { cart_id: 'c-42', revenue: 80 } },
      ],
    });
    expect(route(result)).toEqual(['cart_updated:out', 'wait_for_order:received', 'converted']);
    expect(result).toMatchObject({
      status: 'completed',
      converted: true,
      enteredAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:20:00.000Z',
      waitingAt: null,
      messages: [],
    });
    expect(step(result, 'wait_for_order')).toMatchObject({
      at: '2026-11-20T10:00:00.000Z',
      leftAt: '2026-11-20T10:20:00.000Z',
      rule: 'wait_for_order:received',
      reason: 'order_completed arrived (properties.cart_id matched)',
    });
    expect(result.events.map((e) => e.outcome)).toEqual([
      'enrolled',
      'resumed wait_for_order by "received"; reached the goal (order_completed): converted',
    ]);
  });

  it('an order of another cart does not resume the wait, yet meets the goal and ends the journey converted', async () => {
    const result = await simulate({
      compiled: cart,
      profile: shopper,
      start,
      events: [cartUpdated, { event: 'order_completed', after: 'PT20M', properties: { cart_id: 'c-7' } }],
    });
    expect(route(result)).toEqual(['cart_updated:out', 'wait_for_order']);
    expect(result).toMatchObject({
      status: 'completed',
      converted: true,
      endReason: 'goal: order_completed',
    });
    expect(result.events[1]?.outcome).toMatch(/^did not resume wait_for_order: .*; reached the goal/);
    expect(result.events[1]?.outcome).toContain(
      'event.properties.cart_id is "c-7": equal journey.triggerEvent.properties.cart_id ("c-42") fails',
    );
    expect(step(result, 'wait_for_order')?.reason).toMatch(/ended here: goal: order_completed$/);
  });

  it('a shopper who never orders times out after an hour, gets the cart email, then the SMS a day later', async () => {
    const result = await simulate({ compiled: cart, profile: shopper, start, events: [cartUpdated] });
    expect(route(result)).toEqual([
      'cart_updated:out',
      'wait_for_order:timeout',
      'email_cart:out',
      'wait_a_day:out',
      'still_no_order:yes',
      'sms_discount:out',
      'done',
    ]);
    expect(step(result, 'wait_for_order')).toMatchObject({
      leftAt: '2026-11-20T11:00:00.000Z',
      reason: 'no order_completed before the timeout',
    });
    expect(result.messages).toEqual([
      {
        nodeId: 'email_cart',
        channel: 'email',
        templateId: 'tpl_abandoned_cart',
        at: '2026-11-20T11:00:00.000Z',
        consent: true,
        transactional: false,
        suppressedReason: null,
      },
      {
        nodeId: 'sms_discount',
        channel: 'sms',
        templateId: 'tpl_cart_discount_sms',
        at: '2026-11-21T11:00:00.000Z',
        consent: true,
        transactional: false,
        suppressedReason: null,
      },
    ]);
    expect(result).toMatchObject({
      status: 'completed',
      converted: false,
      endedAt: '2026-11-21T11:00:00.000Z',
    });
  });

  it('a send the guards would stop takes the suppressed port, with the reason the live runtime gives', async () => {
    const unsubscribed = { ...shopper, traits: { subscriptions: { email: false, sms: true } } };
    const result = await simulate({ compiled: cart, profile: unsubscribed, start, events: [cartUpdated] });
    expect(route(result).slice(0, 3)).toEqual([
      'cart_updated:out',
      'wait_for_order:timeout',
      'email_cart:suppressed',
    ]);
    expect(step(result, 'email_cart')?.reason).toMatch(/^unsubscribed: unsubscribed from email/);
    expect(result.messages[0]).toMatchObject({ nodeId: 'email_cart', suppressedReason: 'unsubscribed' });
    // The workspace asks for an opt-in that a person who never said yes lacks.
    const neverSaid = { ...shopper, traits: {} };
    const optIn = await simulate({
      compiled: cart,
      profile: neverSaid,
      start,
      events: [cartUpdated],
      messaging: { consent: { email: 'opt_in' }, caps: {}, minIntervalMs: null },
    });
    expect(step(optIn, 'email_cart')?.port).toBe('suppressed');
    expect(optIn.messages[0]?.suppressedReason).toBe('not_opted_in');
  });

  it('the reason at the condition names the rule and the values it read', async () => {
    const result = await simulate({ compiled: cart, profile: shopper, start, events: [cartUpdated] });
    expect(step(result, 'still_no_order')).toMatchObject({
      port: 'yes',
      rule: 'still_no_order:yes',
      reason:
        'rule still_no_order:yes held: eventCount(order_completed, within P2D) is 0: equal 0 holds; ' +
        'profile.traits.subscriptions.sms is true: notEqual false holds',
      facts: { 'eventCount(order_completed, within P2D)': 0, 'profile.traits.subscriptions.sms': true },
    });
  });

  it('the condition counts simulated orders: one after the email sends the shopper to "no" and explains why', async () => {
    // The order comes after the hour's wait, so it does not resume it; it exits the journey unless
    // the journey ignores it, which this one does not. Without exitOn and goal, it reaches the condition.
    const graph = graphOf('abandoned-cart');
    const quiet = compiled({ ...graph, settings: { reentry: 'after_exit' } });
    const result = await simulate({
      compiled: quiet,
      profile: shopper,
      start,
      events: [cartUpdated, { event: 'order_completed', after: 'PT5H', properties: { cart_id: 'c-99' } }],
    });
    expect(route(result)).toEqual([
      'cart_updated:out',
      'wait_for_order:timeout',
      'email_cart:out',
      'wait_a_day:out',
      'still_no_order:no',
      'done',
    ]);
    expect(step(result, 'still_no_order')?.reason).toBe(
      'no rule held, so the default port "no"; rule still_no_order:yes did not hold: ' +
        'eventCount(order_completed, within P2D) is 1: equal 0 fails; ' +
        'profile.traits.subscriptions.sms is true: notEqual false holds',
    );
    expect(result.messages.map((m) => m.nodeId)).toEqual(['email_cart']);
    expect(result.events[1]?.outcome).toBe('no effect on the path (it counts in eventCount and lastEvent)');
  });

  it('a cart event the trigger refuses does not enrol, and says which condition failed', async () => {
    const result = await simulate({
      compiled: cart,
      profile: shopper,
      start,
      events: [{ event: 'cart_updated', properties: { cart_id: 'c-1', cart_value: 0 } }],
    });
    expect(result).toMatchObject({ status: 'not_entered', path: [], messages: [], enteredAt: null });
    expect(result.events[0]?.outcome).toBe(
      'did not enrol: event.properties.cart_value is 0: greaterThan 0 fails',
    );
  });

  it('the clock stops at `until`: the shopper is still waiting at the timeout', async () => {
    const result = await simulate({
      compiled: cart,
      profile: shopper,
      start,
      until: new Date('2026-11-20T10:30:00Z'),
      events: [cartUpdated],
    });
    expect(result).toMatchObject({
      status: 'waiting',
      waitingAt: {
        nodeId: 'wait_for_order',
        since: '2026-11-20T10:00:00.000Z',
        wakeAt: '2026-11-20T11:00:00.000Z',
        event: 'order_completed',
      },
      messages: [],
    });
    expect(step(result, 'wait_for_order')?.reason).toBe(
      'waiting for order_completed with properties.cart_id "c-42" until 2026-11-20T11:00:00.000Z, then "timeout"',
    );
  });

  it('an order exactly at the wake time still resumes the wait: the event comes before the timeout', async () => {
    const result = await simulate({
      compiled: cart,
      profile: shopper,
      start,
      events: [cartUpdated, { event: 'order_completed', after: 'PT1H', properties: { cart_id: 'c-42' } }],
    });
    expect(route(result)).toEqual(['cart_updated:out', 'wait_for_order:received', 'converted']);
  });

  it('events are taken in time order whatever order they are given in; earlier ones count as history', async () => {
    const result = await simulate({
      compiled: compiled({ ...graphOf('abandoned-cart'), settings: { reentry: 'after_exit' } }),
      profile: shopper,
      start,
      events: [
        cartUpdated,
        { event: 'order_completed', at: '2026-11-19T12:00:00Z', properties: { cart_id: 'old' } },
      ],
    });
    expect(result.events.map((e) => e.outcome)).toEqual([
      'enrolled',
      'before the start: history only (eventCount, lastEvent)',
    ]);
    // The order of the day before is still within the condition's two days when it is judged.
    expect(step(result, 'still_no_order')?.port).toBe('no');
  });
});

describe('simulating the welcome series', () => {
  const welcome = compiled(graphOf('welcome-series'));

  it("waits until 09:00 in the person's own timezone", async () => {
    const result = await simulate({
      compiled: welcome,
      profile: {
        user_id: 'kenji',
        email: 'k@example.jp',
        push_tokens: ['fcm:kenji'],
        traits: { email: 'k@example.jp' },
        timezone: 'Asia/Tokyo',
      },
      start,
      until: new Date('2026-11-21T12:00:00Z'),
      events: [{ event: 'signed_up' }],
    });
    const morning = step(result, 'next_morning');
    expect(morning?.at).toBe('2026-11-21T10:00:00.000Z');
    // 10:00 UTC is 19:00 in Tokyo: the next 09:00 there is 00:00 UTC the day after.
    expect(result.waitingAt).toMatchObject({ nodeId: 'next_morning', wakeAt: '2026-11-22T00:00:00.000Z' });
  });

  it('a random split takes the same branch for the same seed, and names the bucket it read', async () => {
    const run = (seed: string) =>
      simulate({
        compiled: welcome,
        profile: {
          user_id: 'kenji',
          email: 'k@example.jp',
          push_tokens: ['fcm:kenji'],
          traits: { email: 'k@example.jp' },
        },
        start,
        seed,
        events: [{ event: 'signed_up' }],
      });
    const first = await run('seed-1');
    expect(route(await run('seed-1'))).toEqual(route(first));
    const split = step(first, 'onboarding_test');
    expect(split?.reason).toMatch(/bucket is 0\.\d+/);
    const ports = new Set<string>();
    for (let i = 0; i < 20; i++) ports.add(step(await run(`seed-${i}`), 'onboarding_test')?.port ?? '');
    expect([...ports].sort()).toEqual(['story_first', 'tips_first']);
  });
});

describe('journeys entered without an event', () => {
  it('a scheduled win-back enrols at the start, and an order during the wait meets the goal', async () => {
    const result = await simulate({
      compiled: compiled(graphOf('win-back')),
      profile: {
        user_id: 'lapsed',
        email: 'l@example.com',
        traits: { email: 'l@example.com' },
        orders_count: 3,
      },
      start,
      seed: 'fixed',
      events: [{ event: 'order_completed', after: 'P1D', properties: { revenue: 50 } }],
    });
    expect(result.path[0]).toMatchObject({
      nodeId: 'daily_lapsed',
      port: 'out',
      at: '2026-11-20T10:00:00.000Z',
      reason: 'simulated as the schedule entering the person (segment seg_lapsed_repeat_buyers) at the start',
    });
    expect(result.messages).toHaveLength(1);
    expect(result).toMatchObject({
      status: 'completed',
      converted: true,
      endedAt: '2026-11-21T10:00:00.000Z',
      endReason: 'goal: order_completed',
    });
  });

  it('a rule that reads the event of an API-entered journey fails the run and says why', async () => {
    const graph = {
      schemaVersion: 1,
      nodes: [
        { id: 'api', type: 'trigger.api', typeVersion: 1, config: {}, position: { x: 0, y: 0 } },
        {
          id: 'big_cart',
          type: 'condition',
          typeVersion: 1,
          config: {
            conditions: {
              all: [{ fact: 'event', path: 'properties.cart_value', operator: 'greaterThan', value: 100 }],
            },
          },
          position: { x: 0, y: 100 },
        },
        { id: 'end', type: 'exit', typeVersion: 1, config: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        { id: 'a', source: 'api', sourcePort: 'out', target: 'big_cart' },
        { id: 'b', source: 'big_cart', sourcePort: 'yes', target: 'end' },
        { id: 'c', source: 'big_cart', sourcePort: 'no', target: 'end' },
      ],
      settings: { reentry: 'never' },
    };
    const result = await simulate({ compiled: compiled(graph), profile: shopper, start, events: [] });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('the journey was entered without an event');
  });
});
