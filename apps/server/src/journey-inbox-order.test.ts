import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentsOf, publish, settled, track, waitJourney } from '../test/runtime-harness.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

// Many people's events arrive at once and are grouped into inbox transactions; one person's
// events must still be decided in the order they were accepted (whatever runs them side by side).
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry());
});
afterAll(async () => t.close());

describe('journey inbox', () => {
  it("decides each person's events in the order they were accepted while many people's arrive at once", async () => {
    const journey = await publish(
      t,
      'Order kept',
      waitJourney('order_go', 'PT10M', { reentry: 'always', exitOn: ['order_leave'] }),
    );
    const people = Array.from({ length: 40 }, (_, i) => `orderly-${i}`);
    // Each person enters and then leaves, the leave sent as soon as the entry is accepted (not
    // decided): decided out of order, the leave would find no enrollment and the person would stay.
    await Promise.all(
      people.map(async (person) => {
        await track(t, person, 'order_go');
        await track(t, person, 'order_leave');
        await track(t, person, 'order_go');
      }),
    );
    await settled(t);
    // In order: the first entry exited by the leave, the second waiting. The leave first: two
    // waiting; the second entry before the leave: two exited. (Entries decided in one
    // transaction share their entry time, so they are compared without their order.)
    for (const person of people) {
      const states = (await enrollmentsOf(t, journey, person))
        .map((e) => `${e.status}:${e.end_reason ?? e.current_node}`)
        .sort();
      expect(states, person).toEqual(['exited:exit event: order_leave', 'waiting:pause']);
    }
  });
});
