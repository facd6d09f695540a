// @vitest-environment jsdom

import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { compile, type NodeTypeDescription } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsLookups } from '../data/lookups';
import { NodeSettingsForm } from '../NodeSettingsForm';

const registry = createBuiltinRegistry();
const describeType = (type: string): NodeTypeDescription =>
  registry.describe().find((entry) => entry.type === type) as NodeTypeDescription;

const lookups: SettingsLookups = {
  eventNames: async () => [
    {
      name: 'cart_updated',
      count: 40,
      lastSeenAt: '2026-11-30T11:00:00.000Z',
      properties: ['cart_id', 'total'],
    },
    {
      name: 'order_completed',
      count: 12,
      lastSeenAt: '2026-11-30T10:00:00.000Z',
      properties: ['cart_id', 'total'],
    },
  ],
  traitKeys: async () => ({
    sampled: 1000,
    complete: false,
    traits: [
      { key: 'plan', type: 'string', count: 980 },
      { key: 'seats', type: 'number', count: 412 },
      { key: 'beta_tester', type: 'boolean', count: 35 },
      { key: 'interests', type: 'array', count: 20 },
    ],
  }),
  templates: async () => [],
  segments: async () => [{ id: 'seg-vip', name: 'VIP customers' }],
};

function Harness({ type, initial, triggerEvent }: { type: string; initial: unknown; triggerEvent?: string }) {
  const [config, setConfig] = useState<unknown>(initial);
  return (
    <>
      <NodeSettingsForm
        nodeType={describeType(type)}
        value={config}
        onChange={setConfig}
        lookups={lookups}
        {...(triggerEvent ? { triggerEvent } : {})}
      />
      <output data-testid="config">{JSON.stringify(config)}</output>
    </>
  );
}

const currentConfig = () => JSON.parse(screen.getByTestId('config').textContent ?? 'null');

/** The node between an event trigger and an exit, compiled as the server compiles a draft. */
function compileWith(type: string, config: unknown, ports: string[]) {
  const trigger = type === 'trigger.event';
  return compile(
    {
      schemaVersion: 1,
      nodes: [
        ...(trigger
          ? []
          : [
              {
                id: 'start',
                type: 'trigger.event',
                version: 1,
                config: { event: 'cart_updated' },
                position: { x: 0, y: 0 },
              },
            ]),
        { id: 'node', type, version: 1, config, position: { x: 0, y: 100 } },
        { id: 'end', type: 'exit', version: 1, config: {}, position: { x: 0, y: 200 } },
      ],
      edges: [
        ...(trigger ? [] : [{ id: 'in', source: 'start', sourcePort: 'out', target: 'node' }]),
        ...ports.map((port) => ({ id: port, source: 'node', sourcePort: port, target: 'end' })),
      ],
      settings: { reentry: 'always' },
    },
    registry,
  );
}

afterEach(cleanup);

describe('condition builder', () => {
  it('builds attribute conditions with a nested any-group, and the result compiles', async () => {
    const user = userEvent.setup();
    render(<Harness type="wait.event" initial={{ event: 'order_completed', timeout: 'PT1H' }} />);
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    const times = attributes.getByRole('spinbutton', { name: 'Value' });
    await user.clear(times);
    await user.type(times, '2');

    await user.click(attributes.getByRole('button', { name: 'Add group' }));
    const group = within(attributes.getByRole('group', { name: 'Group' }));
    await user.click(group.getByRole('button', { name: 'Add attribute condition' }));
    await user.click(group.getByRole('button', { name: 'Add attribute condition' }));
    const [first, second] = group.getAllByLabelText('Attribute');
    await user.selectOptions(first!, 'Custom trait…');
    await user.type(group.getByLabelText('Trait'), 'vip');
    await user.selectOptions(group.getByRole('combobox', { name: 'Type' }), 'yes / no');
    await user.selectOptions(second!, 'Lifetime value');
    await user.selectOptions(group.getAllByRole('combobox', { name: 'Operator' })[1]!, 'greater than');
    const value = group.getAllByRole('spinbutton', { name: 'Value' })[0]!;
    await user.clear(value);
    await user.type(value, '500');

    const config = currentConfig();
    expect(config.conditions).toEqual({
      all: [
        { fact: 'profile', path: 'computed.orders_count', operator: 'greaterThanInclusive', value: 2 },
        {
          any: [
            { fact: 'profile', path: 'traits.vip', operator: 'equal', value: true },
            { fact: 'profile', path: 'computed.lifetime_value', operator: 'greaterThan', value: 500 },
          ],
        },
      ],
    });
    const result = compileWith('wait.event', config, ['received', 'timeout']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("filters the trigger's own event by its properties, and excludes people who ordered recently", async () => {
    const user = userEvent.setup();
    render(<Harness type="trigger.event" initial={{ event: 'cart_updated' }} />);
    const properties = within(screen.getByRole('group', { name: 'cart_updated properties' }));
    await user.click(properties.getByRole('button', { name: 'Add property condition' }));
    await user.type(properties.getByLabelText('Property of cart_updated'), 'total');
    await user.selectOptions(properties.getByRole('combobox', { name: 'Type' }), 'number');
    await user.selectOptions(properties.getByRole('combobox', { name: 'Operator' }), 'greater than');
    const total = properties.getByRole('spinbutton', { name: 'Value' });
    await user.clear(total);
    await user.type(total, '50');

    const behaviour = within(screen.getByRole('group', { name: 'Behaviour' }));
    await user.click(behaviour.getByRole('button', { name: 'Add behaviour condition' }));
    await user.type(behaviour.getByLabelText('Event name'), 'order_completed');
    await user.click(behaviour.getByRole('checkbox', { name: 'not' }));

    const config = currentConfig();
    expect(config).toEqual({
      event: 'cart_updated',
      conditions: {
        all: [
          { fact: 'event', path: 'properties.total', operator: 'greaterThan', value: 50 },
          {
            not: {
              all: [
                {
                  fact: 'eventCount',
                  params: { name: 'order_completed', within: 'P30D' },
                  operator: 'greaterThanInclusive',
                  value: 1,
                },
              ],
            },
          },
        ],
      },
    });
    const result = compileWith('trigger.event', config, ['out']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('removes the conditions from an optional field when the last row goes', async () => {
    const user = userEvent.setup();
    render(<Harness type="trigger.event" initial={{ event: 'cart_updated' }} />);
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    expect(currentConfig().conditions).toBeDefined();
    await user.click(attributes.getByRole('button', { name: 'Remove condition' }));
    expect(currentConfig()).toEqual({ event: 'cart_updated' });
  });

  it('shows a row error beside the row the compiler named', () => {
    const nodeType = describeType('condition');
    render(
      <NodeSettingsForm
        nodeType={nodeType}
        lookups={lookups}
        value={{
          conditions: { all: [{ fact: 'profile', path: 'computed.orders_count', operator: 'in', value: 3 }] },
        }}
        onChange={() => {}}
        errors={[
          {
            path: 'config.conditions.all.0.value',
            message: 'conditions.all.0.value: operator in needs a list of values',
          },
        ]}
      />,
    );
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    expect(attributes.getByRole('alert').textContent).toBe('operator in needs a list of values');
  });

  it('asks when they last did something, whether they are in a segment, and whether a value is one of a list', async () => {
    const user = userEvent.setup();
    render(
      <Harness
        type="condition"
        initial={{
          conditions: { all: [{ fact: 'profile', path: 'email', operator: 'exists', value: true }] },
        }}
      />,
    );
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.selectOptions(attributes.getByLabelText('Attribute'), 'Locale');
    await user.selectOptions(attributes.getByRole('combobox', { name: 'Operator' }), 'is one of');
    await user.type(attributes.getByRole('textbox', { name: 'Values' }), 'fr, de');
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    await user.selectOptions(attributes.getAllByLabelText('Attribute')[1]!, 'In segment…');
    await user.selectOptions(attributes.getByLabelText('Segment'), 'VIP customers');
    await user.selectOptions(attributes.getAllByRole('combobox', { name: 'Operator' })[1]!, 'is not in');

    const behaviour = within(screen.getByRole('group', { name: 'Behaviour' }));
    await user.click(behaviour.getByRole('button', { name: 'Add behaviour condition' }));
    await user.selectOptions(behaviour.getByLabelText('Behaviour'), 'Last time of event');
    await user.type(behaviour.getByLabelText('Event name'), 'order_completed');
    await user.selectOptions(behaviour.getByRole('combobox', { name: 'Operator' }), 'is not set');

    const config = currentConfig();
    expect(config.conditions).toEqual({
      all: [
        { fact: 'profile', path: 'locale', operator: 'in', value: ['fr', 'de'] },
        { fact: 'inSegment', params: { segmentId: 'seg-vip' }, operator: 'equal', value: false },
        {
          fact: 'lastEvent',
          params: { name: 'order_completed' },
          path: 'timestamp',
          operator: 'exists',
          value: false,
        },
      ],
    });
    const result = compileWith('condition', config, ['yes', 'no']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('keeps a comparison with another fact, which it cannot draw, editable as JSON', async () => {
    const reference = {
      fact: 'event',
      path: 'properties.cart_id',
      operator: 'equal',
      value: { fact: 'journey', path: 'triggerEvent.properties.cart_id' },
    };
    render(<Harness type="condition" initial={{ conditions: { all: [reference] } }} />);
    const box = screen.getByRole('textbox') as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual(reference);
    const result = compileWith('condition', currentConfig(), ['yes', 'no']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it("offers the trigger event's property keys to a condition step that checks the event", async () => {
    const user = userEvent.setup();
    render(
      <Harness type="condition" initial={describeType('condition').defaults} triggerEvent="cart_updated" />,
    );
    const event = within(screen.getByRole('group', { name: 'Event properties' }));
    await user.click(event.getByRole('button', { name: 'Add property condition' }));
    const key = event.getByLabelText('Property of cart_updated') as HTMLInputElement;
    await waitFor(() => {
      const options = [...(key.list?.options ?? [])].map((option) => option.value);
      expect(options).toEqual(['cart_id', 'total']);
    });
  });

  it("suggests the workspace's trait keys with their type and how many profiles have them", async () => {
    const user = userEvent.setup();
    render(<Harness type="trigger.event" initial={{ event: 'cart_updated' }} />);
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    await user.selectOptions(attributes.getByLabelText('Attribute'), 'Custom trait…');
    const key = attributes.getByRole('combobox', { name: 'Trait' }) as HTMLInputElement;
    await waitFor(() => {
      const options = [...(key.list?.options ?? [])].map((option) => [option.value, option.textContent]);
      expect(options).toEqual([
        ['plan', 'text · 980 of 1,000 sampled profiles'],
        ['seats', 'number · 412 of 1,000 sampled profiles'],
        ['beta_tester', 'yes / no · 35 of 1,000 sampled profiles'],
        ['interests', 'list · 20 of 1,000 sampled profiles'],
      ]);
    });
    expect(key.placeholder).toBe('e.g. plan');
    // A key no profile has is pointed out, and the note is the box's description.
    await user.type(key, 'plna');
    const note = document.getElementById(key.getAttribute('aria-describedby') ?? '');
    expect(note?.textContent).toBe('None of the 1,000 profiles sampled has this trait; check the spelling.');
  });

  it('compares a number once a numeric trait key is chosen, unless the type was chosen by hand', async () => {
    const user = userEvent.setup();
    render(<Harness type="trigger.event" initial={{ event: 'cart_updated' }} />);
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    const [first, second] = attributes.getAllByLabelText('Attribute');
    await user.selectOptions(first!, 'Custom trait…');
    await user.selectOptions(second!, 'Custom trait…');
    const [seats, beta] = attributes.getAllByRole('combobox', { name: 'Trait' }) as HTMLInputElement[];
    await waitFor(() => expect(seats!.list?.options).toHaveLength(4));

    await user.type(seats!, 'seats');
    const [seatsType, betaType] = attributes.getAllByRole('combobox', {
      name: 'Type',
    }) as HTMLSelectElement[];
    expect(seatsType!.value).toBe('number');
    await user.selectOptions(attributes.getAllByRole('combobox', { name: 'Operator' })[0]!, 'at least');
    const value = attributes.getByRole('spinbutton', { name: 'Value' });
    await user.clear(value);
    await user.type(value, '10');

    // A value typed before the key: the row is no longer the default, so it stays text.
    await user.type(attributes.getAllByRole('textbox', { name: 'Value' })[0]!, 'yes');
    await user.type(beta!, 'beta_tester');
    expect(betaType!.value).toBe('text');

    const config = currentConfig();
    expect(config).toEqual({
      event: 'cart_updated',
      conditions: {
        all: [
          { fact: 'profile', path: 'traits.seats', operator: 'greaterThanInclusive', value: 10 },
          { fact: 'profile', path: 'traits.beta_tester', operator: 'equal', value: 'yes' },
        ],
      },
    });
    const result = compileWith('trigger.event', config, ['out']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('lets the type follow the key while the row is untouched, back to text for an unknown key', async () => {
    const user = userEvent.setup();
    render(<Harness type="trigger.event" initial={{ event: 'cart_updated' }} />);
    const attributes = within(screen.getByRole('group', { name: 'Attributes' }));
    await user.click(attributes.getByRole('button', { name: 'Add attribute condition' }));
    await user.selectOptions(attributes.getByLabelText('Attribute'), 'Custom trait…');
    const key = attributes.getByRole('combobox', { name: 'Trait' }) as HTMLInputElement;
    await waitFor(() => expect(key.list?.options).toHaveLength(4));
    const type = attributes.getByRole('combobox', { name: 'Type' }) as HTMLSelectElement;

    await user.type(key, 'seats');
    expect(type.value).toBe('number');
    await user.type(key, '_max');
    expect(type.value).toBe('text');
    await user.clear(key);
    await user.type(key, 'beta_tester');
    expect(type.value).toBe('boolean');
    expect(currentConfig().conditions).toEqual({
      all: [{ fact: 'profile', path: 'traits.beta_tester', operator: 'equal', value: true }],
    });

    // Chosen by hand, the type stays whatever key follows.
    await user.selectOptions(type, 'number');
    await user.clear(key);
    await user.type(key, 'plan');
    expect(type.value).toBe('number');
  });
});
