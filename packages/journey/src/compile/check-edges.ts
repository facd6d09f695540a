import type { JourneyError } from '../errors.js';
import type { JourneyEdge } from '../graph/journey-graph.js';
import type { ResolvedNode } from './instantiate-nodes.js';

/** Node id → port → target node id, for edges that passed every check. */
export type Wiring = Map<string, Map<string, string>>;

/**
 * Checks each edge against the nodes and their ports and builds the wiring. A port that leads
 * to two nodes is reported once per extra edge, naming the port.
 */
export function checkEdges(
  edges: readonly JourneyEdge[],
  nodes: ReadonlyMap<string, ResolvedNode>,
  errors: JourneyError[],
): Wiring {
  const wiring: Wiring = new Map();
  const edgeIds = new Set<string>();
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) {
      errors.push({
        nodeId: edge.source,
        port: edge.sourcePort,
        code: 'duplicate_edge_id',
        message: `edge id "${edge.id}" is used twice`,
      });
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) {
      errors.push({
        nodeId: null,
        path: `edges.${edge.id}`,
        code: 'unknown_source',
        message: `edge "${edge.id}" leaves node "${edge.source}", which does not exist`,
      });
      continue;
    }
    if (!target) {
      errors.push({
        nodeId: edge.source,
        port: edge.sourcePort,
        code: 'unknown_target',
        message: `edge "${edge.id}" from port "${edge.sourcePort}" leads to node "${edge.target}", which does not exist`,
      });
      continue;
    }
    if (target.nodeType?.category === 'trigger') {
      errors.push({
        nodeId: edge.target,
        code: 'edge_into_trigger',
        message: `edge "${edge.id}" leads into the trigger; a journey can only be entered through its trigger`,
      });
      continue;
    }
    // Without a valid config the ports are unknown (its config error is reported); the edge
    // is still wired so that the nodes after it do not also show up as unreachable.
    if (source.instance && !source.instance.ports.includes(edge.sourcePort)) {
      const ports = source.instance.ports.join(', ') || 'none';
      errors.push({
        nodeId: edge.source,
        port: edge.sourcePort,
        code: 'unknown_port',
        message: `node "${edge.source}" (${source.node.type}) has no port "${edge.sourcePort}"; its ports are: ${ports}`,
      });
      continue;
    }
    const ports = wiring.get(edge.source) ?? new Map<string, string>();
    wiring.set(edge.source, ports);
    const existing = ports.get(edge.sourcePort);
    if (existing !== undefined) {
      errors.push({
        nodeId: edge.source,
        port: edge.sourcePort,
        code: 'port_connected_twice',
        message: `port "${edge.sourcePort}" of node "${edge.source}" leads to both "${existing}" and "${edge.target}"; a port leads to one node`,
      });
      continue;
    }
    ports.set(edge.sourcePort, edge.target);
  }
  return wiring;
}

/** Reports every port of a valid node that no edge leaves. */
export function checkDanglingPorts(
  nodes: ReadonlyMap<string, ResolvedNode>,
  wiring: Wiring,
  errors: JourneyError[],
): void {
  for (const [nodeId, { instance }] of nodes) {
    if (!instance) continue;
    for (const port of instance.ports) {
      if (!wiring.get(nodeId)?.has(port)) {
        errors.push({
          nodeId,
          port,
          code: 'dangling_port',
          message: `port "${port}" of node "${nodeId}" is not connected to any node`,
        });
      }
    }
  }
}
