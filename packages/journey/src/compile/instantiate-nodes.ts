import type { JourneyError } from '../errors.js';
import { describeIssue } from '../graph/format-issues.js';
import type { JourneyNode } from '../graph/journey-graph.js';
import { migrateNodeConfig } from '../migrations/node-config.js';
import type { NodeInstance, NodeType } from '../sdk/node-type.js';
import type { NodeTypeRegistry } from '../sdk/registry.js';

/** A node with its type resolved and, when its config is valid, a bound instance. */
export interface ResolvedNode {
  readonly node: JourneyNode;
  readonly nodeType: NodeType | null;
  readonly instance: NodeInstance | null;
}

/**
 * Resolves every node's type, migrates its config to the current type version and parses it.
 * Later phases skip what could not be resolved rather than piling up follow-on errors.
 */
export function instantiateNodes(
  nodes: readonly JourneyNode[],
  registry: NodeTypeRegistry,
  errors: JourneyError[],
): Map<string, ResolvedNode> {
  const resolved = new Map<string, ResolvedNode>();
  for (const node of nodes) {
    if (resolved.has(node.id)) {
      errors.push({
        nodeId: node.id,
        code: 'duplicate_node_id',
        message: `node id "${node.id}" is used by more than one node`,
      });
      continue;
    }
    resolved.set(node.id, resolveNode(node, registry, errors));
  }
  return resolved;
}

function resolveNode(node: JourneyNode, registry: NodeTypeRegistry, errors: JourneyError[]): ResolvedNode {
  const nodeType = registry.get(node.type);
  if (!nodeType) {
    errors.push({ nodeId: node.id, code: 'unknown_node_type', message: `unknown node type "${node.type}"` });
    return { node, nodeType: null, instance: null };
  }
  const migrated = migrateNodeConfig(nodeType, node.typeVersion, node.config);
  if (!migrated.ok) {
    errors.push({ nodeId: node.id, code: 'unsupported_type_version', message: migrated.message });
    return { node, nodeType, instance: null };
  }
  const result = nodeType.instantiate(migrated.config);
  if (!result.ok) {
    for (const issue of result.issues) {
      errors.push({
        nodeId: node.id,
        path: issue.path ? `config.${issue.path}` : 'config',
        code: 'invalid_config',
        message: describeIssue(issue),
      });
    }
    return { node, nodeType, instance: null };
  }
  return { node, nodeType, instance: result.instance };
}
