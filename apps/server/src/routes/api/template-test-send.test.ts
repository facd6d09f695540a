import { createDefaultChannels } from '@touchline/channels';
import { createDelivery } from '@touchline/worker';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let templateId: string;

const until = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const mailTo = (address: string) =>
  until(`an email to ${address}`, async () =>
    smtp.received.find((m: ParsedMail) => JSON.stringify(m.to ?? '').includes(address)),
  );
const testSend = (payload: object, id = templateId) =>
  t.app.inject({ method: 'POST', url: `/api/templates/${id}/test-send`, headers: adminHeaders, payload });
const identify = (userId: string, traits: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits },
  });
const messagesOf = async (userId: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/messages?userId=${userId}`, headers: adminHeaders })).json()
    .messages as Array<Record<string, unknown>>;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'Shop <news@shop.test>',
      unsubscribeMailto: 'unsubscribe@shop.test',
    }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: {
      name: 'Spring sale',
      channel: 'email',
      subject: '{{ profile.first_name }}, the spring sale is on',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ profile.first_name }}, {{ event.properties.code | default: "no code" }}</mj-text></mj-column></mj-section></mj-body></mjml>',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  templateId = created.json().id;
  // Ada said no to marketing email; a test reaches her all the same.
  expect(
    (await identify('ada', { email: 'ada@example.com', first_name: 'Ada', subscriptions: { email: false } }))
      .statusCode,
  ).toBe(200);
  await identify('grace', { email: 'grace@example.com', first_name: 'Grace', test_profile: true });
  await identify('linus', { email: 'linus@example.com', first_name: 'Linus', test_profile: true });
  await identify('noemail', { first_name: 'Nobody' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('template test sends', () => {
  it("delivers a test to the address given, with the chosen profile's data, over the real SMTP adapter", async () => {
    const response = await testSend({
      to: 'marketer@shop.test',
      userId: 'ada',
      event: { event: 'sale', properties: { code: 'SPRING10' } },
    });
    expect(response.statusCode, response.body).toBe(202);
    const [queued] = response.json().messages;
    expect(queued).toMatchObject({ userId: 'ada', to: 'marketer@shop.test', status: 'queued' });

    const mail = await mailTo('marketer@shop.test');
    expect(mail.subject).toBe('Ada, the spring sale is on');
    expect(mail.html).toContain('Hi Ada, SPRING10');
    // Not to the profile's own address.
    expect(smtp.received.some((m) => JSON.stringify(m.to ?? '').includes('ada@example.com'))).toBe(false);

    const listed = await until('the message marked sent', async () => {
      const message = (await messagesOf('ada')).find((m) => m.id === queued.id);
      return message?.status === 'sent' ? message : undefined;
    });
    expect(listed).toMatchObject({ test: true, channel: 'email', templateId, templateVersion: 1 });
  });

  it('sends to each test profile with its own data and address, and to the named profile once', async () => {
    const response = await testSend({ userId: 'grace', testProfiles: true });
    expect(response.statusCode, response.body).toBe(202);
    expect(
      response
        .json()
        .messages.map((m: { to: string }) => m.to)
        .sort(),
    ).toEqual(['grace@example.com', 'linus@example.com']);
    expect((await mailTo('linus@example.com')).subject).toBe('Linus, the spring sale is on');
    expect((await mailTo('grace@example.com')).subject).toBe('Grace, the spring sale is on');
  });

  it('names what is missing: no recipient, an unknown profile, an address no profile has', async () => {
    const empty = await testSend({});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('send `to`, `userId` or `testProfiles: true`');

    const unknown = await testSend({ userId: 'nobody-like-this' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('body.userId');

    const stranger = await testSend({ to: 'stranger@example.com' });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().message).toContain(
      'body.userId: no profile has the address "stranger@example.com"',
    );

    const noAddress = await testSend({ userId: 'noemail' });
    expect(noAddress.statusCode).toBe(422);
    expect(noAddress.json().message).toContain('body.to');

    const missingTemplate = await testSend({ userId: 'ada' }, '00000000-0000-4000-8000-000000000000');
    expect(missingTemplate.statusCode).toBe(404);
  });

  it('finds the profile by its address when only an address is given', async () => {
    const response = await testSend({ to: 'GRACE@example.com' });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().messages[0]).toMatchObject({ userId: 'grace', to: 'GRACE@example.com' });
  });
});
