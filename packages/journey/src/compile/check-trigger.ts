import type { JourneyError } from '../errors.js';
import type { Wiring } from './check-edges.js';
import type { ResolvedNode } from './instantiate-nodes.js';

/** Returns the one trigger's id, or null after reporting none or several. */
export function findTrigger(nodes: ReadonlyMap<string, ResolvedNode>, errors: JourneyError[]): string | null {
  const triggers = [...nodes.values()].filter((entry) => entry.nodeType?.category === 'trigger');
  const [first, ...extra] = triggers;
  if (!first) {
    errors.push({
      nodeId: null,
      code: 'no_trigger',
      message: 'a journey needs exactly one trigger; it has none',
    });
    return null;
  }
  for (const entry of extra) {
    errors.push({
      nodeId: entry.node.id,
      code: 'multiple_triggers',
      message: `a journey has exactly one trigger; "${entry.node.id}" is another besides "${first.node.id}"`,
    });
  }
  return extra.length === 0 ? first.node.id : null;
}

/** Reports every node that no path from the trigger reaches. */
export function checkReachability(
  triggerId: string,
  nodes: ReadonlyMap<string, ResolvedNode>,
  wiring: Wiring,
  errors: JourneyError[],
): void {
  const reached = new Set([triggerId]);
  const queue = [triggerId];
  for (let current = queue.pop(); current !== undefined; current = queue.pop()) {
    for (const target of wiring.get(current)?.values() ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const nodeId of nodes.keys()) {
    if (!reached.has(nodeId)) {
      errors.push({
        nodeId,
        code: 'unreachable_node',
        message: `node "${nodeId}" cannot be reached from the trigger`,
      });
    }
  }
}
