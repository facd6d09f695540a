import { describe, expect, it } from 'vitest';
import { TemplateError } from './errors.js';
import { compileFastLiquid } from './fast-liquid.js';
import { createLiquidEngines } from './liquid.js';

const engines = createLiquidEngines();

const scope = {
  profile: {
    first_name: 'Ada',
    last_name: '',
    vip: true,
    orders: 3,
    tags: ['a', 'b'],
    markup: '<b>"Ada" & \'co\'</b>',
  },
  event: {
    properties: {
      items: [
        { name: 'Red shoes', price: 59.5, quantity: 1 },
        { name: 'Blue hat', price: 19, quantity: 2 },
        { name: 'Socks', price: 5, quantity: 3 },
      ],
      empty: [],
      total: 83.5,
    },
  },
  journey: { name: 'Cart' },
  products: [],
  unsubscribe_url: 'https://t.test/u?a=1&b=2',
};

const templates = [
  'Hi {{ profile.first_name }} {{ profile.missing }}!',
  '{{ profile.last_name | default: "friend" }} {{ profile.nope | default: profile.first_name | upcase }}',
  '{{ profile.markup }} {{ profile.markup | raw }} {{ profile.markup | escape }}',
  '{{ event.properties.items | size }} {{ event.properties.items.size }} {{ event.properties.items.first.name }} {{ event.properties.items.last.name }} {{ event.properties.items[1].name }}',
  '{% for item in event.properties.items %}{{ forloop.index }}/{{ forloop.length }} {{ item.name }} × {{ item.quantity }}{% if forloop.last %}.{% else %}, {% endif %}{% endfor %}',
  '{% for item in event.properties.items limit: 2 offset: 1 %}[{{ item.name }}]{% endfor %}',
  '{% for item in event.properties.empty %}x{% else %}nothing{% endfor %}',
  '{% if profile.vip and profile.orders > 2 %}vip{% elsif profile.orders == 3 %}three{% else %}no{% endif %}',
  '{% if profile.vip == false or profile.orders >= 3 and profile.first_name contains "Ad" %}yes{% endif %}',
  '{% unless profile.vip %}not vip{% else %}vip{% endunless %} {% if profile.tags contains "b" %}b{% endif %}',
  '{% assign greeting = profile.first_name | prepend: "Dear " | append: "," %}{{ greeting }} {{ journey.name | downcase }} {{ "x" | capitalize }}',
  '  {{- profile.first_name -}}  \n{%- if true -%}  T  {%- endif -%}  ',
  '<a href="{{ unsubscribe_url }}">u</a> {{ profile.first_name | url_encode }}',
  '{{ profile.constructor }}{{ profile.__proto__ }}{{ profile.first_name.constructor }}{{ profile.toString }}{{ event.properties.items.constructor }}',
  '{{ event.properties.total }} {{ 3 }} {{ "lit" }} {{ nil }} {{ true }} {{ profile.tags }}',
];

describe('compileFastLiquid', () => {
  it.each(templates)('renders %j exactly as liquidjs does, escaped and not', (source) => {
    for (const [engine, escapeOutput] of [
      [engines.html, true],
      [engines.text, false],
    ] as const) {
      const fast = compileFastLiquid(source, { escapeOutput });
      expect(fast, 'in the fast subset').not.toBeNull();
      expect(fast?.(scope)).toBe(engine.parseAndRenderSync(source, scope));
    }
  });

  it('leaves what it does not know to liquidjs', () => {
    for (const source of [
      '{% for i in (1..5) %}{{ i }}{% endfor %}',
      '{% case profile.first_name %}{% when "Ada" %}A{% endcase %}',
      '{{ profile.first_name | truncate: 3 }}',
      '{% capture x %}y{% endcapture %}',
      '{% if profile.tags == empty %}e{% endif %}',
      '{% for item in event.properties.items reversed %}{{ item.name }}{% endfor %}',
      '{% raw %}{{ x }}{% endraw %}',
    ]) {
      expect(compileFastLiquid(source, { escapeOutput: true }), source).toBeNull();
    }
  });

  it('bounds loop iterations per render', () => {
    const big = { rows: Array.from({ length: 1000 }, (_, i) => i) };
    const fast = compileFastLiquid('{% for a in rows %}{% for b in rows %}.{% endfor %}{% endfor %}', {
      escapeOutput: false,
    });
    expect(() => fast?.(big)).toThrow(TemplateError);
  });
});
