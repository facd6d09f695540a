import type { NodeType } from '../sdk/node-type.js';

export type NodeConfigMigrationResult =
  | { readonly ok: true; readonly config: unknown; readonly applied: readonly number[] }
  | { readonly ok: false; readonly message: string };

/**
 * Brings a node's config from the version it was written for up to the node type's current
 * version, one declared migration at a time. `typeVersion` omitted means already current.
 *
 * @example
 * migrateNodeConfig(waitType, 1, { hours: 2 }); // { ok: true, config: { duration: 'PT2H' }, applied: [2] }
 */
export function migrateNodeConfig(
  nodeType: NodeType,
  typeVersion: number | undefined,
  config: unknown,
): NodeConfigMigrationResult {
  const from = typeVersion ?? nodeType.version;
  if (from > nodeType.version) {
    return {
      ok: false,
      message: `node type ${nodeType.type} is at version ${nodeType.version} here, but this node was written for version ${from}`,
    };
  }
  let current = config;
  const applied: number[] = [];
  for (const migration of nodeType.migrations) {
    if (migration.toVersion <= from) continue;
    current = migration.up(current);
    applied.push(migration.toVersion);
  }
  return { ok: true, config: current, applied };
}
