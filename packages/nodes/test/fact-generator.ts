import {
  type ConditionGroup,
  type ConditionLeaf,
  canonicalJson,
  forEachLeaf,
  type JourneyFacts,
} from '@touchline/journey';
import { pick } from './random.js';

type Json = Record<string, unknown>;
const DAY = 86_400_000;

function isJson(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function setPath(target: Json, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (isJson(next)) current = next;
    else {
      const created: Json = {};
      current[segment] = created;
      current = created;
    }
  }
  current[segments.at(-1)!] = value;
}

// Values near the leaf's own literal, so both outcomes of every comparison come up often, plus
// values of the wrong type and absent ones.
function candidates(leaf: ConditionLeaf, now: number): unknown[] {
  const { value, operator } = leaf;
  const dates = [-1, 0.5, 1, 2.9, 3, 3.1, 10].map((days) => new Date(now - days * DAY).toISOString());
  if (operator === 'withinLast' || operator === 'before' || operator === 'after') {
    return [...dates, now - DAY, 'not a date', null, undefined];
  }
  if (operator === 'exists') return ['x', 0, null, undefined];
  if (operator === 'contains' || operator === 'doesNotContain') {
    return [[value], ['other', value], ['other'], `pre-${String(value)}`, 'nothing', undefined];
  }
  if (Array.isArray(value)) return [...value, 'zzz', null, undefined];
  if (typeof value === 'number') return [value, value - 1, value + 1, 0, String(value), null, undefined];
  if (typeof value === 'string') return [value, `${value}x`, value.slice(0, 2), '', 7, undefined];
  if (typeof value === 'boolean') return [true, false, 'true', null, undefined];
  return ['a', 'b', 1, null, undefined];
}

export interface GeneratedFacts {
  /** Dynamic facts answer with a promise, as the runtime's database lookups do. */
  readonly facts: JourneyFacts;
  /** The same values, dynamic facts answering at once. */
  readonly atOnce: JourneyFacts;
  readonly describe: () => string;
}

/** Facts aimed at the given conditions and event names, drawn from `random`. */
export function generateFacts(
  random: () => number,
  input: {
    conditions: readonly ConditionGroup[];
    events: readonly string[];
    correlate?: string | undefined;
    now: number;
    delay?: () => Promise<void>;
  },
): GeneratedFacts {
  const event: Json = { event: pick(random, [...input.events, 'other_event']), properties: {} };
  const profile: Json = { traits: {}, computed: {} };
  const journey: Json = { triggerEvent: { event: 'cart_updated', properties: {} } };
  const statics: Record<string, Json> = { event, profile, journey };
  const dynamic = new Map<string, unknown>();
  for (const conditions of input.conditions) {
    forEachLeaf(conditions, '', (leaf) => {
      const sample = pick(random, candidates(leaf, input.now));
      if (leaf.fact === 'inSegment') dynamic.set(key(leaf), random() < 0.5);
      else if (leaf.fact === 'eventCount') dynamic.set(key(leaf), pick(random, [0, 1, 2, 3]));
      else if (leaf.fact === 'lastEvent') {
        const last: Json = { event: leaf.params.name, properties: {} };
        if (leaf.path) setPath(last, leaf.path, sample);
        dynamic.set(key(leaf), random() < 0.2 ? null : last);
      } else if (leaf.fact !== 'bucket' && leaf.path && random() < 0.85) {
        const target = statics[leaf.fact];
        if (target) setPath(target, leaf.path, sample);
      }
    });
  }
  if (input.correlate) {
    const shared = pick(random, ['c1', 'c2', 7]);
    const other = pick(random, [shared, 'c3', undefined, null]);
    setPath(journey, `triggerEvent.properties.${input.correlate}`, pick(random, [shared, undefined]));
    if (other !== undefined) setPath(event, `properties.${input.correlate}`, other);
  }
  const bucket = random() < 0.3 ? pick(random, [0, 0.1, 0.45, 0.5, 0.9, 0.999]) : random();
  const delay = input.delay ?? (() => Promise.resolve());
  const lookup = async (fact: string, params: unknown, fallback: unknown) => {
    await delay();
    const value = dynamic.get(`${fact}:${canonicalJson(params)}`);
    return value === undefined ? fallback : value;
  };
  const facts: JourneyFacts = {
    event,
    profile,
    journey,
    bucket,
    inSegment: async (params) => (await lookup('inSegment', params, false)) === true,
    eventCount: async (params) => Number(await lookup('eventCount', params, 0)),
    lastEvent: (params) => lookup('lastEvent', params, null),
  };
  // The same facts with dynamic facts that answer without a promise: the evaluator's synchronous path.
  const known = (fact: string, params: unknown, fallback: unknown) => {
    const value = dynamic.get(`${fact}:${canonicalJson(params)}`);
    return value === undefined ? fallback : value;
  };
  const atOnce: JourneyFacts = {
    event,
    profile,
    journey,
    bucket,
    inSegment: (params) => known('inSegment', params, false) === true,
    eventCount: (params) => Number(known('eventCount', params, 0)),
    lastEvent: (params) => known('lastEvent', params, null),
  };
  return {
    facts,
    atOnce,
    describe: () => JSON.stringify({ event, profile, journey, bucket, dynamic: [...dynamic] }),
  };
}

function key(leaf: ConditionLeaf): string {
  return `${leaf.fact}:${'params' in leaf ? canonicalJson(leaf.params) : ''}`;
}
