/** What publishing the draft changes relative to the live version. */
export interface VersionDiff {
  added: DiffNode[];
  removed: DiffNode[];
  changed: DiffNode[];
  edgesChanged: number;
  settingsChanged: boolean;
}

export interface DiffNode {
  id: string;
  type: string;
  label?: string;
}

interface LooseGraph {
  nodes?: unknown;
  edges?: unknown;
  settings?: unknown;
}

type Entry = { id: string; type: string; label?: string; config: unknown };

function nodesOf(graph: LooseGraph | null): Map<string, Entry> {
  const nodes = new Map<string, Entry>();
  for (const raw of Array.isArray(graph?.nodes) ? graph.nodes : []) {
    if (raw && typeof raw === 'object' && typeof raw.id === 'string') {
      nodes.set(raw.id, {
        id: raw.id,
        type: typeof raw.type === 'string' ? raw.type : '',
        ...(typeof raw.label === 'string' ? { label: raw.label } : {}),
        config: raw.config ?? {},
      });
    }
  }
  return nodes;
}

function edgeKeys(graph: LooseGraph | null): Set<string> {
  const keys = new Set<string>();
  for (const raw of Array.isArray(graph?.edges) ? graph.edges : []) {
    if (raw && typeof raw === 'object') keys.add(`${raw.source}\u0000${raw.sourcePort}\u0000${raw.target}`);
  }
  return keys;
}

/** JSON with sorted keys, so that key order does not count as a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const brief = ({ id, type, label }: Entry): DiffNode => ({ id, type, ...(label ? { label } : {}) });

/** Nodes added, removed and changed (type or config; moving a node is no change), by node id. */
export function diffVersions(live: LooseGraph | null, draft: LooseGraph): VersionDiff {
  const before = nodesOf(live);
  const after = nodesOf(draft);
  const added = [...after.values()].filter((node) => !before.has(node.id)).map(brief);
  const removed = [...before.values()].filter((node) => !after.has(node.id)).map(brief);
  const changed = [...after.values()]
    .filter((node) => {
      const old = before.get(node.id);
      return (
        old !== undefined && (old.type !== node.type || canonical(old.config) !== canonical(node.config))
      );
    })
    .map(brief);
  const oldEdges = edgeKeys(live);
  const newEdges = edgeKeys(draft);
  const edgesChanged =
    [...newEdges].filter((key) => !oldEdges.has(key)).length +
    [...oldEdges].filter((key) => !newEdges.has(key)).length;
  return {
    added,
    removed,
    changed,
    edgesChanged,
    settingsChanged: live !== null && canonical(live.settings ?? {}) !== canonical(draft.settings ?? {}),
  };
}
