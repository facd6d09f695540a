import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  enrollmentsOf,
  graph,
  identify,
  node,
  portsOf,
  profileEnrollments,
  publish,
  settled,
  track,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

// Rules that read dynamic facts (history and segment lookups, answered by the database with a
// promise) next to rules the runtime decides at once: the lookups are awaited where reached.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), { worker: true });
});
afterAll(async () => t?.close());

describe('dynamic facts in the runtime', () => {
  it('enters by an event-count trigger and splits by segment membership as the lookups answer', async () => {
    const segment = await api(t, 'POST', '/api/segments', {
      name: 'Hand-picked VIPs',
      definition: { kind: 'static', userIds: ['df-member'] },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const segmentId = segment.json().id as string;
    const journey = await publish(
      t,
      'Returning VIPs',
      graph(
        [
          // Only people who viewed the page before: the trigger reads the event history.
          node('start', 'trigger.event', {
            event: 'df_go',
            conditions: {
              all: [
                {
                  fact: 'eventCount',
                  params: { name: 'df_seen' },
                  operator: 'greaterThanInclusive',
                  value: 1,
                },
              ],
            },
          }),
          node('audience', 'split.audience', {
            branches: [
              {
                port: 'vip',
                conditions: {
                  any: [
                    { fact: 'profile', path: 'traits.ltv', operator: 'greaterThanInclusive', value: 1000 },
                    { fact: 'inSegment', params: { segmentId }, operator: 'equal', value: true },
                  ],
                },
              },
            ],
          }),
          node('vip', 'exit'),
          node('regular', 'exit'),
        ],
        [
          ['start', 'out', 'audience'],
          ['audience', 'vip', 'vip'],
          ['audience', 'else', 'regular'],
        ],
      ),
    );
    const people = { 'df-member': 10, 'df-rich': 5000, 'df-plain': 10, 'df-new': 5000 };
    for (const [userId, ltv] of Object.entries(people)) await identify(t, userId, { ltv });
    for (const userId of ['df-member', 'df-rich', 'df-plain']) await track(t, userId, 'df_seen');
    await settled(t);
    for (const userId of Object.keys(people)) await track(t, userId, 'df_go');
    await settled(t);

    const pathOf = async (userId: string) => {
      const [enrollment] = await profileEnrollments(t, userId, journey);
      return enrollment ? portsOf(enrollment.path) : null;
    };
    expect(await pathOf('df-member')).toEqual([
      ['start', 'out'],
      ['audience', 'vip'],
      ['vip', null],
    ]);
    expect(await pathOf('df-rich')).toEqual([
      ['start', 'out'],
      ['audience', 'vip'],
      ['vip', null],
    ]);
    expect(await pathOf('df-plain')).toEqual([
      ['start', 'out'],
      ['audience', 'else'],
      ['regular', null],
    ]);
    // Never viewed the page: the history read by the trigger refuses them.
    expect(await enrollmentsOf(t, journey, 'df-new')).toEqual([]);
  });
});
