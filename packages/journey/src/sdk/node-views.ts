import { isRecord, migrateJourneyDocument } from '../migrations/document.js';
import { migrateNodeConfig } from '../migrations/node-config.js';
import type { NodeType } from './node-type.js';
import type { NodeTypeRegistry } from './registry.js';

/** What the editor draws on a node but cannot compute itself: its summary line and its out-ports. */
export interface NodeView {
  readonly summary: string;
  readonly ports: string[];
}

/**
 * Binds every node of a (possibly invalid) journey document whose type is registered and whose
 * config parses, and returns its summary and config-derived ports by node id. Nodes that cannot be
 * bound are left out; the compiler reports why. The editor receives this as data, so a custom node
 * type's summary and ports show with no editor change.
 *
 * @example
 * describeNodeViews(draft, registry);
 * // { split: { summary: 'Split: vip, else', ports: ['vip', 'else'] }, ... }
 */
export function describeNodeViews(graph: unknown, registry: NodeTypeRegistry): Record<string, NodeView> {
  const views: Record<string, NodeView> = {};
  const migrated = migrateJourneyDocument(graph);
  if (!migrated.ok || !Array.isArray(migrated.document.nodes)) return views;
  const seen = new Set<string>();
  for (const node of migrated.document.nodes) {
    if (!isRecord(node) || typeof node.id !== 'string' || typeof node.type !== 'string') continue;
    // A duplicated id is an error the compiler names; neither copy is described.
    if (seen.has(node.id)) {
      delete views[node.id];
      continue;
    }
    seen.add(node.id);
    const nodeType = registry.get(node.type);
    if (!nodeType) continue;
    const typeVersion = typeof node.typeVersion === 'number' ? node.typeVersion : undefined;
    const view = viewOf(nodeType, typeVersion, node.config ?? {});
    if (view) views[node.id] = view;
  }
  return views;
}

function viewOf(nodeType: NodeType, typeVersion: number | undefined, raw: unknown): NodeView | null {
  try {
    const config = migrateNodeConfig(nodeType, typeVersion, raw);
    if (!config.ok) return null;
    const bound = nodeType.instantiate(config.config);
    if (!bound.ok) return null;
    return { summary: bound.instance.summary(), ports: [...bound.instance.ports] };
  } catch {
    // A custom type's migration or summary that throws on odd input leaves the node undescribed;
    // compiling the same node reports the problem.
    return null;
  }
}
