import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishJourney, publishSendJourney } from '../../../test/journeys.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: adminHeaders, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the suppression list', () => {
  it('adds an address by hand, normalised, once', async () => {
    const added = await api('POST', '/api/suppressions', {
      channel: 'email',
      address: '  Grace.Hopper@Example.COM ',
      detail: 'asked by phone',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      channel: 'email',
      address: 'grace.hopper@example.com',
      reason: 'manual',
      sourceMessageId: null,
      detail: 'asked by phone',
    });
    const again = await api('POST', '/api/suppressions', {
      channel: 'email',
      address: 'grace.hopper@example.com',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(added.json().id);

    const phone = await api('POST', '/api/suppressions', { channel: 'sms', address: '0049 (151) 234-5678' });
    expect(phone.statusCode, phone.body).toBe(201);
    expect(phone.json().address).toBe('+491512345678');
  });

  it('refuses an address that is not one, naming the field', async () => {
    const email = await api('POST', '/api/suppressions', { channel: 'email', address: 'not an email' });
    expect(email.statusCode).toBe(422);
    expect(email.json()).toMatchObject({
      code: 'unprocessable',
      message: 'body.address: must be an email address',
      issues: [{ path: 'body.address', message: 'must be an email address' }],
    });
    const phone = await api('POST', '/api/suppressions', { channel: 'sms', address: 'call me' });
    expect(phone.statusCode).toBe(422);
    expect(phone.json().message).toBe('body.address: must be a phone number (3 to 15 digits)');
    const channel = await api('POST', '/api/suppressions', { channel: 'fax', address: '123' });
    expect(channel.statusCode).toBe(400);
    expect(channel.json().message).toMatch(/^body\.channel: must be one of email, sms, whatsapp/);
  });

  it('lists newest first, pages by cursor and filters by channel', async () => {
    for (const n of [1, 2, 3]) {
      expect(
        (await api('POST', '/api/suppressions', { channel: 'email', address: `page${n}@example.com` }))
          .statusCode,
      ).toBe(201);
    }
    const first = await api('GET', '/api/suppressions?channel=email&limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.suppressions.map((s: { address: string }) => s.address)).toEqual([
      'page3@example.com',
      'page2@example.com',
    ]);
    const second = (
      await api('GET', `/api/suppressions?channel=email&limit=2&before=${page1.nextBefore}`)
    ).json();
    expect(second.suppressions.map((s: { address: string }) => s.address)).toEqual([
      'page1@example.com',
      'grace.hopper@example.com',
    ]);
    expect(second.nextBefore).toBeNull();
    const sms = (await api('GET', '/api/suppressions?channel=sms')).json();
    expect(sms.suppressions.map((s: { address: string }) => s.address)).toEqual(['+491512345678']);
    const bad = await api('GET', '/api/suppressions?before=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('querystring.before: must be the nextBefore of a previous page');
  });

  it('takes an address off the list, matched after normalisation', async () => {
    const removed = await api('DELETE', `/api/suppressions/email/${encodeURIComponent('PAGE1@example.com')}`);
    expect(removed.statusCode, removed.body).toBe(204);
    const gone = await api('DELETE', `/api/suppressions/email/${encodeURIComponent('page1@example.com')}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().message).toBe('page1@example.com is not on the email suppression list');
  });

  it('stops a send to a suppressed address, which takes the suppressed port with reason suppressed_address', async () => {
    const template = await api('POST', '/api/templates', {
      name: 'News',
      channel: 'email',
      subject: 'News',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>News</mj-text></mj-column></mj-section></mj-body></mjml>',
    });
    expect(template.statusCode, template.body).toBe(201);
    const journeyId = await publishJourney(t, 'Newsletter', {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } },
        {
          id: 'email',
          type: 'send.email',
          config: { templateId: template.json().id },
          position: { x: 0, y: 100 },
        },
        {
          id: 'flag',
          type: 'profile.update',
          config: { addTags: ['suppressed'] },
          position: { x: 200, y: 200 },
        },
        { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 300 } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'out', target: 'email' },
        { id: 'e2', source: 'email', sourcePort: 'out', target: 'done' },
        { id: 'e3', source: 'email', sourcePort: 'suppressed', target: 'flag' },
        { id: 'e4', source: 'flag', sourcePort: 'out', target: 'done' },
      ],
      settings: { reentry: 'always' },
    });
    for (const [userId, email] of [
      ['grace', 'GRACE.hopper@example.com'],
      ['alan', 'alan@example.com'],
    ] as const) {
      const identified = await t.app.inject({
        method: 'POST',
        url: '/v1/identify',
        headers: writeKeyHeaders,
        payload: { userId, traits: { email } },
      });
      expect(identified.statusCode).toBe(200);
      const enrolled = await api('POST', `/api/journeys/${journeyId}/enroll`, {
        userId,
        key: `news-${userId}`,
      });
      expect(enrolled.json(), enrolled.body).toEqual({ entered: true });
    }
    const messageOf = async (userId: string) =>
      (await api('GET', `/api/messages?userId=${userId}&journeyId=${journeyId}`)).json().messages[0];
    expect(await messageOf('grace')).toMatchObject({
      status: 'suppressed',
      suppressedReason: 'suppressed_address',
    });
    expect(await messageOf('alan')).toMatchObject({ status: 'queued', suppressedReason: null });
    const grace = (await api('GET', '/api/profiles/grace')).json();
    expect(grace.profile?.tags ?? grace.tags ?? grace.traits?.tags).toContain('suppressed');
    const step = (
      grace.enrollments as Array<{ path: Array<{ nodeId: string; port: string; reason: string }> }>
    )[0]?.path.find((s) => s.nodeId === 'email');
    expect(step).toMatchObject({ port: 'suppressed' });
    expect(step?.reason).toMatch(/^suppressed_address: the email address is on the suppression list/);

    // The simulator reads the list as the runtime does.
    const simulated = await api('POST', `/api/journeys/${journeyId}/simulate`, {
      profile: { userId: 'grace' },
      events: [],
    });
    expect(simulated.statusCode, simulated.body).toBe(200);
    expect(simulated.json().messages).toEqual([
      expect.objectContaining({ nodeId: 'email', suppressedReason: 'suppressed_address' }),
    ]);
  });

  it('matches a phone however the profile wrote it: the API and the runtime normalise alike', async () => {
    const template = await api('POST', '/api/templates', {
      name: 'Code',
      channel: 'sms',
      text: 'Your code: 10OFF',
    });
    expect(template.statusCode, template.body).toBe(201);
    const journeyId = await publishSendJourney(t, 'SMS offer', template.json().id, { channel: 'sms' });
    // Suppressed above, by hand, as "0049 (151) 234-5678".
    for (const [userId, phone] of [
      ['klaus', '+49 151 234 5678'],
      ['other', '+49 151 999 0000'],
    ] as const) {
      await t.app.inject({
        method: 'POST',
        url: '/v1/identify',
        headers: writeKeyHeaders,
        payload: { userId, traits: { phone } },
      });
      const enrolled = await api('POST', `/api/journeys/${journeyId}/enroll`, {
        userId,
        key: `sms-${userId}`,
      });
      expect(enrolled.json(), enrolled.body).toEqual({ entered: true });
    }
    const reasonOf = async (userId: string) =>
      (await api('GET', `/api/messages?userId=${userId}&journeyId=${journeyId}`)).json().messages[0]
        ?.suppressedReason;
    expect(await reasonOf('klaus')).toBe('suppressed_address');
    expect(await reasonOf('other')).toBeNull();
  });
});
