import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import { fieldModel, humanise, itemNoun, resolveSchema, type Schema, singular } from './json-schema';

const schemaOf = (type: string) => {
  const description = createBuiltinRegistry()
    .describe()
    .find((entry) => entry.type === type);
  if (!description) throw new Error(type);
  return description.configSchema as Schema;
};

const propertyModel = (type: string, name: string) => {
  const root = schemaOf(type);
  const property = (root.properties as Record<string, Schema>)[name];
  if (!property) throw new Error(`${type}.${name}`);
  return fieldModel(property, root, name);
};

describe('labels', () => {
  it('humanises property names into the labels marketers read', () => {
    expect(humanise('event')).toBe('Event');
    expect(humanise('templateId')).toBe('Template');
    expect(humanise('saveResponseAs')).toBe('Save response as');
    expect(humanise('last_order_at')).toBe('Last order at');
    expect(humanise('addTags')).toBe('Add tags');
  });

  it('names list items in the singular', () => {
    expect(singular('Branches')).toBe('Branch');
    expect(singular('Add tags')).toBe('Add tag');
    expect(singular('Properties')).toBe('Property');
    expect(singular('Status')).toBe('Status');
    expect(itemNoun('Add tags')).toBe('Tag');
    expect(itemNoun('Set traits')).toBe('Trait');
    expect(itemNoun('Branches')).toBe('Branch');
  });

  it("prefers the schema's title to the property name", () => {
    const root: Schema = { type: 'object', properties: { x: { type: 'string', title: 'Coupon code' } } };
    expect(fieldModel((root.properties as Record<string, Schema>).x!, root, 'x').label).toBe('Coupon code');
  });
});

describe('field model of the built-in node types', () => {
  it('draws the wait for an event with an event picker, a condition builder and a duration', () => {
    expect(propertyModel('wait.event', 'event')).toMatchObject({
      label: 'Event',
      field: { kind: 'widget', widget: 'event-name' },
    });
    expect(propertyModel('wait.event', 'timeout')).toMatchObject({
      label: 'Timeout',
      field: { kind: 'widget', widget: 'duration' },
    });
    expect(propertyModel('wait.event', 'conditions').field).toEqual({ kind: 'widget', widget: 'conditions' });
    expect(propertyModel('wait.duration', 'duration')).toMatchObject({
      label: 'Duration',
      field: { widget: 'duration' },
    });
  });

  it('picks templates, segments, times and timezones', () => {
    expect(propertyModel('send.email', 'templateId')).toMatchObject({
      label: 'Template',
      field: { widget: 'template' },
    });
    expect(propertyModel('trigger.segment', 'segmentId').field).toEqual({
      kind: 'widget',
      widget: 'segment',
    });
    expect(propertyModel('wait.until', 'time').field).toEqual({ kind: 'widget', widget: 'time-of-day' });
    expect(propertyModel('wait.until', 'timezone').field).toEqual({ kind: 'widget', widget: 'timezone' });
  });

  it('turns enums into selects, booleans into checkboxes and arrays of objects into lists', () => {
    expect(propertyModel('send.webhook', 'method').field).toEqual({
      kind: 'enum',
      options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
    expect(propertyModel('send.email', 'transactional').field).toEqual({ kind: 'boolean' });
    const branches = propertyModel('split.random', 'branches').field;
    expect(branches).toMatchObject({ kind: 'array', minItems: 2, maxItems: null });
    const root = schemaOf('split.random');
    const item = fieldModel((branches as { items: Schema }).items, root);
    expect(item.field).toMatchObject({
      kind: 'object',
      properties: [
        { name: 'port', required: true },
        { name: 'weight', required: true },
        { name: 'holdout', required: false },
      ],
    });
  });

  it('offers a variant picker for anyOf, and a map editor for records', () => {
    const body = propertyModel('send.webhook', 'body').field;
    expect(body.kind).toBe('variant');
    expect(
      (body as unknown as { options: { label: string }[] }).options.map((option) => option.label),
    ).toEqual(['Text', 'JSON']);
    expect(propertyModel('profile.update', 'set').field.kind).toBe('record');
    expect(propertyModel('profile.update', 'addTags').field).toMatchObject({
      kind: 'array',
      items: { type: 'string' },
    });
  });

  it('falls back to JSON for shapes it cannot draw', () => {
    const root: Schema = { type: 'object', properties: { anything: {} } };
    expect(fieldModel({}, root, 'anything').field).toEqual({ kind: 'json' });
    expect(fieldModel({ type: 'object', additionalProperties: {} }, root, 'x').field).toEqual({
      kind: 'json',
    });
  });
});

describe('$ref', () => {
  it('resolves $ref into $defs, keeping hints written beside it', () => {
    const root: Schema = {
      $defs: { group: { anyOf: [{ type: 'string' }], title: 'Group' } },
      properties: { c: { $ref: '#/$defs/group', title: 'Conditions' } },
    };
    expect(resolveSchema({ $ref: '#/$defs/group', title: 'Conditions' }, root)).toEqual({
      anyOf: [{ type: 'string' }],
      title: 'Conditions',
    });
    // A ref that points at itself stops instead of looping.
    const loop: Schema = { $defs: { a: { $ref: '#/$defs/a' } } };
    expect(resolveSchema({ $ref: '#/$defs/a' }, loop).$ref).toBeUndefined();
  });
});
