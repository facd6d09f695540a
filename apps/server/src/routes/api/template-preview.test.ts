import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp, writeKeyHeaders } from '../../../test/test-app.js';

let t: TestApp;

const preview = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/templates/preview', headers: adminHeaders, payload });

const cartEmail = {
  channel: 'email',
  subject: '{{ profile.first_name | default: "Hello" }}, your cart is waiting',
  preheader: '{{ event.properties.items | size }} items saved',
  mjml: `<mjml>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Hi {{ profile.first_name }} from {{ profile.city }}</mj-text>
      {% for item in event.properties.items %}<mj-text>{{ item.name }}: {{ item.price }} EUR</mj-text>{% endfor %}
      <mj-button href="https://shop.test/cart">Back to your cart</mj-button>
    </mj-column></mj-section>
  </mj-body>
</mjml>`,
};

beforeAll(async () => {
  t = await createTestApp();
  const identified = await t.app.inject({
    method: 'POST',
    url: '/v1/identify',
    headers: writeKeyHeaders,
    payload: { userId: 'ada', traits: { email: 'ada@example.com', first_name: 'Ada', city: 'London <W1>' } },
  });
  expect(identified.statusCode).toBe(200);
});
afterAll(async () => t?.close());

describe('template preview', () => {
  it("renders unsaved MJML with a chosen profile's traits and a sample event, as delivery would", async () => {
    const response = await preview({
      template: cartEmail,
      userId: 'ada',
      event: { event: 'cart_updated', properties: { items: [{ name: 'Red shoes', price: 89 }] } },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.subject).toBe('Ada, your cart is waiting');
    expect(body.preheader).toBe('1 items saved');
    expect(body.html).toContain('<!doctype html>');
    expect(body.html).toContain('Hi Ada from London &lt;W1&gt;');
    expect(body.html).toContain('Red shoes: 89 EUR');
    // Untracked: the link goes straight to its target.
    expect(body.html).toContain('href="https://shop.test/cart"');
    expect(body.text).toContain('Hi Ada from London <W1>');
    expect(body.warnings).toEqual([]);
  });

  it('renders for nobody in particular when no profile is chosen: traits are empty', async () => {
    const response = await preview({ template: cartEmail });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().subject).toBe('Hello, your cart is waiting');
    expect(response.json().html).toContain('Hi  from ');
  });

  it('answers MJML with an unknown tag with 422 naming the field, the line and the tag', async () => {
    const response = await preview({
      template: {
        ...cartEmail,
        mjml: '<mjml>\n  <mj-body>\n    <mj-section><mj-colum><mj-text>Hi</mj-text></mj-colum></mj-section>\n  </mj-body>\n</mjml>',
      },
      userId: 'ada',
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.message).toContain('body.template.mjml: line 3: <mj-colum> is not a known tag');
    expect(body.issues).toContainEqual({
      path: 'body.template.mjml',
      message: 'line 3: <mj-colum> is not a known tag',
      line: 3,
    });
  });

  it('answers Liquid that does not parse with 422 naming the field and line', async () => {
    const response = await preview({
      template: {
        ...cartEmail,
        mjml: '<mjml>\n<mj-body>\n<mj-text>{% if profile.vip %}VIP</mj-text>\n</mj-body>\n</mjml>',
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().issues[0]).toMatchObject({ path: 'body.template.mjml', line: 3 });
  });

  it('renders an SMS with the profile and reports a profile nobody has as 404 naming the field', async () => {
    const sms = await preview({
      template: { channel: 'sms', text: 'Hi {{ profile.first_name }}!' },
      userId: 'ada',
    });
    expect(sms.statusCode, sms.body).toBe(200);
    expect(sms.json()).toMatchObject({ text: 'Hi Ada!', html: null, fields: { text: 'Hi Ada!' } });

    const push = await preview({
      template: { channel: 'push', title: 'For {{ profile.first_name }}', body: 'Back in stock' },
      userId: 'ada',
    });
    expect(push.json()).toMatchObject({ subject: 'For Ada', text: 'Back in stock' });

    const missing = await preview({ template: { channel: 'sms', text: 'Hi' }, userId: 'nobody-like-this' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('body.userId');

    const bad = await preview({ template: { channel: 'sms' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body.template.text');
  });
});
