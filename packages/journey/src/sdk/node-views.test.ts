import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from './node-type.js';
import { describeNodeViews } from './node-views.js';
import { createRegistry } from './registry.js';

const start = defineNodeType({
  type: 'test.start',
  version: 1,
  category: 'trigger',
  label: 'Start',
  configSchema: z.strictObject({}),
  ports: ['out'],
  compile: () => ({ defaultPort: 'out' }),
});

// Version 2 of a branching type: v1 stored one `channel`, v2 a list; ports come from the config.
const fanOut = defineNodeType({
  type: 'test.fan_out',
  version: 2,
  category: 'split',
  label: 'Fan out',
  configSchema: z.strictObject({ channels: z.array(z.string()).min(1) }),
  ports: (config) => [...config.channels, 'else'],
  portsNote: 'one per channel, then else',
  migrations: [
    {
      toVersion: 2,
      description: 'channel became channels',
      up: (config) => ({ channels: [z.object({ channel: z.string() }).parse(config).channel] }),
    },
  ],
  summary: (config) => `Fan out to ${config.channels.join(', ')}`,
  compile: () => ({ defaultPort: null }),
});

const registry = createRegistry([start, fanOut]);
const node = (id: string, type: string, config: unknown, extra: object = {}) => ({
  id,
  type,
  config,
  position: { x: 0, y: 0 },
  ...extra,
});

describe('describeNodeViews', () => {
  it('gives each bound node its summary and its config-derived ports', () => {
    const views = describeNodeViews(
      {
        schemaVersion: 1,
        nodes: [node('start', 'test.start', {}), node('fan', 'test.fan_out', { channels: ['email', 'sms'] })],
        edges: [],
      },
      registry,
    );
    expect(views).toEqual({
      start: { summary: 'Start', ports: ['out'] },
      fan: { summary: 'Fan out to email, sms', ports: ['email', 'sms', 'else'] },
    });
  });

  it('describes an old-version node through its config migrations', () => {
    const views = describeNodeViews(
      { nodes: [node('fan', 'test.fan_out', { channel: 'push' }, { typeVersion: 1 })], edges: [] },
      registry,
    );
    expect(views.fan).toEqual({ summary: 'Fan out to push', ports: ['push', 'else'] });
  });

  it('leaves out nodes whose config does not parse, whose type is unknown or whose id is repeated', () => {
    const views = describeNodeViews(
      {
        schemaVersion: 1,
        nodes: [
          node('bad', 'test.fan_out', { channels: [] }),
          node('odd', 'test.fan_out', { nope: true }, { typeVersion: 1 }),
          node('mystery', 'acme.unknown', {}),
          node('twice', 'test.start', {}),
          node('twice', 'test.start', {}),
          node('ok', 'test.start', {}),
          'not a node',
        ],
        edges: 'broken',
      },
      registry,
    );
    expect(views).toEqual({ ok: { summary: 'Start', ports: ['out'] } });
  });

  it('describes nothing in a document that is not a journey', () => {
    expect(describeNodeViews('nope', registry)).toEqual({});
    expect(describeNodeViews({ schemaVersion: 99, nodes: [node('a', 'test.start', {})] }, registry)).toEqual(
      {},
    );
  });
});
