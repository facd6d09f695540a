// @vitest-environment jsdom

import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createBuiltinRegistry } from '@touchline/nodes';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsLookups } from './data/lookups';
import { NodeSettingsForm } from './NodeSettingsForm';
import { exclusiveGroups, fieldModel, type Schema } from './schema/json-schema';

const lookups: SettingsLookups = {
  eventNames: async () => [],
  traitKeys: async () => ({ sampled: 0, complete: true, traits: [] }),
  templates: async () => [],
  segments: async () => [],
};

afterEach(cleanup);

describe('every built-in node type', () => {
  const descriptions = createBuiltinRegistry().describe();

  it.each(descriptions.map((description) => [description.type, description] as const))(
    '%s: draws its defaults with every input named by a label',
    (_type, description) => {
      const { container } = render(
        <NodeSettingsForm
          nodeType={description}
          value={description.defaults}
          onChange={() => {}}
          lookups={lookups}
        />,
      );
      const controls = [...container.querySelectorAll<HTMLInputElement>('input, select, textarea')];
      const unnamed = controls.filter(
        (control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label'),
      );
      expect(unnamed.map((control) => control.outerHTML)).toEqual([]);
      // Fields of the config's own schema carry a visible <label>, not only an aria-label.
      const root = description.configSchema as Schema;
      const properties = Object.entries((root.properties ?? {}) as Record<string, Schema>);
      const labelled = [...container.querySelectorAll('label, legend, .tl-field__label')].map(
        (label) => label.textContent ?? '',
      );
      const groups = exclusiveGroups(root);
      const defaults = (description.defaults ?? {}) as Record<string, unknown>;
      for (const group of groups) expect(labelled, group.label).toContain(group.label);
      for (const [name, schema] of properties) {
        // Of "one of these" properties only the chosen one is drawn.
        if (groups.some((group) => group.fields.includes(name)) && defaults[name] === undefined) continue;
        const { label } = fieldModel(schema, root, name);
        expect(
          labelled.some((text) => text.startsWith(label)),
          `${name} labelled "${label}"`,
        ).toBe(true);
      }
    },
  );

  it('shows schema defaults as chosen (a webhook posts unless told otherwise)', () => {
    const webhook = descriptions.find((description) => description.type === 'send.webhook')!;
    const { getByLabelText } = render(
      <NodeSettingsForm
        nodeType={webhook}
        value={{ url: 'https://example.com/hook' }}
        onChange={() => {}}
        lookups={lookups}
      />,
    );
    expect((getByLabelText('Method') as HTMLSelectElement).value).toBe('"POST"');
    expect((getByLabelText('URL') as HTMLInputElement).value).toBe('https://example.com/hook');
  });

  it('draws "exactly one of" properties as one choice (a schedule runs on a cron, once, or every so often)', async () => {
    const schedule = descriptions.find((description) => description.type === 'trigger.schedule')!;
    const changes: unknown[] = [];
    const user = userEvent.setup();
    render(
      <NodeSettingsForm
        nodeType={schedule}
        value={{ segmentId: 'all', cron: '0 9 * * *', timezone: 'profile' }}
        onChange={(next) => changes.push(next)}
        lookups={lookups}
      />,
    );
    expect(screen.getByLabelText('Cron schedule')).toBeTruthy();
    expect(screen.queryByLabelText('Every')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Runs'), 'Every');
    expect(changes.at(-1)).toEqual({ segmentId: 'all', every: '', timezone: 'profile' });
  });
});
