import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors.js';
import { createLiquidEngines } from '../liquid.js';
import { compileEmailTemplate } from './compile.js';
import { renderEmail } from './render.js';

const engines = createLiquidEngines();

const links = {
  openPixelUrl: 'https://t.test/o/abc',
  clickUrl: (href: string) => `https://t.test/c?to=${encodeURIComponent(href)}`,
  unsubscribeUrl: 'https://t.test/u/abc',
};

const cartTemplate = {
  subject: '{{ profile.first_name }}, you left {{ event.properties.items | size }} items behind',
  preheader: 'Still thinking, {{ profile.first_name }}?',
  mjml: `<mjml>
  <mj-body>
    <mj-section><mj-column><mj-text>Hi {{ profile.first_name }}</mj-text></mj-column></mj-section>
    {% for item in event.properties.items %}
    <mj-section>
      <mj-column>
        <mj-image src="{{ item.image_url }}" href="{{ item.url }}" />
        <mj-text>{{ item.name }} — {{ item.price }}</mj-text>
      </mj-column>
    </mj-section>
    {% endfor %}
    <mj-section><mj-column>
      <mj-button href="https://shop.test/cart?u={{ profile.user_id }}&amp;s=email">Back to your cart</mj-button>
      <mj-text><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`,
};

const context = {
  profile: { user_id: 'u1', first_name: 'Ada', email: 'ada@example.com' },
  event: {
    event: 'cart_updated',
    properties: {
      items: [
        {
          name: 'Red shoes',
          price: 59,
          url: 'https://shop.test/p/red',
          image_url: 'https://img.test/red.png',
        },
        {
          name: 'Blue hat',
          price: 19,
          url: 'https://shop.test/p/blue',
          image_url: 'https://img.test/blue.png',
        },
      ],
    },
  },
  journey: { name: 'Abandoned cart' },
  products: [],
};

describe('renderEmail', () => {
  it('renders one section per cart item from a Liquid loop wrapping mj-section, MJML compiled once', async () => {
    const compiled = await compileEmailTemplate(cartTemplate, engines);
    const email = renderEmail(compiled, context, links, engines);
    expect(email.subject).toBe('Ada, you left 2 items behind');
    expect(email.preheader).toBe('Still thinking, Ada?');
    expect(email.html).toContain('Hi Ada');
    expect(email.html).toContain('Red shoes — 59');
    expect(email.html).toContain('Blue hat — 19');
    expect(email.html.match(/<img[^>]*src="https:\/\/img\.test\/[a-z]+\.png"/g)).toHaveLength(2);
    // MJML's own markup for a section, once per item plus the two static sections.
    expect(email.html.match(/max-width:600px;"/g)?.length).toBe(4);
    expect(email.text).toContain('Red shoes — 59');
    expect(email.text).toContain('Blue hat — 19');
    expect(email.text).not.toContain('{{');
    expect(email.text).not.toContain('Still thinking');
  });

  it('tracks links through clickUrl, keeps the unsubscribe link direct and appends the open pixel', async () => {
    const compiled = await compileEmailTemplate(cartTemplate, engines);
    const { html } = renderEmail(compiled, context, links, engines);
    expect(html).toContain(
      `href="https://t.test/c?to=${encodeURIComponent('https://shop.test/cart?u=u1&s=email')}"`,
    );
    expect(html).toContain(`href="https://t.test/c?to=${encodeURIComponent('https://shop.test/p/red')}"`);
    expect(html).toContain('href="https://t.test/u/abc"');
    expect(html).toMatch(/<img src="https:\/\/t\.test\/o\/abc" width="1" height="1"[^>]*\/><\/body>/);
  });

  it('keeps Liquid working around columns, inside attributes and across lines', async () => {
    const compiled = await compileEmailTemplate(
      {
        subject: 'x',
        mjml: `<mjml><mj-body><mj-section>
          {% if profile.vip %}<mj-column><mj-text>VIP only</mj-text></mj-column>{% endif %}
          <mj-column><mj-button href="https://shop.test/{% if profile.vip
            %}vip{% else %}all{% endif %}">Shop</mj-button></mj-column>
        </mj-section></mj-body></mjml>`,
      },
      engines,
    );
    const vip = renderEmail(compiled, { ...context, profile: { vip: true } }, links, engines);
    const other = renderEmail(compiled, { ...context, profile: { vip: false } }, links, engines);
    expect(vip.html).toContain('VIP only');
    expect(vip.html).toContain(encodeURIComponent('https://shop.test/vip'));
    expect(other.html).not.toContain('VIP only');
    expect(other.html).toContain(encodeURIComponent('https://shop.test/all'));
  });

  it('escapes what profiles hold in HTML and prints it as is in the text part', async () => {
    const compiled = await compileEmailTemplate(
      {
        subject: 'Hi {{ profile.first_name }}',
        mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ profile.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>',
      },
      engines,
    );
    const email = renderEmail(compiled, { ...context, profile: { first_name: '<b>Bo</b>' } }, links, engines);
    expect(email.html).toContain('Hi &lt;b&gt;Bo&lt;/b&gt;');
    expect(email.text).toBe('Hi <b>Bo</b>');
    expect(email.subject).toBe('Hi <b>Bo</b>');
  });

  it('uses the template’s own text part when it has one, and keeps line breaks out of the subject', async () => {
    const compiled = await compileEmailTemplate(
      {
        ...cartTemplate,
        subject: 'Hi\n{{ profile.first_name }}',
        text: 'Hello {{ profile.first_name }}, {{ unsubscribe_url }}',
      },
      engines,
    );
    const email = renderEmail(compiled, context, links, engines);
    expect(email.text).toBe('Hello Ada, https://t.test/u/abc');
    expect(email.subject).toBe('Hi Ada');
  });

  it('reads own properties only: no prototype access from a template', async () => {
    const compiled = await compileEmailTemplate(
      {
        subject:
          '[{{ profile.constructor.name }}][{{ profile.__proto__ }}][{{ profile.first_name.constructor }}][{{ profile.toString }}]',
        mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{{ profile.constructor.constructor }}x</mj-text></mj-column></mj-section></mj-body></mjml>',
      },
      engines,
    );
    const email = renderEmail(compiled, context, links, engines);
    expect(email.subject).toBe('[][][][]');
    expect(email.text).toBe('x');
  });

  it('stops a loop past the memory bound with a typed template error', async () => {
    const compiled = await compileEmailTemplate(
      {
        subject: 'x',
        mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>{% for i in (1..100000000) %}{{ i }}{% endfor %}</mj-text></mj-column></mj-section></mj-body></mjml>',
      },
      engines,
    );
    const error = (() => {
      try {
        renderEmail(compiled, context, links, engines);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'template_limit', field: 'mjml' });
  });

  it('stops a render past its time bound with a typed template error', async () => {
    const slow = createLiquidEngines({ parseLimit: 100_000, memoryLimit: 1e12, renderLimit: 20 });
    const compiled = await compileEmailTemplate(
      {
        subject:
          '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}',
        mjml: '<mjml><mj-body></mj-body></mjml>',
      },
      slow,
    );
    expect(() => renderEmail(compiled, context, links, slow)).toThrow(
      expect.objectContaining({ name: 'TemplateError', code: 'template_limit', field: 'subject' }),
    );
  });

  it('refuses a template larger than the parse bound', async () => {
    const small = createLiquidEngines({ parseLimit: 1000, memoryLimit: 1e6, renderLimit: 100 });
    await expect(
      compileEmailTemplate(
        { ...cartTemplate, mjml: `<mjml><mj-body>${'x'.repeat(2000)}</mj-body></mjml>` },
        small,
      ),
    ).rejects.toMatchObject({
      name: 'TemplateError',
      field: 'mjml',
    });
  });
});
