import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, credentials, type TestApp } from '../../../test/test-app.js';

const graphWith = (event: string) => ({
  schemaVersion: 1,
  nodes: [{ id: 'trigger_event_1', type: 'trigger.event', position: { x: 0, y: 0 }, config: { event } }],
  edges: [],
  settings: { reentry: 'never' },
});

describe('draft revisions (two editors on one draft)', () => {
  let t: TestApp;
  let member: Record<string, string>;

  const put = (id: string, payload: object, headers: Record<string, string> = adminHeaders) =>
    t.app.inject({ method: 'PUT', url: `/api/journeys/${id}`, headers, payload });
  const get = async (id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/journeys/${id}`, headers: adminHeaders })).json();
  const create = async (name: string): Promise<{ id: string; draftRevision: number }> => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/journeys',
      headers: adminHeaders,
      payload: { name, graph: graphWith('first') },
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: credentials.adminEmail, password: credentials.adminPassword },
    });
    const cookie = signedIn.cookies.find((c) => c.name === 'touchline_session');
    if (!cookie) throw new Error('no session cookie');
    member = { cookie: `touchline_session=${cookie.value}` };
  });
  afterAll(async () => t.close());

  it('bumps the revision on each draft save and answers it from GET and PUT', async () => {
    const journey = await create('Revisions');
    expect(journey.draftRevision).toBe(1);
    expect((await get(journey.id)).draftRevision).toBe(1);

    const saved = await put(journey.id, { graph: graphWith('second'), baseRevision: 1 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().draftRevision).toBe(2);
    const again = await put(journey.id, { graph: graphWith('third'), baseRevision: 2 });
    expect(again.json().draftRevision).toBe(3);
    expect(await get(journey.id)).toMatchObject({ draftRevision: 3, graph: graphWith('third') });
  });

  it('refuses a save based on an older revision with 409 naming who saved, when, and the revision, and changes nothing', async () => {
    const journey = await create('Two tabs');
    // The other tab (a signed-in member) saves first.
    const theirs = await put(journey.id, { graph: graphWith('theirs'), baseRevision: 1 }, member);
    expect(theirs.statusCode, theirs.body).toBe(200);
    const before = await get(journey.id);

    const mine = await put(journey.id, { graph: graphWith('mine'), name: 'Renamed too', baseRevision: 1 });
    expect(mine.statusCode).toBe(409);
    const body = mine.json();
    expect(body).toMatchObject({
      code: 'conflict',
      baseRevision: 1,
      draftRevision: 2,
      updatedBy: credentials.adminEmail,
      updatedAt: before.updatedAt,
    });
    expect(body.message).toContain('baseRevision 1');
    expect(body.message).toContain(credentials.adminEmail);
    expect(body.message).toContain('revision 2');

    const after = await get(journey.id);
    expect(after).toMatchObject({
      name: 'Two tabs',
      draftRevision: 2,
      updatedAt: before.updatedAt,
      graph: graphWith('theirs'),
    });

    // Keeping mine: saving over it, based on the revision the 409 reported.
    const kept = await put(journey.id, { graph: graphWith('mine'), baseRevision: body.draftRevision });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ draftRevision: 3, graph: graphWith('mine') });
  });

  it('says an API client saved last when the save came with a token', async () => {
    const journey = await create('Token edit');
    await put(journey.id, { graph: graphWith('by token') });
    const refused = await put(journey.id, { graph: graphWith('stale'), baseRevision: 1 }, member);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ updatedBy: null, draftRevision: 2 });
    expect(refused.json().message).toContain('an API client');
  });

  it('lets only one of two saves based on the same revision land', async () => {
    const journey = await create('Race');
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((tab) => put(journey.id, { graph: graphWith(tab), baseRevision: 1 })),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409]);
    const winner = answers.find((a) => a.statusCode === 200)?.json();
    expect(await get(journey.id)).toMatchObject({ draftRevision: 2, graph: winner.graph });
  });

  it('saves without baseRevision as before, and a rename never conflicts nor bumps the revision', async () => {
    const journey = await create('Old clients');
    expect((await put(journey.id, { graph: graphWith('x') })).json().draftRevision).toBe(2);
    expect((await put(journey.id, { graph: graphWith('y') })).json().draftRevision).toBe(3);

    const renamed = await put(journey.id, { name: 'New name', baseRevision: 1 });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'New name', draftRevision: 3, graph: graphWith('y') });
  });

  it('answers 404 for a journey that does not exist, with or without baseRevision', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await put(missing, { graph: graphWith('x'), baseRevision: 1 })).statusCode).toBe(404);
    expect((await put(missing, { graph: graphWith('x') })).statusCode).toBe(404);
  });

  it('names a baseRevision that is not a revision', async () => {
    const journey = await create('Bad base');
    const response = await put(journey.id, { graph: graphWith('x'), baseRevision: 'latest' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/body\.baseRevision/);
  });

  it('describes draftRevision, baseRevision and the 409 in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const put = doc.paths['/api/journeys/{id}'].put;
    expect(put.requestBody.content['application/json'].schema.properties).toHaveProperty('baseRevision');
    expect(put.responses['200'].content['application/json'].schema.required).toContain('draftRevision');
    expect(put.responses['409'].content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['baseRevision', 'draftRevision', 'updatedAt', 'updatedBy']),
    );
  });
});
