import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import type { Schema } from './json-schema';
import { initialValue, variantIndexOf, withDefaults } from './values';

const schemaOf = (type: string) => {
  const description = createBuiltinRegistry()
    .describe()
    .find((entry) => entry.type === type);
  if (!description) throw new Error(type);
  return description.configSchema as Schema;
};

describe('values of a schema', () => {
  it('chooses the variant a value fits, by type and by const discriminator', () => {
    const root: Schema = {};
    const options = [
      {
        label: 'Count',
        schema: {
          type: 'object',
          properties: { fact: { const: 'eventCount' } },
          required: ['fact'],
        } as Schema,
      },
      {
        label: 'Last',
        schema: {
          type: 'object',
          properties: { fact: { const: 'lastEvent' } },
          required: ['fact'],
        } as Schema,
      },
      { label: 'Text', schema: { type: 'string' } as Schema },
    ];
    expect(variantIndexOf({ fact: 'lastEvent' }, options, root)).toBe(1);
    expect(variantIndexOf('hello', options, root)).toBe(2);
    expect(variantIndexOf(42, options, root)).toBe(0);
  });

  it('starts new items with their defaults and required fields', () => {
    const root = schemaOf('split.random');
    const branches = (root.properties as Record<string, Schema>).branches!;
    expect(initialValue(branches.items as Schema, root)).toEqual({ port: '', weight: 1 });
    expect(withDefaults({ url: 'https://example.com' }, schemaOf('send.webhook'))).toEqual({
      url: 'https://example.com',
      method: 'POST',
    });
  });
});
