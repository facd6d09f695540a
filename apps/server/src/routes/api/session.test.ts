import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, credentials, type TestApp } from '../../../test/test-app.js';

describe('editor sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const signIn = (body: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/session', payload: body as object });

  it('signs a member in with an HTTP-only session cookie that opens the admin API', async () => {
    const response = await signIn({ email: credentials.adminEmail, password: credentials.adminPassword });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ kind: 'member', email: credentials.adminEmail, role: 'admin' });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/touchline_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const cookie = response.cookies.find((c) => c.name === 'touchline_session');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      cookies: { touchline_session: cookie!.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'member',
      email: credentials.adminEmail,
      workspaceId: t.workspaceId,
    });
  });

  it('matches the email case-insensitively', async () => {
    const response = await signIn({
      email: credentials.adminEmail.toUpperCase(),
      password: credentials.adminPassword,
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    const wrong = await signIn({ email: credentials.adminEmail, password: 'wrong password' });
    const unknown = await signIn({ email: 'nobody@example.com', password: 'wrong password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('names each invalid field in a 400', async () => {
    const response = await signIn({ email: 'not-an-email' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('validation_failed');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.email', 'body.password']);
    expect(body.message).toMatch(/body\.email: must be an email address/);
  });

  it('ends the session on sign-out so the cookie no longer works', async () => {
    const response = await signIn({ email: credentials.adminEmail, password: credentials.adminPassword });
    const token = response.cookies.find((c) => c.name === 'touchline_session')!.value;
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      cookies: { touchline_session: token },
    });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      cookies: { touchline_session: token },
    });
    expect(me.statusCode).toBe(401);
    expect(me.json().message).toMatch(/sign in again/);
  });
});
