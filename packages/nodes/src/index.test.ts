import { defineNodeType, resolvePath } from '@touchline/journey';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinNodeTypes, createBuiltinRegistry } from './index.js';

describe('built-in registry', () => {
  it('holds the nineteen types of DESIGN.md', () => {
    expect(builtinNodeTypes.map((nodeType) => nodeType.type).sort()).toEqual([
      'condition',
      'exit',
      'notify.team',
      'profile.update',
      'send.email',
      'send.inapp',
      'send.push',
      'send.sms',
      'send.webhook',
      'send.whatsapp',
      'split.audience',
      'split.random',
      'trigger.api',
      'trigger.event',
      'trigger.schedule',
      'trigger.segment',
      'wait.duration',
      'wait.event',
      'wait.until',
    ]);
  });

  it('describes every type as JSON, with config-derived ports for splits', () => {
    const descriptions = createBuiltinRegistry().describe();
    expect(JSON.parse(JSON.stringify(descriptions))).toEqual(descriptions);
    const random = descriptions.find((description) => description.type === 'split.random');
    expect(random?.ports).toEqual({ kind: 'config', note: 'one port per branch' });
    const email = descriptions.find((description) => description.type === 'send.email');
    expect(email?.ports).toEqual({ kind: 'static', names: ['out', 'suppressed'] });
    expect(email?.configSchema).toMatchObject({
      type: 'object',
      properties: { templateId: { type: 'string' }, transactional: { type: 'boolean', default: false } },
      required: ['templateId'],
      additionalProperties: false,
    });
  });

  it('every default config is valid but for the blanks a marketer must fill in', () => {
    for (const nodeType of builtinNodeTypes) {
      const result = nodeType.instantiate(nodeType.defaults);
      const blanks = result.ok
        ? []
        : result.issues.map((issue) => resolvePath(nodeType.defaults, issue.path));
      expect(
        blanks.every((value) => value === ''),
        nodeType.type,
      ).toBe(true);
    }
  });

  it('takes custom types and refuses a duplicate id', () => {
    const points = defineNodeType({
      type: 'loyalty.add_points',
      version: 1,
      category: 'action',
      label: 'Add loyalty points',
      configSchema: z.strictObject({ points: z.int().min(1) }),
      ports: ['out'],
      compile: () => ({ defaultPort: 'out' }),
    });
    expect(createBuiltinRegistry([points]).get('loyalty.add_points')?.label).toBe('Add loyalty points');
    expect(() => createBuiltinRegistry([points, points])).toThrow(
      'node type "loyalty.add_points" is registered twice',
    );
  });
});
