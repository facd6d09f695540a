import type { z } from 'zod';

/** A schema problem reduced to what a person needs: where, and what is wrong. */
export interface FieldIssue {
  /** Dotted path to the field, e.g. `branches.0.weight`; empty for the value itself. */
  readonly path: string;
  readonly message: string;
}

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

function isShapeMismatch(issue: Issue, depth: number): boolean {
  if (issue.code === 'unrecognized_keys') return issue.path.length === 0;
  return issue.code === 'invalid_type' && issue.path.length <= depth && issue.input === undefined;
}

// A union (a condition group, a schedule) reports every option's complaints. The option the
// author meant is the one whose complaints are least about its overall shape and reach deepest.
function pickUnionOption(options: readonly (readonly Issue[])[]): Issue[] {
  let best: Issue[] = [];
  let bestScore: [number, number, number] | null = null;
  for (const option of options) {
    const flat = flattenIssues(option);
    const mismatches = flat.filter((issue) => isShapeMismatch(issue, 1)).length;
    const depth = Math.max(0, ...flat.map((issue) => issue.path.length));
    const score: [number, number, number] = [mismatches, -depth, flat.length];
    if (!bestScore || compareScores(score, bestScore) < 0) {
      best = flat;
      bestScore = score;
    }
  }
  return best;
}

function compareScores(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function flattenIssues(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      for (const inner of pickUnionOption(issue.errors)) {
        out.push({ ...inner, path: [...issue.path, ...inner.path] });
      }
    } else {
      out.push(issue);
    }
  }
  return out;
}

function joinPath(path: readonly PathSegment[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/**
 * Turns zod issues into `{ path, message }` pairs, resolving union failures to the option the
 * author most plausibly meant, so the message names the field that is wrong.
 *
 * @example
 * const result = schema.safeParse(config);
 * if (!result.success) formatIssues(result.error.issues); // [{ path: 'duration', message: '"1h" is not ...' }]
 */
export function formatIssues(issues: readonly Issue[]): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of flattenIssues(issues)) {
    const entry = { path: joinPath(issue.path), message: issue.message };
    const key = `${entry.path}\u0000${entry.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  }
  return out;
}

/** `"branches.0.weight: must be positive"`, or just the message for the value itself. */
export function describeIssue(issue: FieldIssue, prefix?: string): string {
  const path = [prefix, issue.path].filter((part) => part).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
