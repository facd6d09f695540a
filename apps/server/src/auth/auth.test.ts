import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  createTestApp,
  credentials,
  type TestApp,
  writeKeyHeaders,
} from '../../test/test-app.js';
import { writeKeyHook } from '../plugins/auth.js';
import { KeyResolver } from './key-resolver.js';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const session = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: '/api/session', headers });

  it('answers the admin API without credentials with 401 and says what to send', async () => {
    const response = await session();
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/Authorization: Bearer <admin token>/);
  });

  it('accepts the admin token as a Bearer token and scopes the request to its workspace', async () => {
    const response = await session(adminHeaders);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ kind: 'admin_token', workspaceId: t.workspaceId });
  });

  it('rejects a wrong admin token with 401', async () => {
    const response = await session({ authorization: 'Bearer tl_admin_not_a_real_token' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthorized', message: 'invalid admin token' });
  });

  it('refuses the write key on the admin API, because the two kinds of key are separate', async () => {
    const response = await session({ authorization: `Bearer ${credentials.writeKey}` });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/this is a write key/);
  });

  it('refuses HTTP Basic on the admin API with a message naming the expected scheme', async () => {
    const response = await session(writeKeyHeaders);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/Bearer/);
  });

  describe('write key hook on /v1', () => {
    let probe: import('fastify').FastifyInstance;
    beforeAll(async () => {
      const { default: Fastify } = await import('fastify');
      const { registerErrorHandler } = await import('../plugins/error-handler.js');
      probe = Fastify();
      registerErrorHandler(probe);
      probe.addHook('onRequest', writeKeyHook(new KeyResolver(t.database.db)));
      probe.post('/v1/track', async (request) => ({ workspaceId: request.principal?.workspaceId }));
      await probe.ready();
    });
    afterAll(async () => probe.close());

    const track = (headers: Record<string, string>) =>
      probe.inject({ method: 'POST', url: '/v1/track', headers });

    it('takes the write key as the HTTP Basic user name, with any password', async () => {
      const response = await track({
        authorization: `Basic ${Buffer.from(`${credentials.writeKey}:ignored`).toString('base64')}`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ workspaceId: t.workspaceId });
    });

    it('answers a missing or wrong write key with 401', async () => {
      expect((await track({})).statusCode).toBe(401);
      const wrong = await track({ authorization: `Basic ${Buffer.from('nope:').toString('base64')}` });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().message).toBe('invalid write key');
    });

    it('refuses the admin token for ingestion', async () => {
      const response = await track({
        authorization: `Basic ${Buffer.from(`${credentials.adminToken}:`).toString('base64')}`,
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/admin token/);
    });
  });
});
