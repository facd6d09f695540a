import { type Db, referenceNames } from '@touchline/db';
import { describeNodeViews, type NodeTypeRegistry, type NodeView } from '@touchline/journey';

const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * The node views of a draft, with the template and segment ids their summaries name replaced by
 * those names: a marketer reads "Send email “Cart reminder”", not a UUID. Node types summarise
 * from their config alone (they are pure), so the names are put in here, where the data is.
 */
export async function namedNodeViews(
  db: Db,
  registry: NodeTypeRegistry,
  workspaceId: string,
  graph: unknown,
): Promise<Record<string, NodeView>> {
  const views = describeNodeViews(graph, registry);
  const ids = new Set<string>();
  for (const view of Object.values(views)) {
    for (const match of view.summary.matchAll(uuid)) ids.add(match[0].toLowerCase());
  }
  if (ids.size === 0) return views;
  const names = await referenceNames(db, workspaceId, [...ids]);
  if (names.size === 0) return views;
  const named: Record<string, NodeView> = {};
  for (const [id, view] of Object.entries(views)) {
    named[id] = {
      ...view,
      summary: view.summary.replace(uuid, (found) => {
        const name = names.get(found.toLowerCase());
        return name === undefined ? found : `“${name}”`;
      }),
    };
  }
  return named;
}
