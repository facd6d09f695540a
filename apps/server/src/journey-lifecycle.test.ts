import { createBuiltinRegistry } from '@touchline/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/journeys.js';
import {
  api,
  clockFor,
  enrollmentsOf,
  fastForward,
  graph,
  node,
  portsOf,
  profileEnrollments,
  publish,
  republish,
  settled,
  track,
  wakeJobsOf,
} from '../test/runtime-harness.js';
import { createTestApp, type TestApp } from '../test/test-app.js';

// Pause, resume, archive and new versions, as a marketer does them through the admin API,
// while people are in the journey.
const clock = { offset: 0 };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, createBuiltinRegistry(), { worker: true, now: clockFor(clock) });
});
afterAll(async () => t.close());

const minutes = (n: number) => n * 60_000;

/** trigger → wait 5 min (`hold`) → [mark the profile →] exit. */
function holdJourney(event: string, options: { mark?: string; waitId?: string; end?: string } = {}) {
  const waitId = options.waitId ?? 'hold';
  const end = options.end ?? 'end';
  const nodes = [
    node('start', 'trigger.event', { event }),
    node(waitId, 'wait.duration', { duration: 'PT5M' }),
    node(end, 'exit'),
  ];
  const edges: Array<[string, string, string]> = [['start', 'out', waitId]];
  if (options.mark) {
    nodes.push(node('mark', 'profile.update', { set: { [options.mark]: true } }));
    edges.push([waitId, 'out', 'mark'], ['mark', 'out', end]);
  } else edges.push([waitId, 'out', end]);
  return graph(nodes, edges, { reentry: 'after_exit' });
}

const traitsOf = async (userId: string) => (await api(t, 'GET', `/api/profiles/${userId}`)).json().traits;

describe('pause and resume', () => {
  it('a paused journey holds a wait that falls due and enrols nobody; on resume the wait moves on', async () => {
    const journey = await publish(t, 'Pausable', holdJourney('p_go', { mark: 'p_done' }));
    await track(t, 'pat', 'p_go');
    await settled(t);
    const [pat] = await enrollmentsOf(t, journey, 'pat');
    expect(pat).toMatchObject({ status: 'waiting', current_node: 'hold' });

    const paused = await api(t, 'POST', `/api/journeys/${journey}/pause`);
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json().status).toBe('paused');

    // The wait falls due while paused: its job runs, and holds the enrollment where it is.
    await fastForward(t, clock, minutes(6));
    await eventually(async () => {
      const [row] = await enrollmentsOf(t, journey, 'pat');
      expect(row).toMatchObject({ status: 'waiting', current_node: 'hold', held: true });
      expect(await wakeJobsOf(t, pat!.id)).toEqual([]);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await enrollmentsOf(t, journey, 'pat')).toMatchObject([
      { status: 'waiting', current_node: 'hold' },
    ]);
    expect((await traitsOf('pat')).p_done).toBeUndefined();

    // Nobody enters a paused journey.
    await track(t, 'quinn', 'p_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'quinn')).toEqual([]);

    const resumed = await api(t, 'POST', `/api/journeys/${journey}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'pat')).toMatchObject([
        { status: 'completed', current_node: 'end', held: false },
      ]),
    );
    expect((await traitsOf('pat')).p_done).toBe(true);
    const [seen] = await profileEnrollments(t, 'pat', journey);
    expect(portsOf(seen!.path)).toEqual([
      ['start', 'out'],
      ['hold', 'out'],
      ['mark', 'out'],
      ['end', null],
    ]);

    // The trigger sent while paused is not replayed; a new one enrols.
    expect(await enrollmentsOf(t, journey, 'quinn')).toEqual([]);
    await track(t, 'quinn', 'p_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'quinn')).toMatchObject([{ status: 'waiting' }]);
  });

  it('a wait that is not yet due when the journey resumes runs at its time', async () => {
    const journey = await publish(t, 'Short pause', holdJourney('sp_go'));
    await track(t, 'sue', 'sp_go');
    await settled(t);
    expect((await api(t, 'POST', `/api/journeys/${journey}/pause`)).statusCode).toBe(200);
    expect((await api(t, 'POST', `/api/journeys/${journey}/resume`)).statusCode).toBe(200);
    await fastForward(t, clock, minutes(6));
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'sue')).toMatchObject([
        { status: 'completed', current_node: 'end' },
      ]),
    );
  });

  it('publishing a new version of a paused journey makes it live: the waits it held move on', async () => {
    const journey = await publish(t, 'Paused, then republished', holdJourney('pp_go', { end: 'end_v1' }));
    await track(t, 'pam', 'pp_go');
    await settled(t);
    expect((await api(t, 'POST', `/api/journeys/${journey}/pause`)).statusCode).toBe(200);
    await fastForward(t, clock, minutes(6));
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'pam')).toMatchObject([{ status: 'waiting', held: true }]),
    );

    const published = await republish(t, journey, holdJourney('pp_go', { end: 'end_v2' }));
    expect(published.version).toBe(2);
    expect((await api(t, 'GET', `/api/journeys/${journey}`)).json().status).toBe('live');
    await eventually(async () =>
      expect(await enrollmentsOf(t, journey, 'pam')).toMatchObject([
        { journey_version: 1, status: 'completed', current_node: 'end_v1', held: false },
      ]),
    );
  });
});

describe('archive', () => {
  it('archiving ends every running enrollment, drops its timers, and enrols nobody after', async () => {
    const journey = await publish(t, 'Archived', holdJourney('ar_go'));
    await track(t, 'rae', 'ar_go');
    await settled(t);
    const [rae] = await enrollmentsOf(t, journey, 'rae');
    expect(await wakeJobsOf(t, rae!.id)).toHaveLength(1);

    const archived = await api(t, 'DELETE', `/api/journeys/${journey}`);
    expect(archived.statusCode, archived.body).toBe(204);
    expect((await api(t, 'GET', `/api/journeys/${journey}`)).json().status).toBe('archived');
    expect(await enrollmentsOf(t, journey, 'rae')).toMatchObject([
      { status: 'exited', end_reason: 'the journey was archived' },
    ]);
    expect(await wakeJobsOf(t, rae!.id)).toEqual([]);

    await track(t, 'sam', 'ar_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'sam')).toEqual([]);
    const stats = await api(t, 'GET', `/api/journeys/${journey}/stats`);
    expect(stats.json().totals).toMatchObject({ entered: 1, running: 0, exited: 1 });
  });
});

describe('publishing a new version', () => {
  it('running enrollments finish on their version by default; new ones take the new version', async () => {
    const journey = await publish(t, 'Stay', holdJourney('st_go', { end: 'end_v1' }));
    await track(t, 'ned', 'st_go');
    await settled(t);

    const published = await republish(t, journey, holdJourney('st_go', { mark: 'st_v2', end: 'end_v2' }));
    expect(published).toMatchObject({ version: 2, moved: 0 });
    await track(t, 'oda', 'st_go');
    await settled(t);
    expect(await enrollmentsOf(t, journey, 'ned')).toMatchObject([
      { journey_version: 1, current_node: 'hold' },
    ]);
    expect(await enrollmentsOf(t, journey, 'oda')).toMatchObject([
      { journey_version: 2, current_node: 'hold' },
    ]);

    await fastForward(t, clock, minutes(6));
    await eventually(async () => {
      expect(await enrollmentsOf(t, journey, 'ned')).toMatchObject([
        { journey_version: 1, status: 'completed', current_node: 'end_v1' },
      ]);
      expect(await enrollmentsOf(t, journey, 'oda')).toMatchObject([
        { journey_version: 2, status: 'completed', current_node: 'end_v2' },
      ]);
    });
    expect((await traitsOf('ned')).st_v2).toBeUndefined();
    expect((await traitsOf('oda')).st_v2).toBe(true);

    const v1 = await api(t, 'GET', `/api/journeys/${journey}/stats?version=1`);
    const v2 = await api(t, 'GET', `/api/journeys/${journey}/stats?version=2`);
    expect(v1.json().nodes).toEqual({
      start: { entered: 1, waiting: 0, ports: { out: 1 } },
      hold: { entered: 1, waiting: 0, ports: { out: 1 } },
      end_v1: { entered: 1, waiting: 0, ports: {} },
    });
    expect(v2.json().nodes).toMatchObject({
      mark: { entered: 1, ports: { out: 1 } },
      end_v2: { entered: 1 },
    });
    expect(v2.json().nodes.end_v1).toBeUndefined();
  });

  it('with runningEnrollments "move", they continue from the node of the same id in the new version', async () => {
    const journey = await publish(t, 'Move', holdJourney('mv_go', { end: 'end_v1' }));
    await track(t, 'pia', 'mv_go');
    await settled(t);

    const published = await republish(t, journey, holdJourney('mv_go', { mark: 'mv_v2', end: 'end_v2' }), {
      runningEnrollments: 'move',
    });
    expect(published).toMatchObject({ version: 2, moved: 1 });
    expect(await enrollmentsOf(t, journey, 'pia')).toMatchObject([
      { journey_version: 2, status: 'waiting', current_node: 'hold' },
    ]);

    // A third version without the node `hold`: nobody can move, pia finishes on version 2.
    await track(t, 'rex', 'mv_go');
    await settled(t);
    const third = await republish(t, journey, holdJourney('mv_go', { waitId: 'hold_b', end: 'end_v3' }), {
      runningEnrollments: 'move',
    });
    expect(third).toMatchObject({ version: 3, moved: 0 });

    await fastForward(t, clock, minutes(6));
    await eventually(async () => {
      for (const person of ['pia', 'rex']) {
        expect(await enrollmentsOf(t, journey, person), person).toMatchObject([
          { journey_version: 2, status: 'completed', current_node: 'end_v2' },
        ]);
      }
    });
    expect((await traitsOf('pia')).mv_v2).toBe(true);
    const [seen] = await profileEnrollments(t, 'pia', journey);
    expect(seen?.version).toBe(2);
    expect(portsOf(seen!.path)).toEqual([
      ['start', 'out'],
      ['hold', 'out'],
      ['mark', 'out'],
      ['end_v2', null],
    ]);
  });
});
