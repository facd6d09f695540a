import { createDefaultChannels } from '@touchline/channels';
import { freePort } from '@touchline/db';
import { createDelivery, trackingLinks } from '@touchline/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, publishEmailJourney } from '../test/journeys.js';
import { startSmtpServer } from '../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

// The plain-text part of a real email, its links followed over HTTP as a text-only reader would.
let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let publicUrl: string;

const api = async (method: string, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method: method as 'GET', url, headers: adminHeaders, ...(payload ? { payload } : {}) });

/** Sends one email of a new template to a new profile and returns it as the SMTP server got it. */
async function deliveredEmail(name: string, content: Record<string, unknown>, userId: string) {
  const template = await api('POST', '/api/templates', { name, channel: 'email', subject: name, ...content });
  expect(template.statusCode, template.body).toBe(201);
  const journeyId = await publishEmailJourney(t, name, template.json().id);
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { email: `${userId}@example.com`, first_name: 'Lin' } },
  });
  expect(identified.statusCode).toBe(200);
  expect((await api('POST', `/api/journeys/${journeyId}/enroll`, { userId, key: 'k' })).json()).toEqual({
    entered: true,
  });
  return eventually(async () => {
    const found = smtp.received.find((m) => JSON.stringify(m.to).includes(`${userId}@example.com`));
    expect(found).toBeDefined();
    return found as NonNullable<typeof found>;
  });
}

const clickLinksOf = (text: string) => text.match(new RegExp(`${publicUrl}/t/c/[\\w-]+`, 'g')) ?? [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  const secrets = ['tl_secret_text_links_test_0123456789'];
  const delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'news@shop.test',
    }),
    links: trackingLinks(publicUrl, secrets),
  });
  t = await createTestApp({ publicUrl, secrets }, undefined, { worker: true, delivery });
  await t.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('links in the plain-text part of a delivered email', () => {
  it('go through the signed click redirect to where the template pointed, the unsubscribe link direct', async () => {
    const mail = await deliveredEmail(
      'Text links',
      {
        mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
        text: 'Hi {{ profile.first_name }}, your cart: https://shop.test/cart?utm=text.\nStop these: {{ unsubscribe_url }}',
      },
      'tex',
    );
    const text = mail.text as string;
    expect(text).not.toContain('https://shop.test/cart');
    const [click] = clickLinksOf(text);
    expect(click, text).toBeDefined();
    expect(text).toContain(`${click}.\n`);
    const redirected = await fetch(click as string, { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('https://shop.test/cart?utm=text');
    expect(text).toMatch(new RegExp(`Stop these: ${publicUrl}/u/\\S+$`));
    await eventually(async () => {
      const events = (await api('GET', '/api/profiles/tex/events')).json().events as Array<{ event: string }>;
      expect(events.map((e) => e.event)).toContain('email_clicked');
    });
  });

  it('track the links of the text derived from the HTML too', async () => {
    const mail = await deliveredEmail(
      'Derived text links',
      {
        mjml: `<mjml><mj-body><mj-section><mj-column>
          <mj-button href="https://shop.test/sale?utm=email">See the sale</mj-button>
        </mj-column></mj-section></mj-body></mjml>`,
      },
      'der',
    );
    const text = mail.text as string;
    expect(text).toContain('See the sale [');
    const [click] = clickLinksOf(text);
    expect(click, text).toBeDefined();
    const redirected = await fetch(click as string, { redirect: 'manual' });
    expect(redirected.headers.get('location')).toBe('https://shop.test/sale?utm=email');
  });
});
