import { sql } from 'kysely';
import { expect } from 'vitest';
import { eventually } from './journeys.js';
import { adminHeaders, type TestApp, writeKeyHeaders } from './test-app.js';

/**
 * Helpers for the journey runtime's integration tests: journeys written as JSON (as engineers
 * keep them in git), events over `/v1`, and what the database then holds.
 */

export interface GraphNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

export const node = (id: string, type: string, config: Record<string, unknown> = {}): GraphNode => ({
  id,
  type,
  config,
});

/** `[source, port, target]` */
export type GraphEdge = readonly [string, string, string];

export function graph(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    schemaVersion: 1,
    nodes: nodes.map((n, i) => ({ ...n, typeVersion: 1, position: { x: 0, y: i * 120 } })),
    edges: edges.map(([source, sourcePort, target]) => ({
      id: `e_${source}_${sourcePort}`,
      source,
      sourcePort,
      target,
    })),
    settings,
  };
}

/** trigger(event) → wait.duration(duration) → exit: the smallest journey with a timer. */
export function waitJourney(
  event: string,
  duration: string,
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  return graph(
    [
      node('start', 'trigger.event', { event }),
      node('pause', 'wait.duration', { duration }),
      node('done', 'exit'),
    ],
    [
      ['start', 'out', 'pause'],
      ['pause', 'out', 'done'],
    ],
    settings,
  );
}

export interface Runtime {
  readonly t: TestApp;
  /** The runtime clock's lead over the wall clock. */
  offset: number;
}

/** A clock for `createTestApp({ now })` that a test moves forward with `fastForward`. */
export function clockFor(state: { offset: number }): () => Date {
  return () => new Date(Date.now() + state.offset);
}

/** Moves the runtime's clock forward; every job and timer due by then runs now. */
export async function fastForward(t: TestApp, state: { offset: number }, ms: number): Promise<void> {
  state.offset += ms;
  await sql`update graphile_worker._private_jobs set run_at = now()
             where run_at <= now() + make_interval(secs => ${state.offset / 1000})`.execute(t.database.db);
  await sql`update journey_timers set wake_at = now()
             where wake_at <= now() + make_interval(secs => ${state.offset / 1000})`.execute(t.database.db);
  await sql`select pg_notify('jobs:insert', '{}')`.execute(t.database.db);
}

export async function api(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read the JSON answers freely
): Promise<{ statusCode: number; body: string; json: () => any }> {
  const response = await t.app.inject({
    method,
    url,
    headers: adminHeaders,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
  return { statusCode: response.statusCode, body: response.body, json: () => response.json() };
}

/** Creates and publishes a journey; returns its id. */
export async function publish(t: TestApp, name: string, journeyGraph: unknown): Promise<string> {
  const created = await api(t, 'POST', '/api/journeys', { name, graph: journeyGraph });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.json().validation, name).toEqual({ ok: true, errors: [] });
  const id = created.json().id as string;
  const published = await api(t, 'POST', `/api/journeys/${id}/publish`, {});
  expect(published.statusCode, published.body).toBe(200);
  return id;
}

/** Saves a new draft and publishes it; returns the publish answer. */
export async function republish(
  t: TestApp,
  journeyId: string,
  journeyGraph: unknown,
  body: Record<string, unknown> = {},
): Promise<{ version: number; moved: number }> {
  const saved = await api(t, 'PUT', `/api/journeys/${journeyId}`, { graph: journeyGraph });
  expect(saved.statusCode, saved.body).toBe(200);
  expect(saved.json().validation).toEqual({ ok: true, errors: [] });
  const published = await api(t, 'POST', `/api/journeys/${journeyId}/publish`, body);
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

export async function track(
  t: TestApp,
  userId: string,
  event: string,
  properties: Record<string, unknown> = {},
  messageId?: string,
): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: { userId, event, properties, ...(messageId ? { messageId } : {}) },
  });
  expect(response.statusCode, response.body).toBe(200);
}

export async function identify(
  t: TestApp,
  userId: string,
  traits: Record<string, unknown> = {},
): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits },
  });
  expect(response.statusCode, response.body).toBe(200);
}

/**
 * Waits until the runtime has decided every event acknowledged so far (none left in the inbox):
 * what did not happen by then will not happen.
 */
export async function settled(t: TestApp): Promise<void> {
  await t.services.runtime.drain();
  // Another runtime on the same database may hold a row for a moment.
  await eventually(async () => {
    const left = await sql<{ n: number; failed: number }>`
      select count(*)::int as n, count(*) filter (where attempts > 0)::int as failed
        from journey_inbox`.execute(t.database.db);
    expect(left.rows[0], 'events left in the journey inbox').toEqual({ n: 0, failed: 0 });
  }, 5_000);
}

export interface EnrollmentRow {
  id: string;
  journey_version: number;
  status: string;
  current_node: string | null;
  end_reason: string | null;
  entered_at: Date;
  ended_at: Date | null;
  converted_at: Date | null;
  held: boolean;
  entry_slot: string | null;
}

/** A person's enrollments in a journey, oldest first. */
export async function enrollmentsOf(t: TestApp, journeyId: string, userId: string): Promise<EnrollmentRow[]> {
  const result = await sql<EnrollmentRow>`
    select e.id, e.journey_version, e.status, e.current_node, e.end_reason, e.entered_at, e.ended_at,
           e.converted_at, e.held, e.entry_slot
      from enrollments e
      join profile_identities i on i.workspace_id = e.workspace_id and i.profile_id = e.profile_id
     where e.workspace_id = ${t.workspaceId} and e.journey_id = ${journeyId} and i.value = ${userId}
     order by e.entered_at, e.id`.execute(t.database.db);
  return result.rows;
}

/** graphile-worker's queue (its public view), for the wake jobs of an enrollment. */
export async function wakeJobsOf(
  t: TestApp,
  enrollmentId: string,
): Promise<Array<{ key: string; run_at: Date }>> {
  const result = await sql<{ key: string; run_at: Date }>`
    select key, run_at from graphile_worker.jobs
     where task_identifier = 'journey_wake' and key like ${`wake:${enrollmentId}:%`}`.execute(t.database.db);
  return result.rows;
}

export async function timersOf(
  t: TestApp,
  enrollmentId: string,
): Promise<Array<{ node_id: string; wake_at: Date }>> {
  const result = await sql<{ node_id: string; wake_at: Date }>`
    select node_id, wake_at from journey_timers where enrollment_id = ${enrollmentId}`.execute(t.database.db);
  return result.rows;
}

export interface PathStep {
  nodeId: string;
  port: string | null;
  reason: string | null;
}

export interface ProfileEnrollment {
  id: string;
  status: string;
  version: number;
  currentNode: string | null;
  endReason: string | null;
  convertedAt: string | null;
  path: PathStep[];
}

/** `GET /api/profiles/:userId`: the person's enrollments in one journey, with their step log. */
export async function profileEnrollments(
  t: TestApp,
  userId: string,
  journeyId: string,
): Promise<ProfileEnrollment[]> {
  const response = await api(t, 'GET', `/api/profiles/${encodeURIComponent(userId)}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().enrollments as Array<ProfileEnrollment & { journeyId: string }>).filter(
    (e) => e.journeyId === journeyId,
  );
}

export const portsOf = (path: readonly PathStep[]) => path.map((s) => [s.nodeId, s.port]);
