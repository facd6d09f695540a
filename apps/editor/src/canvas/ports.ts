import type { NodeTypeDescription } from '@touchline/journey';
import type { JourneyProblem, NodeView } from './canvas-store';
import type { CanvasEdge } from './graph-model';

const NONE: readonly never[] = Object.freeze([]);

// One index per edges (or problems) array, built the first time any node asks: 500 nodes reading
// their own slice after a change cost one pass over the array, not one pass each.
const usedPortsIndex = new WeakMap<readonly CanvasEdge[], Map<string, string[]>>();
// The last index built: a node whose ports did not change keeps its array when the edges change.
let lastUsedPorts = new Map<string, string[]>();
const problemsIndex = new WeakMap<readonly JourneyProblem[], Map<string, JourneyProblem[]>>();

/** The ports edges leave `nodeId` by, in edge order (repeats kept); the same array until edges change. */
export function usedPortsOf(edges: readonly CanvasEdge[], nodeId: string): readonly string[] {
  let index = usedPortsIndex.get(edges);
  if (!index) {
    index = new Map();
    for (const edge of edges) {
      if (!edge.sourceHandle) continue;
      const ports = index.get(edge.source);
      if (ports) ports.push(edge.sourceHandle);
      else index.set(edge.source, [edge.sourceHandle]);
    }
    for (const [source, ports] of index) {
      const before = lastUsedPorts.get(source);
      if (before && before.length === ports.length && before.every((port, i) => port === ports[i]))
        index.set(source, before);
    }
    usedPortsIndex.set(edges, index);
    lastUsedPorts = index;
  }
  return index.get(nodeId) ?? NONE;
}

/** The validation problems of one node; the same array until the problems change. */
export function problemsOf(problems: readonly JourneyProblem[], nodeId: string): readonly JourneyProblem[] {
  let index = problemsIndex.get(problems);
  if (!index) {
    index = new Map();
    for (const problem of problems) {
      if (problem.nodeId === null) continue;
      const list = index.get(problem.nodeId);
      if (list) list.push(problem);
      else index.set(problem.nodeId, [problem]);
    }
    problemsIndex.set(problems, index);
  }
  return index.get(nodeId) ?? NONE;
}

/** Declared ports first, then any port an edge still leaves by, each once. */
export function mergePorts(
  description: NodeTypeDescription | undefined,
  view: NodeView | undefined,
  used: readonly string[],
): string[] {
  const declared = view ? view.ports : description?.ports.kind === 'static' ? description.ports.names : [];
  return [...new Set([...declared, ...used])];
}

/**
 * A node's out-ports: what the server derived from its config, else the type's static ports. A
 * port an edge still leaves by (a renamed branch, a config that does not parse yet) stays drawn,
 * so that its edge can be seen and deleted; the compiler reports it when it is unknown.
 */
export function portsOf(
  nodeId: string,
  description: NodeTypeDescription | undefined,
  view: NodeView | undefined,
  edges: readonly CanvasEdge[],
): string[] {
  return mergePorts(description, view, usedPortsOf(edges, nodeId));
}

/** Triggers start a journey: nothing leads into them. */
export const hasTarget = (description: NodeTypeDescription | undefined) =>
  description?.category !== 'trigger';
