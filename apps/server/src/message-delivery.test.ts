import { createDefaultChannels } from '@touchline/channels';
import { createDelivery, type Delivery, deliverMessage } from '@touchline/worker';
import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEmailJourney } from '../test/journeys.js';
import { startSmtpServer } from '../test/smtp-server.js';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../test/test-app.js';

const unknownTagMjml = `<mjml>
  <mj-body>
    <mj-section><mj-colum><mj-text>Hi</mj-text></mj-colum></mj-section>
  </mj-body>
</mjml>`;

const abandonedCart = {
  name: 'Abandoned cart',
  channel: 'email',
  subject: '{{ profile.first_name }}, your cart is waiting',
  preheader: '{{ event.properties.items | size }} items saved for you',
  mjml: `<mjml>
  <mj-body>
    <mj-section><mj-column><mj-text>Hi {{ profile.first_name }}, you left these behind:</mj-text></mj-column></mj-section>
    {% for item in event.properties.items %}
    <mj-section>
      <mj-column><mj-image src="{{ item.image_url }}" alt="{{ item.name }}" href="{{ item.url }}" /></mj-column>
      <mj-column><mj-text>{{ item.name }} — {{ item.price }} EUR</mj-text></mj-column>
    </mj-section>
    {% endfor %}
    <mj-section><mj-column>
      <mj-button href="https://shop.test/cart">Back to your cart</mj-button>
      <mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`,
};

/** A header as sent (mailparser folds the List-* headers into a structure). */
const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((line) => line.key === name)
    ?.line.slice(name.length + 1)
    .replace(/\r?\n\s+/g, ' ')
    .trim();

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let delivery: Delivery;

const until = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const messageOf = async (email: string) =>
  (
    await sql<{
      id: string;
      status: string;
      error: string | null;
      provider_id: string | null;
      delivery_attempts: number;
      idempotency_key: string;
      content: Record<string, unknown>;
    }>`select m.id, m.status, m.error, m.provider_id, m.delivery_attempts, m.idempotency_key, m.content
         from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
        where p.email = ${email}`.execute(t.database.db)
  ).rows[0];

const identify = (userId: string, email: string, firstName: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId, traits: { email, first_name: firstName } },
  });

const cartUpdated = (userId: string) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/track',
    headers: writeKeyHeaders,
    payload: {
      userId,
      event: 'cart_updated',
      messageId: `cart-${userId}`,
      properties: {
        items: [
          {
            sku: 'RS-1',
            name: 'Red running shoes',
            price: 89,
            url: 'https://shop.test/p/rs-1',
            image_url: 'https://img.test/rs-1.png',
          },
          {
            sku: 'WS-2',
            name: 'Wool socks',
            price: 12,
            url: 'https://shop.test/p/ws-2',
            image_url: 'https://img.test/ws-2.png',
          },
        ],
      },
    },
  });

beforeAll(async () => {
  smtp = await startSmtpServer();
  delivery = createDelivery({
    channels: createDefaultChannels({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      emailFrom: 'Shop <news@shop.test>',
      unsubscribeMailto: 'unsubscribe@shop.test',
    }),
    // Placeholders for the signed tracking URLs.
    links: ({ messageId }) => ({
      openPixelUrl: `https://t.test/o/${messageId}`,
      clickUrl: (href) => `https://t.test/c/${messageId}?to=${encodeURIComponent(href)}`,
      unsubscribeUrl: `https://t.test/u/${messageId}`,
    }),
  });
  t = await createTestApp({}, undefined, { worker: true, delivery });
  const template = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: adminHeaders,
    payload: abandonedCart,
  });
  expect(template.statusCode, template.body).toBe(201);
  await publishEmailJourney(t, 'Abandoned cart', template.json().id, {
    type: 'trigger.event',
    config: { event: 'cart_updated' },
  });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('email delivery over SMTP', () => {
  it('delivers an abandoned-cart email, multipart, with the cart, the name and one-click unsubscribe', async () => {
    expect((await identify('ada', 'ada@example.com', 'Ada')).statusCode).toBe(200);
    expect((await cartUpdated('ada')).statusCode).toBe(200);
    const mail = await until('the email', async () =>
      smtp.received.find((m) => m.to && JSON.stringify(m.to).includes('ada@')),
    );
    const message = await until('the message marked sent', async () => {
      const row = await messageOf('ada@example.com');
      return row?.status === 'sent' ? row : undefined;
    });

    expect(mail.subject).toBe('Ada, your cart is waiting');
    expect(mail.from?.value).toEqual([{ name: 'Shop', address: 'news@shop.test' }]);
    expect(typeof mail.html).toBe('string');
    const html = mail.html as string;
    expect(html).toContain('Hi Ada, you left these behind:');
    expect(html).toContain('Red running shoes — 89 EUR');
    expect(html).toContain('Wool socks — 12 EUR');
    expect(html).toContain('2 items saved for you');
    expect(html).toContain(
      `https://t.test/c/${message.id}?to=${encodeURIComponent('https://shop.test/p/rs-1')}`,
    );
    expect(html).toContain(`<img src="https://t.test/o/${message.id}"`);
    expect(mail.text).toContain('Hi Ada, you left these behind:');
    expect(mail.text).toContain('Red running shoes — 89 EUR');
    expect(mail.text).toContain('Wool socks — 12 EUR');
    expect(mail.text).not.toContain('{%');

    expect(header(mail, 'list-unsubscribe')).toBe(
      `<mailto:unsubscribe@shop.test>, <https://t.test/u/${message.id}>`,
    );
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toBe(
      `<${message.idempotency_key.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '.')}@shop.test>`,
    );
    expect(header(mail, 'x-touchline-idempotency-key')).toBe(message.idempotency_key);
    expect(message.provider_id).toBe(mail.messageId);
    expect(message.delivery_attempts).toBe(1);
    expect(message.content.rendered).toMatchObject({ subject: 'Ada, your cart is waiting' });
  });

  it('sends nothing twice: the same job again, and a retry after a crash between send and mark', async () => {
    const message = (await messageOf('ada@example.com'))!;
    const before = smtp.received.length;
    // The same job once more, through graphile-worker (its key was released when it completed).
    await sql`select graphile_worker.add_job('message_deliver', json_build_object('workspaceId', ${t.workspaceId}::uuid, 'messageId', ${message.id}::uuid), job_key => ${`deliver:${message.id}`})`.execute(
      t.database.db,
    );
    await until('the job to run', async () => {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from graphile_worker._private_jobs where key = ${`deliver:${message.id}`}`.execute(
        t.database.db,
      );
      return rows[0]?.n === 0 ? true : undefined;
    });
    expect(await deliverMessage(t.database.db, delivery, t.workspaceId, message.id)).toEqual({
      outcome: 'skipped',
      status: 'sent',
    });

    // A crash after the SMTP server took the message and before it was marked sent leaves it
    // claimed; the retry must not send it again, and says what happened.
    await sql`update messages set status = 'sending' where id = ${message.id}`.execute(t.database.db);
    expect(await deliverMessage(t.database.db, delivery, t.workspaceId, message.id)).toEqual({
      outcome: 'interrupted',
    });
    const after = (await messageOf('ada@example.com'))!;
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/interrupted .* not sent again \(at most once\)/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.length).toBe(before);
  });

  it('gives a 4xx refusal back to the queue to retry, and fails a 5xx refusal for good', async () => {
    await identify('busy', 'busy@example.com', 'Bea');
    await identify('nobody', 'nobody@example.com', 'Ned');
    await cartUpdated('busy');
    await cartUpdated('nobody');
    const busy = await until('the busy message retried', async () => {
      const row = await messageOf('busy@example.com');
      return row?.status === 'queued' && row.delivery_attempts >= 1 ? row : undefined;
    });
    expect(busy.error).toMatch(/^attempt 1: SMTP: .*mailbox busy/);
    // graphile-worker keeps the job to retry with backoff, and records why.
    const job = await until('the job to record its failure', async () => {
      const { rows } = await sql<{ attempts: number; last_error: string | null }>`
        select attempts, last_error from graphile_worker._private_jobs where key = ${`deliver:${busy.id}`}`.execute(
        t.database.db,
      );
      return rows[0]?.last_error ? rows[0] : undefined;
    });
    expect(job.attempts).toBe(1);
    expect(job.last_error).toMatch(/mailbox busy/);

    const nobody = await until('the refused message failed', async () => {
      const row = await messageOf('nobody@example.com');
      return row?.status === 'failed' ? row : undefined;
    });
    expect(nobody.error).toMatch(/SMTP: .*no such user/);
    expect(smtp.received.some((m) => JSON.stringify(m.to).includes('nobody@'))).toBe(false);
    // Three messages of one template version so far: MJML ran once.
    expect(delivery.templates.compilations).toBe(1);
  });

  it('refuses to save a template whose MJML or Liquid is broken, naming the field and line', async () => {
    const unknownTag = await t.app.inject({
      method: 'POST',
      url: '/api/templates',
      headers: adminHeaders,
      payload: {
        ...abandonedCart,
        mjml: unknownTagMjml,
      },
    });
    expect(unknownTag.statusCode).toBe(422);
    expect(unknownTag.json().message).toBe('body.mjml: line 3: <mj-colum> is not a known tag');
    expect(unknownTag.json().issues).toEqual([
      { path: 'body.mjml', message: 'line 3: <mj-colum> is not a known tag', line: 3 },
    ]);

    const badLiquid = await t.app.inject({
      method: 'POST',
      url: '/api/templates',
      headers: adminHeaders,
      payload: { ...abandonedCart, subject: 'Hi {{ profile.first_name | shout }}' },
    });
    expect(badLiquid.statusCode).toBe(422);
    expect(badLiquid.json().message).toBe('body.subject: line 1: undefined filter: shout');

    const sms = await t.app.inject({
      method: 'POST',
      url: '/api/templates',
      headers: adminHeaders,
      payload: {
        name: 'SMS',
        channel: 'sms',
        text: 'Hi\n{% if profile.first_name %}{{ profile.first_name }}',
      },
    });
    expect(sms.statusCode).toBe(422);
    expect(sms.json().message).toMatch(/^body\.text: line 2: tag \{% if profile\.first_name %\} not closed/);
  });
});
