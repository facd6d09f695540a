import {
  type CompileOptions,
  type ConditionGroup,
  compile,
  conditionGroupSchema,
  EngineRuleEvaluator,
  evaluateNode,
} from '@touchline/journey';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../src/index.js';
import { group } from './condition-generator.js';
import { generateFacts } from './fact-generator.js';
import { fixtureNames, knownReferences, loadFixture } from './fixtures.js';
import { seededRandom } from './random.js';
import { branchingTypes, interpretNode } from './reference-interpreter.js';

const registry = createBuiltinRegistry();
const now = Date.parse('2025-06-01T12:00:00Z');
const RUNS_PER_NODE = 300;

interface GraphNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

function conditionsOf(node: GraphNode): ConditionGroup[] {
  const found: ConditionGroup[] = [];
  const config = node.config;
  if (config.conditions) found.push(conditionGroupSchema.parse(config.conditions));
  if (Array.isArray(config.branches)) {
    for (const branch of config.branches)
      if (branch.conditions) found.push(conditionGroupSchema.parse(branch.conditions));
  }
  return found;
}

function compiled(graph: unknown, references: CompileOptions = knownReferences) {
  const result = compile(graph, registry, references);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.compiled;
}

async function expectSamePorts(
  graph: { nodes: GraphNode[] },
  seed: number,
  runs: number,
  references: CompileOptions = knownReferences,
) {
  const journey = compiled(graph, references);
  const random = seededRandom(seed);
  let compared = 0;
  for (const node of graph.nodes.filter((candidate) => branchingTypes.has(candidate.type))) {
    // json-rules-engine itself, on the same compiled rules: the meaning the compiled functions keep.
    const compiledNode = journey.nodes[node.id]!;
    const engine = new EngineRuleEvaluator(compiledNode.rules);
    const events = typeof node.config.event === 'string' ? [node.config.event] : [];
    const correlate = typeof node.config.correlate === 'string' ? node.config.correlate : undefined;
    for (let run = 0; run < runs; run += 1) {
      const {
        facts,
        atOnce,
        describe: show,
      } = generateFacts(random, {
        conditions: conditionsOf(node),
        events,
        correlate,
        now,
      });
      const expected = await interpretNode(node, facts, now);
      const actual = await evaluateNode(journey, node.id, facts, { now });
      // Facts that answer at once: the compiled rules must decide without a promise, the same way.
      const immediate = evaluateNode(journey, node.id, atOnce, { now });
      const byEngine = await engine.evaluate(facts, now);
      const enginePort = byEngine ? byEngine.event.type : compiledNode.defaultPort;
      const immediatePort = immediate instanceof Promise ? 'a promise' : immediate.port;
      if (actual.port !== expected || enginePort !== expected || immediatePort !== expected) {
        throw new Error(
          `node ${node.id}: compiled rules took ${actual.port} (${immediatePort} with facts answering at once), json-rules-engine ${enginePort}, reference ${expected}, facts ${show()}`,
        );
      }
      compared += 1;
    }
  }
  return compared;
}

describe('compiled rules agree with json-rules-engine and the reference interpreter', () => {
  for (const [index, name] of fixtureNames.entries()) {
    it(`on every branching node of ${name}`, async () => {
      const compared = await expectSamePorts(loadFixture(name), 1000 + index, RUNS_PER_NODE);
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('on random condition trees in conditions and audience splits', async () => {
    const random = seededRandom(42);
    for (let journeyIndex = 0; journeyIndex < 40; journeyIndex += 1) {
      const graph = {
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } },
          {
            id: 'split',
            type: 'split.audience',
            config: { branches: ['a', 'b', 'c'].map((port) => ({ port, conditions: group(random, 3) })) },
            position: { x: 0, y: 0 },
          },
          {
            id: 'check',
            type: 'condition',
            config: { conditions: group(random, 3) },
            position: { x: 0, y: 0 },
          },
          { id: 'end', type: 'exit', config: {}, position: { x: 0, y: 0 } },
        ],
        edges: [
          { id: 'e0', source: 'start', sourcePort: 'out', target: 'split' },
          ...['a', 'b', 'c', 'else'].map((port) => ({
            id: `e_${port}`,
            source: 'split',
            sourcePort: port,
            target: 'check',
          })),
          { id: 'e_yes', source: 'check', sourcePort: 'yes', target: 'end' },
          { id: 'e_no', source: 'check', sourcePort: 'no', target: 'end' },
        ],
        settings: {},
      };
      await expectSamePorts(graph, journeyIndex, 60, {});
    }
  });

  it('under many concurrent evaluations with slow dynamic facts', async () => {
    const graph = loadFixture('vip-split');
    const journey = compiled(graph);
    const node = graph.nodes.find((candidate) => candidate.id === 'audience')!;
    const random = seededRandom(7);
    // Facts resolve after a timer, so thousands of runs interleave across priority levels: the
    // situation in which one shared json-rules-engine Engine skips rules.
    const delay = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
    const cases = Array.from({ length: 2000 }, () =>
      generateFacts(random, { conditions: conditionsOf(node), events: [], now, delay }),
    );
    const expected = await Promise.all(cases.map(({ facts }) => interpretNode(node, facts, now)));
    const actual = await Promise.all(
      cases.map(({ facts }) => evaluateNode(journey, node.id, facts, { now })),
    );
    expect(actual.map((decision) => decision.port)).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(2);
  });
});
