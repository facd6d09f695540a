import { isObject, resolveSchema, type Schema, schemaTypes, type VariantOption } from './json-schema';

/** Whether a value fits a schema's shape closely enough to pick its variant (not a validator). */
export function matchesSchema(value: unknown, schema: Schema, root: Schema): boolean {
  const resolved = resolveSchema(schema, root);
  if (resolved.const !== undefined) return value === resolved.const;
  if (Array.isArray(resolved.enum)) return (resolved.enum as unknown[]).includes(value);
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined;
  if (alternatives) return alternatives.some((option) => matchesSchema(value, option, root));
  const types = schemaTypes(resolved);
  if (types.length === 0) return true;
  return types.some((type) => {
    switch (type) {
      case 'string':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number';
      case 'integer':
        return Number.isInteger(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value);
      case 'object': {
        if (!isObject(value)) return false;
        const properties = isObject(resolved.properties) ? resolved.properties : {};
        const required = Array.isArray(resolved.required) ? (resolved.required as string[]) : [];
        if (!required.every((key) => key in value)) return false;
        // A const property (a discriminator such as `fact: "eventCount"`) must agree.
        return Object.entries(properties).every(([key, property]) => {
          const constant = resolveSchema(property as Schema, root).const;
          return constant === undefined || !(key in value) || value[key] === constant;
        });
      }
      default:
        return true;
    }
  });
}

/** The index of the first variant a value fits, or 0. */
export function variantIndexOf(value: unknown, options: readonly VariantOption[], root: Schema): number {
  const index = options.findIndex((option) => matchesSchema(value, option.schema, root));
  return Math.max(index, 0);
}

/**
 * A starting value for a schema: its default, else the simplest value of its shape with the
 * required properties of objects filled in. Used for new list items and a switched variant.
 */
export function initialValue(schema: Schema, root: Schema, depth = 0): unknown {
  const resolved = resolveSchema(schema, root);
  if (resolved.default !== undefined) return structuredClone(resolved.default);
  if (resolved.const !== undefined) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined;
  if (alternatives?.[0]) return depth > 8 ? null : initialValue(alternatives[0], root, depth + 1);
  switch (schemaTypes(resolved)[0]) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return typeof resolved.minimum === 'number' ? resolved.minimum : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isObject(resolved.properties) ? (resolved.properties as Record<string, Schema>) : {};
      const required = Array.isArray(resolved.required) ? (resolved.required as string[]) : [];
      for (const key of required) {
        const property = properties[key];
        if (property && depth < 8) out[key] = initialValue(property, root, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

/**
 * The config a new or incomplete node starts from: the node type's defaults, then each missing
 * property's schema default (so `method: "POST"` shows as chosen, not as blank).
 */
export function withDefaults(value: unknown, schema: Schema): unknown {
  if (!isObject(value) && value !== undefined && value !== null) return value;
  const current = isObject(value) ? value : {};
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  const out: Record<string, unknown> = { ...current };
  for (const [key, property] of Object.entries(properties)) {
    if (out[key] === undefined && property.default !== undefined)
      out[key] = structuredClone(property.default);
  }
  return out;
}
