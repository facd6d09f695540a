import { findWorkspace } from '@touchline/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

describe('workspace API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.database.db
      .updateTable('workspaces')
      .set({ name: 'Acme', settings: JSON.stringify({ approvalRequired: true }) })
      .where('id', '=', t.workspaceId)
      .execute();
  });

  const get = () => t.app.inject({ method: 'GET', url: '/api/workspace', headers: adminHeaders });
  const patch = (payload: object) =>
    t.app.inject({ method: 'PATCH', url: '/api/workspace', headers: adminHeaders, payload });

  it('shows the workspace with the ingestion settings’ defaults filled in and other settings kept', async () => {
    const response = await get();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: t.workspaceId,
      name: 'Acme',
      settings: { approvalRequired: true, orderEvent: 'order_completed', revenueProperty: 'revenue' },
    });
  });

  it('changes one setting, keeping the others', async () => {
    const response = await patch({ settings: { orderEvent: 'Order Completed' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().settings).toEqual({
      approvalRequired: true,
      orderEvent: 'Order Completed',
      revenueProperty: 'revenue',
    });
    await patch({ settings: { revenueProperty: 'total' } });
    const stored = await findWorkspace(t.database.db, t.workspaceId);
    // Defaults are filled in on reading, never written.
    expect(stored?.settings).toEqual({
      approvalRequired: true,
      orderEvent: 'Order Completed',
      revenueProperty: 'total',
    });
    expect(stored?.name).toBe('Acme');
  });

  it('puts a setting sent as null back to its default', async () => {
    await patch({ settings: { orderEvent: 'purchase' } });
    const response = await patch({ settings: { orderEvent: null } });
    expect(response.json().settings.orderEvent).toBe('order_completed');
    expect((await findWorkspace(t.database.db, t.workspaceId))?.settings).toEqual({ approvalRequired: true });
  });

  it('renames the workspace, trimmed', async () => {
    const response = await patch({ name: '  Acme Europe ' });
    expect(response.json()).toMatchObject({ name: 'Acme Europe' });
    expect((await get()).json().name).toBe('Acme Europe');
  });

  it.each([
    [{ name: '' }, 'body.name: must not be empty'],
    [
      { settings: { orderEvent: '' } },
      'body.settings.orderEvent: Too small: expected string to have >=1 characters',
    ],
    [
      { settings: { revenueProperty: 12 } },
      'body.settings.revenueProperty: Invalid input: expected string, received number',
    ],
    [{ settings: { orderEvnt: 'x' } }, 'body.settings: Unrecognized key: "orderEvnt"'],
    [{}, 'body: send a name, settings, or both'],
  ])('refuses %j naming the field', async (payload, message) => {
    const response = await patch(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', message });
  });

  it('leaves other workspaces alone', async () => {
    const other = await t.database.db
      .insertInto('workspaces')
      .values({ name: 'Other', settings: JSON.stringify({ orderEvent: 'sale' }) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await patch({ name: 'Renamed', settings: { orderEvent: 'purchase' } });
    expect(await findWorkspace(t.database.db, other.id)).toMatchObject({
      name: 'Other',
      settings: { orderEvent: 'sale' },
    });
  });
});
