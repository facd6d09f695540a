import { z } from 'zod';
import type { NodeCategory, NodeType } from './node-type.js';

/** JSON Schema as zod emits it (draft 2020-12). */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** A node type as data, for `GET /api/node-types` and the editor's palette and forms. */
export interface NodeTypeDescription {
  readonly type: string;
  readonly version: number;
  readonly category: NodeCategory;
  readonly label: string;
  readonly description: string | null;
  readonly ports:
    | { readonly kind: 'static'; readonly names: readonly string[] }
    | { readonly kind: 'config'; readonly note: string };
  /** The config's JSON Schema, input side (fields with defaults are optional). */
  readonly configSchema: JsonSchema;
  readonly defaults: unknown;
}

/** The node types a compiler, runtime or server works with. */
export interface NodeTypeRegistry {
  get(type: string): NodeType | undefined;
  /** All types, sorted by id. */
  list(): readonly NodeType[];
  /** Serialisable descriptions, sorted by id; computed once. */
  describe(): readonly NodeTypeDescription[];
}

function describeType(nodeType: NodeType): NodeTypeDescription {
  return {
    type: nodeType.type,
    version: nodeType.version,
    category: nodeType.category,
    label: nodeType.label,
    description: nodeType.description ?? null,
    ports: nodeType.staticPorts
      ? { kind: 'static', names: nodeType.staticPorts }
      : { kind: 'config', note: nodeType.portsNote ?? 'derived from the config' },
    configSchema: z.toJSONSchema(nodeType.configSchema, { io: 'input', unrepresentable: 'any' }),
    defaults: nodeType.defaults ?? null,
  };
}

/**
 * Builds a registry from node types. It is a plain value: pass it to `compile`, the runtime and
 * the server; tests build their own. Registering the same type id twice throws.
 *
 * @example
 * const registry = createRegistry([...builtinNodeTypes, addPoints]);
 * registry.get('send.email')?.label; // 'Send email'
 */
export function createRegistry(nodeTypes: readonly NodeType[]): NodeTypeRegistry {
  const byType = new Map<string, NodeType>();
  for (const nodeType of nodeTypes) {
    if (byType.has(nodeType.type)) {
      throw new Error(`node type "${nodeType.type}" is registered twice`);
    }
    byType.set(nodeType.type, nodeType);
  }
  const sorted = [...byType.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  let descriptions: readonly NodeTypeDescription[] | undefined;
  return Object.freeze({
    get: (type: string) => byType.get(type),
    list: () => sorted,
    describe() {
      descriptions ??= sorted.map(describeType);
      return descriptions;
    },
  });
}
