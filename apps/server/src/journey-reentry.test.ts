import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/journeys.js';
import {
  clockFor,
  enrollmentsOf,
  fastForward,
  identify,
  publish,
  settled,
  track,
  waitJourney,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// Re-entry as a marketer sets it in the journey's settings, over /v1 and read back from the
// database. Each journey has trigger and exit events of its own, so the tests do not meet.
const clock = { offset: 0 };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), { worker: true, now: clockFor(clock) });
});
afterAll(async () => t.close());

const minutes = (n: number) => n * 60_000;

describe('re-entry policy', () => {
  it('never: a person who left is not enrolled again, however often the trigger comes', async () => {
    const journey = await publish(
      t,
      'Never twice',
      waitJourney('never_go', 'PT10M', { reentry: 'never', exitOn: ['never_leave'] }),
    );
    await track(t, 'nora', 'never_go');
    await track(t, 'nora', 'never_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'nora')).toMatchObject([
      { status: 'waiting', current_node: 'pause' },
    ]);

    await track(t, 'nora', 'never_leave');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'nora')).toMatchObject([
      { status: 'exited', end_reason: 'exit event: never_leave' },
    ]);

    await track(t, 'nora', 'never_go');
    await fastForward(t, clock, minutes(60 * 24 * 30));
    await track(t, 'nora', 'never_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'nora')).toHaveLength(1);
  });

  it('after_exit: a trigger while the person is in the journey is ignored; after it ends, the next one enrols', async () => {
    const journey = await publish(
      t,
      'After exit',
      waitJourney('after_go', 'PT5M', { reentry: 'after_exit', exitOn: ['after_leave'] }),
    );
    await track(t, 'abe', 'after_go');
    await settled(t);
    await track(t, 'abe', 'after_go');
    await settled(t);
    const [first] = await enrollmentsOf(t, journey, 'abe');
    expect(await enrollmentsOf(t, journey, 'abe')).toMatchObject([{ status: 'waiting' }]);

    // The wait ends on its own: the enrollment completes, and the next trigger enrols again.
    await fastForward(t, clock, minutes(6));
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'abe')).toMatchObject([
        { id: first?.id, status: 'completed', current_node: 'done' },
      ]),
    );
    await track(t, 'abe', 'after_go');
    await settled(t);
    const rows = await enrollmentsOf(t, journey, 'abe');
    expect(rows.map((r) => r.status)).toEqual(['completed', 'waiting']);

    // Ended by an exit event: the same.
    await track(t, 'abe', 'after_leave');
    await settled(t);
    await track(t, 'abe', 'after_go');
    await settled(t);
    expect((await enrollmentsOf(t, journey, 'abe')).map((r) => r.status)).toEqual([
      'completed',
      'exited',
      'waiting',
    ]);
  });

  it('always: every trigger enrols, even while an earlier enrollment runs', async () => {
    const journey = await publish(t, 'Always', waitJourney('always_go', 'PT10M', { reentry: 'always' }));
    await track(t, 'al', 'always_go');
    await track(t, 'al', 'always_go');
    await settled(t);
    await track(t, 'al', 'always_go');
    await settled(t);
    const rows = await enrollmentsOf(t, journey, 'al');
    expect(rows.map((r) => [r.status, r.current_node])).toEqual([
      ['waiting', 'pause'],
      ['waiting', 'pause'],
      ['waiting', 'pause'],
    ]);
  });

  it('cooldown: after an enrollment ends, the person re-enters only once the cooldown has passed', async () => {
    const journey = await publish(
      t,
      'Cooldown',
      waitJourney('cool_go', 'PT10M', { reentry: 'after_exit', cooldown: 'PT1H', exitOn: ['cool_leave'] }),
    );
    await track(t, 'cleo', 'cool_go');
    await settled(t);
    await track(t, 'cleo', 'cool_go'); // still in the journey
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'cleo')).toHaveLength(1);

    await track(t, 'cleo', 'cool_leave');
    await settled(t);
    const [ended] = await enrollmentsOf(t, journey, 'cleo');
    expect(ended).toMatchObject({ status: 'exited' });

    await fastForward(t, clock, minutes(59));
    await track(t, 'cleo', 'cool_go'); // 59 minutes after the end: too soon
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'cleo')).toHaveLength(1);

    await fastForward(t, clock, minutes(2));
    await track(t, 'cleo', 'cool_go'); // 61 minutes after: in again
    await settled(t);
    const rows = await enrollmentsOf(t, journey, 'cleo');
    expect(rows.map((r) => r.status)).toEqual(['exited', 'waiting']);
    expect(rows[1]?.entered_at.getTime()).toBeGreaterThan((ended?.ended_at?.getTime() ?? 0) + minutes(60));

    // The cooldown runs again from the end of the second enrollment.
    await track(t, 'cleo', 'cool_leave');
    await settled(t);
    await fastForward(t, clock, minutes(30));
    await track(t, 'cleo', 'cool_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'cleo')).toHaveLength(2);
  });

  it('the same messageId sent twice enrols once, even where every trigger enrols', async () => {
    const journey = await publish(
      t,
      'Always, deduplicated',
      waitJourney('dup_go', 'PT10M', { reentry: 'always' }),
    );
    await track(t, 'dot', 'dup_go', {}, 'dot-1');
    await track(t, 'dot', 'dup_go', {}, 'dot-1');
    await Promise.all([track(t, 'dot', 'dup_go', {}, 'dot-2'), track(t, 'dot', 'dup_go', {}, 'dot-2')]);
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: writeKeyHeaders,
      payload: {
        batch: [
          { type: 'track', userId: 'dot', event: 'dup_go', messageId: 'dot-3' },
          { type: 'track', userId: 'dot', event: 'dup_go', messageId: 'dot-3' },
          { type: 'track', userId: 'dot', event: 'dup_go', messageId: 'dot-1' },
        ],
      },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'dot')).toHaveLength(3);
  });

  it.each([
    ['never', 'race_never'],
    ['after_exit', 'race_after'],
  ])('%s: two triggers for the same person at the same moment enrol once', async (reentry, event) => {
    const journey = await publish(t, `Race ${reentry}`, waitJourney(event, 'PT10M', { reentry }));
    const people = Array.from({ length: 10 }, (_, i) => `${event}-${i}`);
    for (const person of people) await identify(t, person);
    await Promise.all(people.flatMap((person) => [track(t, person, event), track(t, person, event)]));
    // And two in one batch.
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: writeKeyHeaders,
      payload: { batch: [0, 1].map(() => ({ type: 'track', userId: `${event}-batch`, event })) },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    await settled(t);
    for (const person of [...people, `${event}-batch`]) {
      expect(await enrollmentsOf(t, journey, person), person).toHaveLength(1);
    }
  });
});
