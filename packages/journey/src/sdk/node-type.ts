import type { z } from 'zod';
import { type FieldIssue, formatIssues } from '../graph/format-issues.js';
import type { NodeCompileContext, NodeCompileOutput } from './compile-types.js';
import type { NodeRunContext, NodeRunResult } from './run-types.js';

/** The palette groups of DESIGN.md. A `wait` node is what lets a cycle through. */
export type NodeCategory = 'trigger' | 'condition' | 'split' | 'wait' | 'action' | 'flow';

/** Upgrades a node's config from `toVersion - 1` to `toVersion`. Configs are old JSON, hence unknown. */
export interface NodeConfigMigration {
  readonly toVersion: number;
  readonly description: string;
  up(config: unknown): unknown;
}

/** What a node type author writes; see {@link defineNodeType}. */
export interface NodeTypeSpec<S extends z.ZodType> {
  /** Public, stable id such as `send.email`; journeys refer to it. */
  readonly type: string;
  /** Current config version; bump it with a migration when the config shape changes. */
  readonly version: number;
  readonly category: NodeCategory;
  readonly label: string;
  readonly description?: string;
  readonly configSchema: S;
  /** The config a node gets when dropped on the canvas. */
  readonly defaults?: z.input<S>;
  /** Out-ports, fixed or derived from the config (a split has one port per branch). */
  readonly ports: readonly string[] | ((config: z.output<S>) => readonly string[]);
  /** For config-derived ports: how they derive, for the editor ("one per branch, then else"). */
  readonly portsNote?: string;
  /** Ordered: one per version step, `toVersion` 2 … `version`. */
  readonly migrations?: readonly NodeConfigMigration[];
  /** One line for the canvas, e.g. "Wait 1 hour for order_completed". */
  readonly summary?: (config: z.output<S>) => string;
  readonly compile: (config: z.output<S>, ctx: NodeCompileContext) => NodeCompileOutput;
  /** Runtime behaviour; arrives with the runtime issue. */
  readonly run?: (config: z.output<S>, ctx: NodeRunContext) => Promise<NodeRunResult>;
}

/** A node type bound to one parsed config; the closures keep the config's type. */
export interface NodeInstance {
  /** The parsed config (defaults applied), as plain data. */
  readonly config: unknown;
  readonly ports: readonly string[];
  summary(): string;
  compile(ctx: NodeCompileContext): NodeCompileOutput;
  run?(ctx: NodeRunContext): Promise<NodeRunResult>;
}

export type NodeInstanceResult =
  | { readonly ok: true; readonly instance: NodeInstance }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

/** A registered node type with its config type erased; `instantiate` restores it safely. */
export interface NodeType {
  readonly type: string;
  readonly version: number;
  readonly category: NodeCategory;
  readonly label: string;
  readonly description: string | undefined;
  readonly configSchema: z.ZodType;
  readonly defaults: unknown;
  readonly staticPorts: readonly string[] | null;
  readonly portsNote: string | undefined;
  readonly migrations: readonly NodeConfigMigration[];
  /** Parses a (current-version) config and binds it. */
  instantiate(config: unknown): NodeInstanceResult;
}

function assertValidSpec<S extends z.ZodType>(spec: NodeTypeSpec<S>): void {
  if (!/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/.test(spec.type)) {
    throw new Error(`node type id "${spec.type}" must be lower-case dotted words, e.g. "send.email"`);
  }
  if (!Number.isInteger(spec.version) || spec.version < 1) {
    throw new Error(`node type "${spec.type}": version must be an integer ≥ 1`);
  }
  const steps = (spec.migrations ?? []).map((migration) => migration.toVersion);
  const expected = Array.from({ length: spec.version - 1 }, (_, index) => index + 2);
  if (steps.join() !== expected.join()) {
    throw new Error(
      `node type "${spec.type}" v${spec.version} needs migrations to versions [${expected.join(', ')}] in order, got [${steps.join(', ')}]`,
    );
  }
  if (Array.isArray(spec.ports) && new Set(spec.ports).size !== spec.ports.length) {
    throw new Error(`node type "${spec.type}" declares a port twice`);
  }
}

/**
 * Declares a node type. Built-in and custom types use this same function; register the result
 * with `createRegistry`.
 *
 * @example
 * const addPoints = defineNodeType({
 *   type: 'loyalty.add_points',
 *   version: 1,
 *   category: 'action',
 *   label: 'Add loyalty points',
 *   configSchema: z.strictObject({ points: z.int().min(1) }),
 *   ports: ['out'],
 *   summary: (config) => `Add ${config.points} points`,
 *   compile: () => ({ defaultPort: 'out' }),
 * });
 */
export function defineNodeType<S extends z.ZodType>(spec: NodeTypeSpec<S>): NodeType {
  assertValidSpec(spec);
  const { ports, summary, compile, run } = spec;
  return Object.freeze({
    type: spec.type,
    version: spec.version,
    category: spec.category,
    label: spec.label,
    description: spec.description,
    configSchema: spec.configSchema,
    defaults: spec.defaults,
    staticPorts: typeof ports === 'function' ? null : ports,
    portsNote: spec.portsNote,
    migrations: spec.migrations ?? [],
    instantiate(raw: unknown): NodeInstanceResult {
      const parsed = spec.configSchema.safeParse(raw);
      if (!parsed.success) return { ok: false, issues: formatIssues(parsed.error.issues) };
      const config = parsed.data;
      const instance: NodeInstance = {
        config,
        ports: typeof ports === 'function' ? ports(config) : ports,
        summary: () => (summary ? summary(config) : spec.label),
        compile: (ctx) => compile(config, ctx),
        ...(run ? { run: (ctx: NodeRunContext) => run(config, ctx) } : {}),
      };
      return { ok: true, instance };
    },
  });
}
