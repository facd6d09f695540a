import { factValueAtPath, interpretCondition, type JourneyFacts } from '@touchline/journey';
import {
  conditionConfigSchema,
  splitAudienceConfigSchema,
  splitRandomConfigSchema,
  triggerEventConfigSchema,
  waitEventConfigSchema,
} from '../src/index.js';

interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly config: unknown;
}

/**
 * What a branching node of the *graph* means, written straight from DESIGN.md without the
 * compiler or json-rules-engine: the oracle for the differential test.
 */
export async function interpretNode(
  node: GraphNode,
  facts: JourneyFacts,
  now: number,
): Promise<string | null> {
  switch (node.type) {
    case 'trigger.event': {
      const config = triggerEventConfigSchema.parse(node.config);
      if (factValueAtPath(facts.event, 'event') !== config.event) return null;
      return !config.conditions || (await interpretCondition(config.conditions, facts, now)) ? 'out' : null;
    }
    case 'condition': {
      const config = conditionConfigSchema.parse(node.config);
      return (await interpretCondition(config.conditions, facts, now)) ? 'yes' : 'no';
    }
    case 'split.audience': {
      const config = splitAudienceConfigSchema.parse(node.config);
      for (const branch of config.branches) {
        if (await interpretCondition(branch.conditions, facts, now)) return branch.port;
      }
      return 'else';
    }
    case 'split.random': {
      const config = splitRandomConfigSchema.parse(node.config);
      let upTo = 0;
      for (const branch of config.branches) {
        upTo += branch.weight;
        if (typeof facts.bucket === 'number' && facts.bucket < upTo / 100) return branch.port;
      }
      return config.branches.at(-1)!.port;
    }
    case 'wait.event': {
      const config = waitEventConfigSchema.parse(node.config);
      if (factValueAtPath(facts.event, 'event') !== config.event) return null;
      if (config.conditions && !(await interpretCondition(config.conditions, facts, now))) return null;
      if (config.correlate) {
        const mine = factValueAtPath(facts.event, `properties.${config.correlate}`);
        const theirs = factValueAtPath(facts.journey, `triggerEvent.properties.${config.correlate}`);
        if (mine === undefined || mine === null || mine !== theirs) return null;
      }
      return 'received';
    }
    default:
      throw new Error(`the reference interpreter does not branch on ${node.type}`);
  }
}

/** Node types whose port is decided by rules, i.e. those the differential test compares. */
export const branchingTypes = new Set([
  'trigger.event',
  'condition',
  'split.audience',
  'split.random',
  'wait.event',
]);
