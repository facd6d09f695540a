import { forEachLeaf } from '../conditions/walk.js';
import type { JourneyError } from '../errors.js';
import type { NodeCompileContext, NodeCompileOutput } from '../sdk/compile-types.js';
import type { ResolvedNode } from './instantiate-nodes.js';

/** Known ids to check references against; omit a set to skip that check. */
export interface CompileOptions {
  readonly templates?: ReadonlySet<string>;
  readonly segments?: ReadonlySet<string>;
}

function createContext(nodeId: string, options: CompileOptions, errors: JourneyError[]): NodeCompileContext {
  const { templates, segments } = options;
  const checkSegment = (segmentId: string, path: string) => {
    if (segments && !segments.has(segmentId)) {
      errors.push({
        nodeId,
        path: `config.${path}`,
        code: 'unknown_segment',
        message: `${path}: no segment with id "${segmentId}"`,
      });
    }
  };
  return {
    nodeId,
    ...(templates ? { templates } : {}),
    ...(segments ? { segments } : {}),
    report: (issue) =>
      errors.push({ nodeId, ...issue, ...(issue.path ? { path: `config.${issue.path}` } : {}) }),
    checkTemplate(templateId, path) {
      if (templates && !templates.has(templateId)) {
        errors.push({
          nodeId,
          path: `config.${path}`,
          code: 'unknown_template',
          message: `${path}: no template with id "${templateId}"`,
        });
      }
    },
    checkSegment,
    checkConditions(conditions, path) {
      forEachLeaf(conditions, path, (leaf, at) => {
        if (leaf.fact === 'inSegment') checkSegment(leaf.params.segmentId, `${at}.params.segmentId`);
      });
    },
  };
}

// A custom node type could return rules for ports it does not have; catching it here keeps a
// broken plugin from publishing a journey the runtime cannot follow.
function checkOutput(
  entry: ResolvedNode,
  ports: readonly string[],
  output: NodeCompileOutput,
): string | null {
  const category = entry.nodeType?.category;
  const unknownPort = [
    ...(output.rules ?? []).map((rule) => rule.port),
    ...(output.defaultPort ? [output.defaultPort] : []),
  ].find((port) => !ports.includes(port));
  if (unknownPort !== undefined)
    return `compile produced a rule for port "${unknownPort}", which the node lacks`;
  if (category === 'trigger' && !output.trigger) return 'a trigger node type must compile to a trigger plan';
  if (category === 'wait' && !output.wait) return 'a wait node type must compile to a wait plan';
  return null;
}

/** Runs each valid node's `compile`, collecting reference errors it reports. */
export function compileNodes(
  nodes: ReadonlyMap<string, ResolvedNode>,
  options: CompileOptions,
  errors: JourneyError[],
): Map<string, NodeCompileOutput> {
  const outputs = new Map<string, NodeCompileOutput>();
  for (const [nodeId, entry] of nodes) {
    if (!entry.instance) continue;
    const output = entry.instance.compile(createContext(nodeId, options, errors));
    const problem = checkOutput(entry, entry.instance.ports, output);
    if (problem) {
      errors.push({ nodeId, code: 'invalid_compile_output', message: `${entry.node.type}: ${problem}` });
      continue;
    }
    outputs.set(nodeId, output);
  }
  return outputs;
}
