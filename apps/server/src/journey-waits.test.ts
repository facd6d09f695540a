import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/journeys.js';
import {
  api,
  clockFor,
  enrollmentsOf,
  fastForward,
  graph,
  identify,
  node,
  portsOf,
  profileEnrollments,
  publish,
  settled,
  timersOf,
  track,
  wakeJobsOf,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// Waits, goals and exit events, over /v1, with the runtime's clock moved forward by the test
// (graphile-worker's clock is PostgreSQL's: fastForward brings the due jobs forward too).
const clock = { offset: 0 };
let t: TestApp;
let far: TestApp;

beforeAll(async () => {
  [t, far] = await Promise.all([
    createTestApp({}, createBuiltinRegistry(), { worker: true, now: clockFor(clock) }),
    // Real time, and a horizon of 1.5 s: a 3 s wait is a far-future one.
    createTestApp({}, createBuiltinRegistry(), { worker: true, horizonMs: 1_500 }),
  ]);
});
afterAll(async () => Promise.all([t?.close(), far?.close()]));

const minutes = (n: number) => n * 60_000;

/** cart → wait up to 10 min for the order of the same cart → bought | reminded → gave_up. */
const cartJourney = graph(
  [
    node('cart', 'trigger.event', { event: 'w_cart' }),
    node('wait_order', 'wait.event', { event: 'w_order', correlate: 'cart_id', timeout: 'PT10M' }),
    node('bought', 'exit'),
    node('remind', 'profile.update', { set: { reminded: true } }),
    node('gave_up', 'exit'),
  ],
  [
    ['cart', 'out', 'wait_order'],
    ['wait_order', 'received', 'bought'],
    ['wait_order', 'timeout', 'remind'],
    ['remind', 'out', 'gave_up'],
  ],
  { reentry: 'always' },
);

describe('wait.event', () => {
  let journey: string;
  beforeAll(async () => {
    journey = await publish(t, 'Cart', cartJourney);
  });

  it('an order for another cart does not resume the wait; the order of the same cart resumes it by `received` and removes its timeout job', async () => {
    await track(t, 'uma', 'w_cart', { cart_id: 'c1' });
    await settled(t);
    const [waiting] = await enrollmentsOf(t, journey, 'uma');
    expect(waiting).toMatchObject({ status: 'waiting', current_node: 'wait_order' });
    expect(await wakeJobsOf(t, waiting!.id)).toHaveLength(1);

    await track(t, 'uma', 'w_order', { cart_id: 'c2' });
    await track(t, 'uma', 'w_order', {});
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'uma')).toMatchObject([
      { status: 'waiting', current_node: 'wait_order' },
    ]);
    expect(await wakeJobsOf(t, waiting!.id)).toHaveLength(1);

    await track(t, 'uma', 'w_order', { cart_id: 'c1' });
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'uma')).toMatchObject([
      { status: 'completed', current_node: 'bought' },
    ]);
    expect(await wakeJobsOf(t, waiting!.id)).toEqual([]);

    const [seen] = await profileEnrollments(t, 'uma', journey);
    expect(portsOf(seen!.path)).toEqual([
      ['cart', 'out'],
      ['wait_order', 'received'],
      ['bought', null],
    ]);
    expect(seen!.path[1]?.reason).toMatch(/^w_order arrived \((properties\.)?cart_id matched\)$/);
  });

  it('with no order for the cart, the timeout moves the enrollment on; a late order changes nothing', async () => {
    await track(t, 'vic', 'w_cart', { cart_id: 'c3' });
    await settled(t);
    await fastForward(t, clock, minutes(11));
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'vic')).toMatchObject([
        { status: 'completed', current_node: 'gave_up' },
      ]),
    );
    const profile = await api(t, 'GET', '/api/profiles/vic');
    expect(profile.json().traits).toMatchObject({ reminded: true });
    await track(t, 'vic', 'w_order', { cart_id: 'c3' });
    await settled(t);
    const [seen] = await profileEnrollments(t, 'vic', journey);
    expect(portsOf(seen!.path)).toEqual([
      ['cart', 'out'],
      ['wait_order', 'timeout'],
      ['remind', 'out'],
      ['gave_up', null],
    ]);
    expect(seen!.path[1]?.reason).toBe('no w_order before the timeout');
  });

  it('an order sent in the same batch as its cart resumes the wait and leaves no timeout job behind', async () => {
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: writeKeyHeaders,
      payload: {
        batch: [
          { type: 'track', userId: 'xia', event: 'w_cart', properties: { cart_id: 'c9' } },
          { type: 'track', userId: 'xia', event: 'w_order', properties: { cart_id: 'c9' } },
        ],
      },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    await settled(t);
    const [row] = await enrollmentsOf(t, journey, 'xia');
    expect(row).toMatchObject({ status: 'completed', current_node: 'bought' });
    expect(await wakeJobsOf(t, row!.id)).toEqual([]);
    expect(await timersOf(t, row!.id)).toEqual([]);
  });

  it('with two carts waiting, an order resumes only the enrollment of its own cart', async () => {
    await track(t, 'yul', 'w_cart', { cart_id: 'y1' });
    await track(t, 'yul', 'w_cart', { cart_id: 'y2' });
    await settled(t);
    await track(t, 'yul', 'w_order', { cart_id: 'y2' });
    await settled(t);
    const rows = await enrollmentsOf(t, journey, 'yul');
    expect(rows.map((r) => [r.status, r.current_node])).toEqual([
      ['waiting', 'wait_order'],
      ['completed', 'bought'],
    ]);
    expect(await wakeJobsOf(t, rows[0]!.id)).toHaveLength(1);
    expect(await wakeJobsOf(t, rows[1]!.id)).toEqual([]);
  });

  it('the journey stats count what the profiles show', async () => {
    await track(t, 'wes', 'w_cart', { cart_id: 'c4' }); // still waiting
    await settled(t);
    const stats = await api(t, 'GET', `/api/journeys/${journey}/stats`);
    expect(stats.statusCode, stats.body).toBe(200);
    expect(stats.json().totals).toEqual({
      entered: 6,
      running: 2,
      completed: 4,
      exited: 0,
      failed: 0,
      converted: 0,
    });
    expect(stats.json().nodes).toEqual({
      cart: { entered: 6, waiting: 0, ports: { out: 6 } },
      wait_order: { entered: 6, waiting: 2, ports: { received: 3, timeout: 1 } },
      bought: { entered: 3, waiting: 0, ports: {} },
      remind: { entered: 1, waiting: 0, ports: { out: 1 } },
      gave_up: { entered: 1, waiting: 0, ports: {} },
    });
  });
});

/**
 * signup → wait up to a day for `g_open` → wait 10 min → done; the goal is a purchase within an
 * hour of entry; an unsubscribe ends it wherever it is.
 */
const goalJourney = graph(
  [
    node('signup', 'trigger.event', { event: 'g_signup' }),
    node('await_open', 'wait.event', { event: 'g_open', timeout: 'P1D' }),
    node('cool', 'wait.duration', { duration: 'PT10M' }),
    node('done', 'exit'),
  ],
  [
    ['signup', 'out', 'await_open'],
    ['await_open', 'received', 'cool'],
    ['await_open', 'timeout', 'done'],
    ['cool', 'out', 'done'],
  ],
  { reentry: 'never', goal: { event: 'g_purchase', within: 'PT1H' }, exitOn: ['g_unsub'] },
);

describe('goal and exit events', () => {
  let journey: string;
  beforeAll(async () => {
    journey = await publish(t, 'Goal', goalJourney);
  });

  it('a goal event within the window converts the enrollment and ends it, with its timer', async () => {
    await track(t, 'gia', 'g_signup');
    await settled(t);
    const [waiting] = await enrollmentsOf(t, journey, 'gia');
    // A day is past the runtime's horizon: the timeout waits in journey_timers.
    expect(await timersOf(t, waiting!.id)).toHaveLength(1);
    await track(t, 'gia', 'g_purchase', { revenue: 30 });
    await settled(t);
    const [row] = await enrollmentsOf(t, journey, 'gia');
    expect(row).toMatchObject({ status: 'completed', end_reason: 'goal: g_purchase' });
    expect(row?.converted_at).not.toBeNull();
    expect(await timersOf(t, waiting!.id)).toEqual([]);
    const [seen] = await profileEnrollments(t, 'gia', journey);
    expect(seen?.convertedAt).not.toBeNull();
    expect(seen?.path.at(-1)).toMatchObject({ nodeId: 'await_open', port: null, reason: 'goal: g_purchase' });
  });

  it('an exit event ends the enrollment at whichever node it waits, and removes that wait’s timer', async () => {
    await track(t, 'jay', 'g_signup');
    await track(t, 'kim', 'g_signup');
    await settled(t);
    await track(t, 'kim', 'g_open');
    await settled(t);
    const [kim] = await enrollmentsOf(t, journey, 'kim');
    const [jay] = await enrollmentsOf(t, journey, 'jay');
    expect(kim).toMatchObject({ status: 'waiting', current_node: 'cool' });
    expect(jay).toMatchObject({ status: 'waiting', current_node: 'await_open' });
    expect(await wakeJobsOf(t, kim!.id)).toHaveLength(1);

    await track(t, 'jay', 'g_unsub');
    await track(t, 'kim', 'g_unsub');
    await settled(t);
    for (const person of ['jay', 'kim']) {
      const [row] = await enrollmentsOf(t, journey, person);
      expect(row, person).toMatchObject({
        status: 'exited',
        end_reason: 'exit event: g_unsub',
        converted_at: null,
      });
    }
    expect(await wakeJobsOf(t, kim!.id)).toEqual([]);
    expect(await timersOf(t, jay!.id)).toEqual([]);
  });

  it('a goal event after the window converts nothing and ends nothing', async () => {
    await track(t, 'lee', 'g_signup');
    await settled(t);
    await fastForward(t, clock, minutes(61));
    await track(t, 'lee', 'g_purchase', { revenue: 30 });
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'lee')).toMatchObject([
      { status: 'waiting', current_node: 'await_open', converted_at: null },
    ]);
    const stats = await api(t, 'GET', `/api/journeys/${journey}/stats`);
    expect(stats.json().totals).toMatchObject({
      entered: 4,
      running: 1,
      completed: 1,
      exited: 2,
      converted: 1,
    });
  });

  it('a goal with conditions converts only on an event that meets them', async () => {
    const big = await publish(
      t,
      'Big order',
      graph(
        [
          node('start', 'trigger.event', { event: 'b_signup' }),
          node('hold', 'wait.duration', { duration: 'PT10M' }),
          node('end', 'exit'),
        ],
        [
          ['start', 'out', 'hold'],
          ['hold', 'out', 'end'],
        ],
        {
          goal: {
            event: 'b_purchase',
            within: 'P1D',
            conditions: {
              all: [{ fact: 'event', path: 'properties.revenue', operator: 'greaterThan', value: 50 }],
            },
          },
        },
      ),
    );
    await track(t, 'bea', 'b_signup');
    await settled(t);
    await track(t, 'bea', 'b_purchase', { revenue: 10 });
    await settled(t);
    expect(await enrollmentsOf(t, big, 'bea')).toMatchObject([{ status: 'waiting', converted_at: null }]);
    await track(t, 'bea', 'b_purchase', { revenue: 60 });
    await settled(t);
    const [row] = await enrollmentsOf(t, big, 'bea');
    expect(row).toMatchObject({ status: 'completed', end_reason: 'goal: b_purchase' });
    expect(row?.converted_at).not.toBeNull();
  });

  it('a goal met after the journey has ended still counts as a conversion within the window', async () => {
    const quick = await publish(
      t,
      'Goal after the end',
      graph(
        [node('start', 'trigger.event', { event: 'q_signup' }), node('end', 'exit')],
        [['start', 'out', 'end']],
        { goal: { event: 'q_purchase', within: 'PT1H' } },
      ),
    );
    await track(t, 'hal', 'q_signup');
    await track(t, 'ivy', 'q_signup');
    await settled(t);
    await track(t, 'hal', 'q_purchase');
    await settled(t);
    await fastForward(t, clock, minutes(61));
    await track(t, 'ivy', 'q_purchase');
    await settled(t);
    const [hal] = await enrollmentsOf(t, quick, 'hal');
    const [ivy] = await enrollmentsOf(t, quick, 'ivy');
    expect(hal).toMatchObject({ status: 'completed', current_node: 'end' });
    expect(hal?.converted_at).not.toBeNull();
    expect(ivy).toMatchObject({ status: 'completed', converted_at: null });
    const stats = await api(t, 'GET', `/api/journeys/${quick}/stats`);
    expect(stats.json().totals).toMatchObject({ entered: 2, completed: 2, converted: 1 });
  });
});

describe('far-future waits', () => {
  it('a wait past the horizon sits in journey_timers, not in the queue, until promoted; then it wakes on time', async () => {
    const journey = await publish(
      far,
      'Far',
      graph(
        [
          node('start', 'trigger.event', { event: 'far_go' }),
          node('later', 'wait.duration', { duration: 'PT3S' }),
          node('done', 'exit'),
        ],
        [
          ['start', 'out', 'later'],
          ['later', 'out', 'done'],
        ],
      ),
    );
    const started = Date.now();
    await track(far, 'fay', 'far_go');
    await settled(far);
    const [row] = await enrollmentsOf(far, journey, 'fay');
    expect(row).toMatchObject({ status: 'waiting', current_node: 'later' });
    expect(await wakeJobsOf(far, row!.id)).toEqual([]);
    const [timer] = await timersOf(far, row!.id);
    expect(timer?.node_id).toBe('later');

    // Not yet within the horizon: promoting moves nothing.
    expect(await far.services.runtime.promoteTimers()).toBe(0);
    expect(await timersOf(far, row!.id)).toHaveLength(1);

    await eventually(async () => expect(Date.now()).toBeGreaterThan(timer!.wake_at.getTime() - 1_400), 5_000);
    expect(await far.services.runtime.promoteTimers()).toBe(1);
    expect(await timersOf(far, row!.id)).toEqual([]);
    const [job] = await wakeJobsOf(far, row!.id);
    expect(job?.run_at.getTime()).toBe(timer!.wake_at.getTime());

    await eventually(async () =>
      expect(await enrollmentsOf(far, journey, 'fay')).toMatchObject([
        { status: 'completed', current_node: 'done' },
      ]),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  });

  it('an awaited event ends a far-future wait: its timer leaves journey_timers', async () => {
    const journey = await publish(
      far,
      'Far event',
      graph(
        [
          node('start', 'trigger.event', { event: 'fe_go' }),
          node('await', 'wait.event', { event: 'fe_reply', timeout: 'PT30S' }),
          node('replied', 'exit'),
          node('silent', 'exit'),
        ],
        [
          ['start', 'out', 'await'],
          ['await', 'received', 'replied'],
          ['await', 'timeout', 'silent'],
        ],
      ),
    );
    await track(far, 'fen', 'fe_go');
    await settled(far);
    const [row] = await enrollmentsOf(far, journey, 'fen');
    expect(await timersOf(far, row!.id)).toHaveLength(1);
    await track(far, 'fen', 'fe_reply');
    await settled(far);
    expect(await enrollmentsOf(far, journey, 'fen')).toMatchObject([
      { status: 'completed', current_node: 'replied' },
    ]);
    expect(await timersOf(far, row!.id)).toEqual([]);
    expect(await wakeJobsOf(far, row!.id)).toEqual([]);

    // The reply in the same batch as the trigger: no timer is left behind either.
    const batch = await far.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: writeKeyHeaders,
      payload: {
        batch: [
          { type: 'track', userId: 'fox', event: 'fe_go' },
          { type: 'track', userId: 'fox', event: 'fe_reply' },
        ],
      },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    await settled(far);
    const [fox] = await enrollmentsOf(far, journey, 'fox');
    expect(fox).toMatchObject({ status: 'completed', current_node: 'replied' });
    expect(await timersOf(far, fox!.id)).toEqual([]);

    // Archived: a far-future timer goes with its enrollment.
    await track(far, 'fia', 'fe_go');
    await settled(far);
    const [fia] = await enrollmentsOf(far, journey, 'fia');
    expect(await timersOf(far, fia!.id)).toHaveLength(1);
    expect((await api(far, 'DELETE', `/api/journeys/${journey}`)).statusCode).toBe(204);
    expect(await enrollmentsOf(far, journey, 'fia')).toMatchObject([{ status: 'exited' }]);
    expect(await timersOf(far, fia!.id)).toEqual([]);
  });
});

describe('the profile view explains the path', () => {
  it('shows, for a condition, the port taken, the rule and the values it read', async () => {
    const journey = await publish(
      t,
      'VIP or not',
      graph(
        [
          node('start', 'trigger.event', { event: 'x_go' }),
          node('is_vip', 'condition', {
            conditions: { all: [{ fact: 'profile', path: 'traits.vip', operator: 'equal', value: true }] },
          }),
          node('vip', 'exit'),
          node('regular', 'exit'),
        ],
        [
          ['start', 'out', 'is_vip'],
          ['is_vip', 'yes', 'vip'],
          ['is_vip', 'no', 'regular'],
        ],
      ),
    );
    await identify(t, 'vera', { vip: true });
    await identify(t, 'rob', { vip: false });
    await track(t, 'vera', 'x_go');
    await track(t, 'rob', 'x_go');
    await settled(t);
    const [vera] = await profileEnrollments(t, 'vera', journey);
    const [rob] = await profileEnrollments(t, 'rob', journey);
    // In the order taken, though the three steps happened in one transaction, at one instant.
    expect(vera?.path).toMatchObject([
      { nodeId: 'start', port: 'out', rule: 'trigger', facts: { event: 'x_go' } },
      { nodeId: 'is_vip', port: 'yes', rule: 'is_vip:yes', facts: { 'profile.traits.vip': true } },
      { nodeId: 'vip', port: null },
    ]);
    expect(rob?.path).toMatchObject([
      { nodeId: 'start', port: 'out' },
      { nodeId: 'is_vip', port: 'no', facts: { 'profile.traits.vip': false } },
      { nodeId: 'regular', port: null },
    ]);
  });
});
