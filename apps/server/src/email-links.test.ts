import { createDefaultChannels } from '@touchline/channels';
import { freePort } from '@touchline/db';
import { createDelivery, trackingLinks } from '@touchline/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney } from '../test/journeys.js';
import { startSmtpServer } from '../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// The links of a real email, followed over HTTP as a reader's mail client would.
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let journeyId: string;
let publicUrl: string;
const secrets = ['tl_secret_email_links_test_0123456789'];

const api = async (method: string, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method: method as 'GET', url, headers: adminHeaders, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'news@shop.test',
    }),
    links: trackingLinks(publicUrl, secrets),
  });
  t = await createTestApp({ publicUrl, secrets }, undefined, { worker: true, delivery });
  await t.app.listen({ port, host: '127.0.0.1' });
  const template = await api('POST', '/api/templates', {
    name: 'Come back',
    channel: 'email',
    subject: 'We kept your cart',
    mjml: `<mjml><mj-body><mj-section><mj-column>
      <mj-text>Hi {{ profile.first_name }}</mj-text>
      <mj-button href="https://shop.test/cart?utm=email">Back to your cart</mj-button>
    </mj-column></mj-section></mj-body></mjml>`,
  });
  expect(template.statusCode, template.body).toBe(201);
  journeyId = await publishEmailJourney(t, 'Come back', template.json().id);
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId: 'lin', traits: { email: 'lin@example.com', first_name: 'Lin' } },
  });
  expect(identified.statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('the links of a delivered email', () => {
  it('track the click through a signed redirect and unsubscribe in one click, so the next email is not sent', async () => {
    expect(
      (await api('POST', `/api/journeys/${journeyId}/enroll`, { userId: 'lin', key: 'first' })).json(),
    ).toEqual({
      entered: true,
    });
    const mail = await eventually(async () => {
      const found = smtp.received.find((m) => JSON.stringify(m.to).includes('lin@example.com'));
      expect(found).toBeDefined();
      return found as NonNullable<typeof found>;
    });
    const html = mail.html as string;
    expect(html).toContain('Hi Lin');

    // The button goes through the click redirect, and lands where the marketer pointed it.
    const click = new RegExp(`href="(${publicUrl}/t/c/[^"]+)"`).exec(html)?.[1] as string;
    expect(click).toBeDefined();
    const redirected = await fetch(click.replaceAll('&amp;', '&'), { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('https://shop.test/cart?utm=email');
    await eventually(async () => {
      const [message] = (await api('GET', `/api/messages?userId=lin&journeyId=${journeyId}`)).json().messages;
      expect(message.status).toBe('clicked');
      const events = (await api('GET', '/api/profiles/lin/events')).json().events as Array<{ event: string }>;
      expect(events.map((e) => e.event)).toContain('email_clicked');
    });

    // The List-Unsubscribe header's URL takes the RFC 8058 one-click POST a mail client sends.
    const listUnsubscribe = mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribeUrl = /<(http[^>]+)>/.exec(listUnsubscribe)?.[1] as string;
    expect(unsubscribeUrl.startsWith(`${publicUrl}/u/`)).toBe(true);
    const unsubscribed = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    await eventually(async () => {
      const profile = (await api('GET', '/api/profiles/lin')).json();
      expect(profile.traits.subscriptions).toMatchObject({ email: false });
    });

    // The next marketing email of any journey is stopped, and says why.
    expect(
      (await api('POST', `/api/journeys/${journeyId}/enroll`, { userId: 'lin', key: 'second' })).json(),
    ).toEqual({
      entered: true,
    });
    const [latest] = (await api('GET', `/api/messages?userId=lin&journeyId=${journeyId}`)).json().messages;
    expect(latest).toMatchObject({ status: 'suppressed', suppressedReason: 'unsubscribed' });
    expect(smtp.received.filter((m) => JSON.stringify(m.to).includes('lin@example.com'))).toHaveLength(1);
  });

  it('of a test send work for the marketer but neither unsubscribe nor record anything on the profile whose data filled it', async () => {
    const identified = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: writeKeyHeaders,
      payload: { userId: 'mia', traits: { email: 'mia@example.com', first_name: 'Mia' } },
    });
    expect(identified.statusCode).toBe(200);
    const [template] = (await api('GET', '/api/templates')).json().templates as Array<{ id: string }>;
    const sent = await api('POST', `/api/templates/${template?.id}/test-send`, {
      to: 'marketer@shop.test',
      userId: 'mia',
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const mail = await eventually(async () => {
      const found = smtp.received.find((m) => JSON.stringify(m.to).includes('marketer@shop.test'));
      expect(found).toBeDefined();
      return found as NonNullable<typeof found>;
    });
    expect(mail.html as string).toContain('Hi Mia');

    const click = new RegExp(`href="(${publicUrl}/t/c/[^"]+)"`).exec(mail.html as string)?.[1] as string;
    const redirected = await fetch(click.replaceAll('&amp;', '&'), { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    const listUnsubscribe = mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribeUrl = /<(http[^>]+)>/.exec(listUnsubscribe)?.[1] as string;
    const unsubscribed = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);

    // The message itself shows the click; Mia is still subscribed and her history is untouched.
    await eventually(async () => {
      const [message] = (await api('GET', '/api/messages?userId=mia')).json().messages;
      expect(message).toMatchObject({ test: true, status: 'clicked' });
    });
    const profile = (await api('GET', '/api/profiles/mia')).json();
    expect(profile.traits.subscriptions?.email).not.toBe(false);
    const events = (await api('GET', '/api/profiles/mia/events')).json().events as Array<{ event: string }>;
    expect(events.map((e) => e.event)).not.toContain('email_clicked');
    expect(events.map((e) => e.event)).not.toContain('unsubscribed');
  });
});
