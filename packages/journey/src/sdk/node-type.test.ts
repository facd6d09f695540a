import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { migrateNodeConfig } from '../migrations/node-config.js';
import { defineNodeType } from './node-type.js';
import { createRegistry } from './registry.js';

// A custom type at version 2: v1 stored `hours` as a number, v2 an ISO duration.
const reminder = defineNodeType({
  type: 'acme.reminder',
  version: 2,
  category: 'action',
  label: 'Reminder',
  configSchema: z.strictObject({ after: z.string(), channels: z.array(z.string()).min(1) }),
  ports: (config) => config.channels,
  portsNote: 'one port per channel',
  migrations: [
    {
      toVersion: 2,
      description: 'hours (number) became after (ISO-8601 duration)',
      up: (config) => {
        const hours = z.object({ hours: z.number() }).passthrough().parse(config);
        const { hours: count, ...rest } = hours;
        return { ...rest, after: `PT${count}H` };
      },
    },
  ],
  summary: (config) => `Remind after ${config.after}`,
  compile: () => ({ defaultPort: null }),
});

describe('defineNodeType', () => {
  it('binds a parsed config: ports from config, summary', () => {
    const result = reminder.instantiate({ after: 'PT2H', channels: ['email', 'sms'] });
    expect(result.ok && result.instance.ports).toEqual(['email', 'sms']);
    expect(result.ok && result.instance.summary()).toBe('Remind after PT2H');
  });

  it('returns field issues for an invalid config', () => {
    expect(reminder.instantiate({ after: 'PT2H', channels: [] })).toEqual({
      ok: false,
      issues: [{ path: 'channels', message: 'Too small: expected array to have >=1 items' }],
    });
  });

  it('refuses a version without its chain of migrations', () => {
    expect(() =>
      defineNodeType({
        type: 'acme.broken',
        version: 3,
        category: 'flow',
        label: 'Broken',
        configSchema: z.object({}),
        ports: [],
        compile: () => ({}),
      }),
    ).toThrow('needs migrations to versions [2, 3] in order, got []');
  });

  it('refuses ids that are not dotted lower-case words', () => {
    expect(() => defineNodeType({ ...baseSpec, type: 'Send Email' })).toThrow(/lower-case dotted/);
  });
});

const baseSpec = {
  type: 'acme.ok',
  version: 1,
  category: 'flow' as const,
  label: 'Ok',
  configSchema: z.object({}),
  ports: [],
  compile: () => ({}),
};

describe('node config migrations', () => {
  it('upgrades a v1 config to the current version (fixture)', () => {
    expect(migrateNodeConfig(reminder, 1, { hours: 3, channels: ['email'] })).toEqual({
      ok: true,
      config: { channels: ['email'], after: 'PT3H' },
      applied: [2],
    });
  });

  it('treats a missing typeVersion as current and refuses a newer one', () => {
    expect(migrateNodeConfig(reminder, undefined, { after: 'PT1H' })).toMatchObject({
      ok: true,
      applied: [],
    });
    expect(migrateNodeConfig(reminder, 3, {})).toMatchObject({ ok: false });
  });
});

describe('createRegistry', () => {
  it('describes types as serialisable data with JSON Schema', () => {
    const [description] = createRegistry([reminder]).describe();
    expect(description).toMatchObject({
      type: 'acme.reminder',
      version: 2,
      ports: { kind: 'config', note: 'one port per channel' },
      configSchema: { type: 'object', required: ['after', 'channels'] },
    });
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
  });

  it('rejects duplicate type ids', () => {
    expect(() => createRegistry([reminder, reminder])).toThrow('registered twice');
  });
});
