import type { ConditionGroup, ConditionLeaf } from '../conditions/schema.js';
import { factsOf } from '../conditions/walk.js';
import { parseDuration } from '../duration.js';
import type { JourneySettings } from '../graph/settings.js';
import type { NodeCompileOutput, RuleSpec } from '../sdk/compile-types.js';
import { sortKeysDeep } from './canonical.js';
import type { Wiring } from './check-edges.js';
import {
  COMPILED_FORMAT_VERSION,
  type CompiledJourney,
  type CompiledNode,
  type CompiledRule,
} from './compiled-journey.js';
import type { ResolvedNode } from './instantiate-nodes.js';

/** The leaf that matches an event by name: `event.event === name`. */
export function eventNamed(name: string): ConditionLeaf {
  return { fact: 'event', path: 'event', operator: 'equal', value: name };
}

// Priorities count down from the list length so the first rule listed is evaluated first;
// json-rules-engine requires them to be ≥ 1.
function toRules(nodeId: string, specs: readonly RuleSpec[]): CompiledRule[] {
  const names = new Set<string>();
  return specs.map((spec, index) => {
    let name = `${nodeId}:${spec.port}`;
    if (names.has(name)) name = `${name}#${index}`;
    names.add(name);
    return { name, priority: specs.length - index, conditions: spec.conditions, event: { type: spec.port } };
  });
}

function compileNode(
  entry: ResolvedNode,
  ports: ReadonlyMap<string, string> | undefined,
  output: NodeCompileOutput,
) {
  const instance = entry.instance!;
  const rules = toRules(entry.node.id, output.rules ?? []);
  const next: Record<string, string> = {};
  for (const port of [...instance.ports].sort()) {
    const target = ports?.get(port);
    if (target !== undefined) next[port] = target;
  }
  const node: CompiledNode = {
    type: entry.node.type,
    typeVersion: entry.nodeType!.version,
    category: entry.nodeType!.category,
    label: entry.node.label ?? null,
    config: sortKeysDeep(instance.config),
    ports: instance.ports,
    next,
    rules,
    defaultPort: output.defaultPort ?? null,
    facts: factsOf(rules.map((rule) => rule.conditions)),
    wait: output.wait ?? null,
  };
  return node;
}

function singleRule(name: string, type: string, conditions: ConditionGroup, priority = 1): CompiledRule {
  return { name, priority, conditions, event: { type } };
}

/** Builds the compiled journey from a graph that passed every check. Keys are inserted sorted. */
export function assemble(
  schemaVersion: number,
  triggerId: string,
  nodes: ReadonlyMap<string, ResolvedNode>,
  wiring: Wiring,
  outputs: ReadonlyMap<string, NodeCompileOutput>,
  settings: JourneySettings,
): CompiledJourney {
  const compiledNodes: Record<string, CompiledNode> = {};
  const waitingOn: Record<string, string[]> = {};
  for (const nodeId of [...nodes.keys()].sort()) {
    const node = compileNode(nodes.get(nodeId)!, wiring.get(nodeId), outputs.get(nodeId) ?? {});
    compiledNodes[nodeId] = node;
    if (node.wait?.kind === 'event') {
      const waiting = waitingOn[node.wait.event] ?? [];
      waiting.push(nodeId);
      waitingOn[node.wait.event] = waiting;
    }
  }
  const triggerNode = compiledNodes[triggerId]!;
  const plan = outputs.get(triggerId)?.trigger ?? { kind: 'api' };
  const triggerRule = triggerNode.rules[0];
  const exitEvents = [...new Set(settings.exitOn ?? [])].sort();
  const { goal } = settings;
  return {
    format: COMPILED_FORMAT_VERSION,
    schemaVersion,
    trigger: { ...plan, nodeId: triggerId, type: triggerNode.type },
    triggers:
      plan.kind === 'event' && triggerRule ? { [plan.event]: { nodeId: triggerId, rule: triggerRule } } : {},
    nodes: compiledNodes,
    waitingOn,
    exit: {
      events: exitEvents,
      rules: exitEvents.map((event, index) =>
        singleRule(`exit:${event}`, 'exit', { all: [eventNamed(event)] }, exitEvents.length - index),
      ),
    },
    goal: goal
      ? {
          event: goal.event,
          withinMs: parseDuration(goal.within),
          rules: [
            singleRule('goal', 'goal', {
              all: goal.conditions ? [eventNamed(goal.event), goal.conditions] : [eventNamed(goal.event)],
            }),
          ],
        }
      : null,
    settings,
    timing: {
      cooldownMs: settings.cooldown ? parseDuration(settings.cooldown) : null,
      frequencyCapPerMs: settings.frequencyCap ? parseDuration(settings.frequencyCap.per) : null,
    },
  };
}
