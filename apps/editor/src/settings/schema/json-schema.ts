import type { JsonSchema } from '@touchline/journey';

/** A schema node as this form reads it: JSON Schema plus Touchline's hints (`widget`, …). */
export type Schema = JsonSchema & {
  widget?: string;
  [key: string]: unknown;
};

/** The widgets a schema can ask for with `.meta({ widget })`, or that a property name implies. */
export const widgetNames = [
  'event-name',
  'duration',
  'template',
  'segment',
  'time-of-day',
  'timezone',
  'conditions',
  'property-path',
] as const;
export type WidgetName = (typeof widgetNames)[number];

export type Scalar = string | number | boolean | null;

/** What one schema node renders as. */
export type FieldKind =
  | { kind: 'widget'; widget: WidgetName }
  | { kind: 'string'; format?: string; multiline: boolean }
  | { kind: 'number'; integer: boolean; minimum?: number; maximum?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: readonly Scalar[] }
  | { kind: 'const'; value: unknown }
  | { kind: 'null' }
  | { kind: 'object'; properties: readonly PropertyModel[] }
  | { kind: 'record'; values: Schema }
  | { kind: 'array'; items: Schema; minItems: number; maxItems: number | null }
  | { kind: 'variant'; options: readonly VariantOption[] }
  | { kind: 'json' };

export interface PropertyModel {
  readonly name: string;
  readonly schema: Schema;
  readonly required: boolean;
}

export interface VariantOption {
  readonly label: string;
  readonly schema: Schema;
}

export interface FieldModel {
  /** The schema with `$ref` resolved (hints beside a `$ref` win over the target's). */
  readonly schema: Schema;
  readonly label: string;
  readonly description: string | null;
  readonly field: FieldKind;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Follows `$ref`s into `root.$defs` (zod emits them for recursive schemas such as condition
 * trees). Keys written beside a `$ref` — a title or widget from `.meta()` — override the target's.
 */
export function resolveSchema(schema: Schema, root: Schema): Schema {
  let current = schema;
  const seen = new Set<string>();
  while (typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) return { ...current, $ref: undefined };
    seen.add(ref);
    const target = lookupRef(ref, root);
    if (!target) return current;
    const { $ref: _, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

function lookupRef(ref: string, root: Schema): Schema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return isObject(node) ? (node as Schema) : undefined;
}

/**
 * `templateId` → "Template", `saveResponseAs` → "Save response as", `last_order_at` →
 * "Last order at". Used when a schema has no `title`.
 */
export function humanise(name: string): string {
  const words = name
    .replace(/Id$/, '')
    .replace(/_id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The noun a list's items are called by: "Add tags" → "Tag", "Branches" → "Branch". */
export function itemNoun(label: string): string {
  const last = label.trim().split(/\s+/).pop() ?? label;
  const noun = singular(last);
  return noun.charAt(0).toUpperCase() + noun.slice(1);
}

/** "Branches" → "Branch", "Tags" → "Tag"; for the labels of list items. */
export function singular(label: string): string {
  if (/(ch|sh|x|ss)es$/i.test(label)) return label.slice(0, -2);
  if (/ies$/i.test(label)) return `${label.slice(0, -3)}y`;
  if (/[^su]s$/i.test(label)) return label.slice(0, -1);
  return label;
}

// When a schema carries no hint, the property name says what most built-in fields are.
const widgetByName: Readonly<Record<string, WidgetName>> = {
  event: 'event-name',
  duration: 'duration',
  timeout: 'duration',
  within: 'duration',
  every: 'duration',
  templateId: 'template',
  segmentId: 'segment',
  time: 'time-of-day',
  timezone: 'timezone',
  conditions: 'conditions',
};

function isWidgetName(value: unknown): value is WidgetName {
  return typeof value === 'string' && (widgetNames as readonly string[]).includes(value);
}

function widgetOf(schema: Schema, name: string | undefined): WidgetName | null {
  if (isWidgetName(schema.widget)) return schema.widget;
  if (schema.format === 'duration') return 'duration';
  const byName = name === undefined ? undefined : widgetByName[name];
  if (!byName) return null;
  // A name only implies a widget when the shape fits: a string, or a condition group.
  if (byName === 'conditions') return schema.anyOf || schema.oneOf ? 'conditions' : null;
  return schemaTypes(schema).length === 1 && schemaTypes(schema)[0] === 'string' ? byName : null;
}

/** The `type` of a schema as a list (`["string", "null"]`), empty when it has none. */
export function schemaTypes(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  return typeof schema.type === 'string' ? [schema.type] : [];
}

const typeLabels: Readonly<Record<string, string>> = {
  string: 'Text',
  number: 'Number',
  integer: 'Whole number',
  boolean: 'Yes / no',
  null: 'Empty',
  array: 'List',
  object: 'Fields',
};

function variantLabel(option: Schema, root: Schema, index: number): string {
  const resolved = resolveSchema(option, root);
  if (typeof resolved.title === 'string') return resolved.title;
  if (resolved.const !== undefined) return String(resolved.const);
  const types = schemaTypes(resolved);
  if (types.length === 1) return typeLabels[types[0] as string] ?? types[0]!;
  return `Option ${index + 1}`;
}

function classify(schema: Schema, root: Schema, name: string | undefined): FieldKind {
  const widget = widgetOf(schema, name);
  if (widget) return { kind: 'widget', widget };
  if (schema.const !== undefined) return { kind: 'const', value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return { kind: 'enum', options: schema.enum as Scalar[] };
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives && alternatives.length > 0) {
    const options = alternatives.map((option, index) => ({
      label: variantLabel(option, root, index),
      schema: resolveSchema(option as Schema, root),
    }));
    // `a.optional()` and `a.nullable()` reach here as a one-member or `null`-paired union.
    const nonNull = options.filter((option) => option.schema.type !== 'null');
    if (options.length === 1 && nonNull[0]) return classify(nonNull[0].schema, root, name);
    return { kind: 'variant', options };
  }
  const types = schemaTypes(schema);
  if (types.length > 1) {
    return {
      kind: 'variant',
      options: types.map((type) => ({ label: typeLabels[type] ?? type, schema: { type } as Schema })),
    };
  }
  switch (types[0]) {
    case 'string':
      return {
        kind: 'string',
        ...(typeof schema.format === 'string' ? { format: schema.format } : {}),
        multiline: schema.widget === 'multiline' || name === 'message' || name === 'body',
      };
    case 'number':
    case 'integer':
      return {
        kind: 'number',
        integer: types[0] === 'integer',
        ...(typeof schema.minimum === 'number' ? { minimum: schema.minimum } : {}),
        ...(typeof schema.maximum === 'number' ? { maximum: schema.maximum } : {}),
      };
    case 'boolean':
      return { kind: 'boolean' };
    case 'null':
      return { kind: 'null' };
    case 'array': {
      const items = schema.items;
      if (!isObject(items)) return { kind: 'json' };
      return {
        kind: 'array',
        items: items as Schema,
        minItems: typeof schema.minItems === 'number' ? schema.minItems : 0,
        maxItems: typeof schema.maxItems === 'number' ? schema.maxItems : null,
      };
    }
    case 'object': {
      const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const names = Object.keys(properties);
      const additional = schema.additionalProperties;
      if (names.length === 0 && isObject(additional) && Object.keys(additional).length > 0) {
        return { kind: 'record', values: additional as Schema };
      }
      if (names.length === 0 && additional !== false) return { kind: 'json' };
      return {
        kind: 'object',
        properties: names.map((key) => ({
          name: key,
          schema: properties[key] as Schema,
          required: required.has(key),
        })),
      };
    }
    default:
      return { kind: 'json' };
  }
}

/**
 * What a schema node renders as, with its label: the schema's `title`, else the humanised
 * property name.
 *
 * @example
 * fieldModel({ type: 'string', format: 'duration' }, root, 'timeout');
 * // { label: 'Timeout', field: { kind: 'widget', widget: 'duration' }, … }
 */
export function fieldModel(schema: Schema, root: Schema, name?: string): FieldModel {
  const resolved = resolveSchema(schema, root);
  return {
    schema: resolved,
    label: typeof resolved.title === 'string' ? resolved.title : name ? humanise(name) : '',
    description: typeof resolved.description === 'string' ? resolved.description : null,
    field: classify(resolved, root, name),
  };
}

/** Properties of an object of which exactly one is set (`cron`, `at` or `every`), from an `exclusive` hint. */
export interface ExclusiveGroup {
  readonly label: string;
  readonly fields: readonly string[];
}

/**
 * An object's `exclusive` hint: `.meta({ exclusive: [{ label: 'Runs', fields: ['cron', 'at'] }] })`
 * draws one picker for the group and only the chosen field.
 */
export function exclusiveGroups(schema: Schema): ExclusiveGroup[] {
  if (!Array.isArray(schema.exclusive)) return [];
  return (schema.exclusive as unknown[]).flatMap((entry) => {
    if (!isObject(entry) || !Array.isArray(entry.fields)) return [];
    const fields = entry.fields.filter((field): field is string => typeof field === 'string');
    if (fields.length < 2) return [];
    return [{ label: typeof entry.label === 'string' ? entry.label : humanise(fields.join(' or ')), fields }];
  });
}
