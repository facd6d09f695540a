import type { NodeCompileContext, NodeCompileIssue, NodeInstance, NodeType } from '@touchline/journey';

/** Binds a config or fails the test with the schema's messages. */
export function bind(nodeType: NodeType, config: unknown): NodeInstance {
  const result = nodeType.instantiate(config);
  if (!result.ok) throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  return result.instance;
}

/** The schema's complaints about a config, as `path: message` lines. */
export function problems(nodeType: NodeType, config: unknown): string[] {
  const result = nodeType.instantiate(config);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

/** A compile context that records what a node reports. */
export function recordingContext(references: { templates?: string[]; segments?: string[] } = {}) {
  const issues: NodeCompileIssue[] = [];
  const templates = references.templates ? new Set(references.templates) : undefined;
  const segments = references.segments ? new Set(references.segments) : undefined;
  const ctx: NodeCompileContext = {
    nodeId: 'n1',
    report: (issue) => issues.push(issue),
    checkTemplate: (id, path) => {
      if (templates && !templates.has(id)) issues.push({ code: 'unknown_template', message: id, path });
    },
    checkSegment: (id, path) => {
      if (segments && !segments.has(id)) issues.push({ code: 'unknown_segment', message: id, path });
    },
    checkConditions: () => {},
  };
  return { ctx, issues };
}
