import { z } from 'zod';
import type { ConditionGroup } from '../conditions/schema.js';
import { forEachLeaf } from '../conditions/walk.js';
import type { JourneyError } from '../errors.js';
import { describeIssue, formatIssues } from '../graph/format-issues.js';
import { journeyGraphSchema } from '../graph/journey-graph.js';
import { journeySettingsSchema } from '../graph/settings.js';
import { migrateJourneyDocument } from '../migrations/document.js';
import type { NodeTypeRegistry } from '../sdk/registry.js';
import { assemble } from './assemble.js';
import { checkCycles } from './check-cycles.js';
import { checkDanglingPorts, checkEdges } from './check-edges.js';
import { checkReachability, findTrigger } from './check-trigger.js';
import { type CompileOptions, compileNodes } from './compile-nodes.js';
import type { CompiledJourney } from './compiled-journey.js';
import { instantiateNodes } from './instantiate-nodes.js';

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledJourney }
  | { readonly ok: false; readonly errors: readonly JourneyError[] };

// Settings are parsed on their own so that a bad setting and a bad node are both reported.
const documentSchema = journeyGraphSchema.extend({ settings: z.unknown().optional() });

function documentErrors(issues: readonly z.core.$ZodIssue[], nodes: unknown): JourneyError[] {
  return formatIssues(issues).map((issue) => {
    const [collection, index] = issue.path.split('.');
    const node = collection === 'nodes' && Array.isArray(nodes) ? nodes[Number(index)] : undefined;
    const nodeId = node !== null && typeof node === 'object' && 'id' in node && typeof node.id === 'string';
    return {
      nodeId: nodeId ? node.id : null,
      path: issue.path,
      code: 'invalid_document',
      message: describeIssue(issue),
    };
  });
}

function checkGoalSegments(
  conditions: ConditionGroup,
  segments: ReadonlySet<string>,
  errors: JourneyError[],
) {
  forEachLeaf(conditions, 'settings.goal.conditions', (leaf, path) => {
    if (leaf.fact === 'inSegment' && !segments.has(leaf.params.segmentId)) {
      errors.push({
        nodeId: null,
        path: `${path}.params.segmentId`,
        code: 'unknown_segment',
        message: `${path}.params.segmentId: no segment with id "${leaf.params.segmentId}"`,
      });
    }
  });
}

/**
 * Validates a journey document and compiles it to rules and an execution plan. Pure and
 * deterministic: the same document gives byte-identical `JSON.stringify` output. Documents of
 * older schema versions are migrated first.
 *
 * @example
 * const result = compile(graph, createBuiltinRegistry(), { templates: new Set(['tpl_cart']) });
 * if (!result.ok) return reply.code(422).send({ errors: result.errors });
 * await saveVersion(result.compiled);
 */
export function compile(
  graph: unknown,
  registry: NodeTypeRegistry,
  options: CompileOptions = {},
): CompileResult {
  const migrated = migrateJourneyDocument(graph);
  if (!migrated.ok) {
    return {
      ok: false,
      errors: [{ nodeId: null, code: 'unsupported_schema_version', message: migrated.message }],
    };
  }
  const parsed = documentSchema.safeParse(migrated.document);
  if (!parsed.success)
    return { ok: false, errors: documentErrors(parsed.error.issues, migrated.document.nodes) };
  const document = parsed.data;

  const errors: JourneyError[] = [];
  const settings = journeySettingsSchema.safeParse(document.settings ?? {});
  if (!settings.success) {
    for (const issue of formatIssues(settings.error.issues)) {
      errors.push({
        nodeId: null,
        path: issue.path ? `settings.${issue.path}` : 'settings',
        code: 'invalid_settings',
        message: describeIssue(issue, 'settings'),
      });
    }
  }
  const goalConditions = settings.success ? settings.data.goal?.conditions : undefined;
  if (goalConditions && options.segments) checkGoalSegments(goalConditions, options.segments, errors);
  const nodes = instantiateNodes(document.nodes, registry, errors);
  const wiring = checkEdges(document.edges, nodes, errors);
  checkDanglingPorts(nodes, wiring, errors);
  const triggerId = findTrigger(nodes, errors);
  if (triggerId !== null) checkReachability(triggerId, nodes, wiring, errors);
  checkCycles(nodes, wiring, errors);
  const outputs = compileNodes(nodes, options, errors);

  if (errors.length > 0 || triggerId === null || !settings.success) return { ok: false, errors };
  return {
    ok: true,
    compiled: assemble(document.schemaVersion, triggerId, nodes, wiring, outputs, settings.data),
  };
}
