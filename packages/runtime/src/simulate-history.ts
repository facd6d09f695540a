import { type JourneyFacts, parseDuration, resolvePath } from '@touchline/journey';
import type { EventFact } from './facts.js';

export type SimulatedFacts = Required<Pick<JourneyFacts, 'eventCount' | 'lastEvent' | 'inSegment'>>;

/**
 * The dynamic facts of a simulated person, answered from the simulated timeline instead of the
 * events table: `seen` holds the events that have happened by `now` (the current one included,
 * as the live runtime stores an event before deciding on it). `inSegment` is true only for the
 * segments the caller says the person is in.
 */
export function simulatedHistory(
  seen: readonly EventFact[],
  now: Date,
  segments: ReadonlySet<string>,
): SimulatedFacts {
  const named = (name: string) => seen.filter((e) => e.event === name);
  return {
    eventCount: ({ name, where, within }) => {
      const since = within ? now.getTime() - parseDuration(within) : Number.NEGATIVE_INFINITY;
      return named(name).filter((e) => Date.parse(e.timestamp) >= since && matchesWhere(e.properties, where))
        .length;
    },
    lastEvent: ({ name }) => {
      let last: EventFact | undefined;
      for (const e of named(name)) {
        if (!last || Date.parse(e.timestamp) >= Date.parse(last.timestamp)) last = e;
      }
      return last
        ? { event: name, properties: last.properties, timestamp: last.timestamp, messageId: last.messageId }
        : null;
    },
    inSegment: ({ segmentId }) => segments.has(segmentId),
  };
}

/** `where: { "properties.category": "shoes" }`: each path (with or without `properties.`) equals. */
function matchesWhere(
  properties: Readonly<Record<string, unknown>>,
  where: Record<string, unknown> | undefined,
): boolean {
  return Object.entries(where ?? {}).every(
    ([path, value]) => resolvePath(properties, path.replace(/^properties\./, '')) === value,
  );
}
