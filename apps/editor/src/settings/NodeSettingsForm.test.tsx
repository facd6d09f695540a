// @vitest-environment jsdom

import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { compile, type NodeTypeDescription } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsLookups } from './data/lookups';
import { type FieldError, NodeSettingsForm } from './NodeSettingsForm';

const registry = createBuiltinRegistry();
const describeType = (type: string): NodeTypeDescription => {
  const description = registry.describe().find((entry) => entry.type === type);
  if (!description) throw new Error(`no node type ${type}`);
  return description;
};

const lookups: SettingsLookups = {
  eventNames: async () => [
    {
      name: 'order_completed',
      count: 12,
      lastSeenAt: '2026-11-30T10:00:00.000Z',
      properties: ['cart_id', 'total'],
    },
    {
      name: 'cart_updated',
      count: 40,
      lastSeenAt: '2026-11-30T11:00:00.000Z',
      properties: ['cart_id', 'items'],
    },
  ],
  traitKeys: async () => ({ sampled: 0, complete: true, traits: [] }),
  templates: async (channel) =>
    [
      { id: 'tpl-email', name: 'Cart reminder', channel: 'email' },
      { id: 'tpl-sms', name: 'Discount code', channel: 'sms' },
    ].filter((template) => channel === null || template.channel === channel),
  segments: async () => [{ id: 'seg-vip', name: 'VIP customers' }],
};

/** The form as the canvas holds it: the config in state, every change kept. */
function Harness({ type, initial, errors }: { type: string; initial?: unknown; errors?: FieldError[] }) {
  const nodeType = describeType(type);
  const [config, setConfig] = useState<unknown>(initial ?? nodeType.defaults);
  return (
    <>
      <NodeSettingsForm
        nodeType={nodeType}
        value={config}
        onChange={setConfig}
        lookups={lookups}
        {...(errors ? { errors } : {})}
      />
      <output data-testid="config">{JSON.stringify(config)}</output>
    </>
  );
}

const currentConfig = () =>
  JSON.parse(screen.getByTestId('config').textContent ?? 'null') as Record<string, unknown>;

/** Compiles a journey with `node` between an event trigger and an exit, as the server would. */
function compileWith(type: string, config: unknown, ports: string[]) {
  const graph = {
    schemaVersion: 1,
    nodes: [
      {
        id: 'start',
        type: 'trigger.event',
        version: 1,
        config: { event: 'cart_updated' },
        position: { x: 0, y: 0 },
      },
      { id: 'node', type, version: 1, config, position: { x: 0, y: 100 } },
      { id: 'end', type: 'exit', version: 1, config: {}, position: { x: 0, y: 200 } },
    ],
    edges: [
      { id: 'e0', source: 'start', sourcePort: 'out', target: 'node' },
      ...ports.map((port) => ({ id: `e-${port}`, source: 'node', sourcePort: port, target: 'end' })),
    ],
    settings: { reentry: 'always' },
  };
  return compile(graph, registry);
}

afterEach(cleanup);

describe('NodeSettingsForm', () => {
  it('lets a marketer fill a wait-for-event step: event and timeout, and the config compiles', async () => {
    const user = userEvent.setup();
    render(<Harness type="wait.event" />);
    await user.type(screen.getByLabelText('Event'), 'order_completed');
    const timeout = screen.getByLabelText('Timeout');
    await user.clear(timeout);
    await user.type(timeout, '2');
    await user.selectOptions(screen.getByLabelText('Unit'), 'days');
    const config = currentConfig();
    expect(config).toEqual({ event: 'order_completed', timeout: 'P2D' });
    const result = compileWith('wait.event', config, ['received', 'timeout']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('shows an error beside the field it names, and describes the input with it', () => {
    render(
      <Harness
        type="wait.event"
        errors={[{ path: 'config.event', message: 'event: name the event to wait for' }]}
      />,
    );
    const input = screen.getByLabelText('Event');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = input.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('name the event to wait for');
  });

  it('offers the templates of the node channel only, with a link to edit the chosen one', async () => {
    const user = userEvent.setup();
    render(<Harness type="send.sms" />);
    const picker = await screen.findByLabelText('Template');
    await screen.findByRole('option', { name: 'Discount code' });
    expect(screen.queryByRole('option', { name: 'Cart reminder' })).toBeNull();
    await user.selectOptions(picker, 'Discount code');
    expect(currentConfig()).toEqual({ templateId: 'tpl-sms' });
    expect(screen.getByRole('link', { name: 'Edit template' }).getAttribute('href')).toBe(
      '/templates/tpl-sms',
    );
  });

  it('adds, reorders and removes list items (random split branches)', async () => {
    const user = userEvent.setup();
    render(<Harness type="split.random" />);
    await user.click(screen.getByRole('button', { name: 'Add branch' }));
    expect((currentConfig().branches as unknown[]).length).toBe(3);
    const port = screen.getAllByLabelText('Port')[2]!;
    await user.type(port, 'holdout');
    const weight = screen.getAllByLabelText('Weight')[2]!;
    await user.clear(weight);
    await user.type(weight, '10');
    await user.click(screen.getAllByRole('button', { name: 'Move up' })[2]!);
    expect((currentConfig().branches as { port: string }[]).map((branch) => branch.port)).toEqual([
      'a',
      'holdout',
      'b',
    ]);
    await user.click(screen.getAllByRole('button', { name: 'Remove' })[0]!);
    expect(currentConfig().branches).toEqual([
      { port: 'holdout', weight: 10 },
      { port: 'b', weight: 50 },
    ]);
  });

  it("draws a custom node type's form from its schema alone (an engineer's plugin)", async () => {
    // As GET /api/node-types sends a custom type: the editor only ever sees this data.
    const description: NodeTypeDescription = {
      type: 'loyalty.add_points',
      version: 1,
      category: 'action',
      label: 'Add loyalty points',
      description: null,
      ports: { kind: 'static', names: ['out'] },
      configSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          points: { type: 'integer', minimum: 1 },
          reason: { default: 'purchase', type: 'string', enum: ['purchase', 'birthday', 'referral'] },
          expiresAfter: { type: 'string', format: 'duration' },
          notify: { default: true, type: 'boolean' },
        },
        required: ['points'],
        additionalProperties: false,
      },
      defaults: { points: 10 },
    };
    const changes: unknown[] = [];
    const user = userEvent.setup();
    render(
      <NodeSettingsForm
        nodeType={description}
        value={{ points: 10 }}
        onChange={(next) => changes.push(next)}
        lookups={lookups}
      />,
    );
    expect((screen.getByLabelText('Reason') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe(
      'purchase',
    );
    expect((screen.getByLabelText('Notify') as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('Expires after'), '7');
    expect(changes.at(-1)).toEqual({ points: 10, reason: 'purchase', notify: true, expiresAfter: 'PT7H' });
    await user.selectOptions(screen.getByLabelText('Reason'), 'birthday');
    expect(changes.at(-1)).toMatchObject({ reason: 'birthday' });
  });

  it('switches a union field between its variants and edits JSON, keeping the last valid value while typing', async () => {
    const user = userEvent.setup();
    render(<Harness type="send.webhook" initial={{ url: 'https://example.com/hook' }} />);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Text');
    await user.type(screen.getByLabelText('Body'), 'Hi {{{{ profile.traits.first_name }}');
    expect(currentConfig()).toEqual({
      url: 'https://example.com/hook',
      method: 'POST',
      body: 'Hi {{ profile.traits.first_name }}',
    });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'JSON');
    const json = screen.getByLabelText('Body');
    await user.clear(json);
    await user.click(json);
    await user.paste('{"cart": "{{ event.properties.cart_id }}"}');
    expect(currentConfig().body).toEqual({ cart: '{{ event.properties.cart_id }}' });
    await user.type(json, ' oops');
    expect(screen.getByText('Not valid JSON yet; the last valid value is kept.')).toBeTruthy();
    expect(currentConfig().body).toEqual({ cart: '{{ event.properties.cart_id }}' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'Not set');
    expect(currentConfig()).toEqual({ url: 'https://example.com/hook', method: 'POST' });
  });
});
