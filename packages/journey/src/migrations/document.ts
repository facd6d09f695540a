import { CURRENT_SCHEMA_VERSION } from '../graph/journey-graph.js';

type JsonRecord = Record<string, unknown>;

/** Upgrades a journey document from `toVersion - 1` to `toVersion`. Small and forward-only. */
export interface DocumentMigration {
  readonly toVersion: number;
  readonly description: string;
  up(document: JsonRecord): JsonRecord;
}

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Ordered: entry `i` produces version `i + 1`. Never edit a shipped entry; append. */
export const documentMigrations: readonly DocumentMigration[] = [
  {
    toVersion: 1,
    description:
      'Unversioned documents, as engineers wrote them by hand before schemaVersion existed: stamp version 1, default settings to {} and give nodes without a position one in a column',
    up(document) {
      const nodes = Array.isArray(document.nodes) ? document.nodes : [];
      return {
        ...document,
        schemaVersion: 1,
        settings: document.settings ?? {},
        nodes: nodes.map((node, index) =>
          isRecord(node) && node.position === undefined
            ? { ...node, position: { x: 0, y: index * 120 } }
            : node,
        ),
      };
    },
  },
];

export type DocumentMigrationResult =
  | { readonly ok: true; readonly document: JsonRecord; readonly applied: readonly number[] }
  | { readonly ok: false; readonly message: string };

/**
 * Brings a stored or hand-written journey document up to {@link CURRENT_SCHEMA_VERSION}. It
 * does not validate: parse the result with `journeyGraphSchema` or pass it to `compile`.
 *
 * @example
 * const result = migrateJourneyDocument(JSON.parse(text));
 * if (result.ok) compile(result.document, registry);
 */
export function migrateJourneyDocument(document: unknown): DocumentMigrationResult {
  if (!isRecord(document)) return { ok: false, message: 'a journey document must be a JSON object' };
  const version = document.schemaVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { ok: false, message: 'schemaVersion must be a non-negative integer' };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      message: `schemaVersion ${version} is newer than this version of Touchline reads (${CURRENT_SCHEMA_VERSION})`,
    };
  }
  let current = document;
  const applied: number[] = [];
  for (const migration of documentMigrations) {
    if (migration.toVersion <= version) continue;
    current = migration.up(current);
    applied.push(migration.toVersion);
  }
  return { ok: true, document: current, applied };
}
