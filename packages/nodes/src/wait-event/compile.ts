import {
  type Condition,
  eventNamed,
  type NodeCompileContext,
  type NodeCompileOutput,
  parseDuration,
} from '@touchline/journey';
import type { WaitEventConfig } from './schema.js';

/**
 * The `received` rule: the awaited event by name, the author's conditions, and — with
 * `correlate` — the same property value as the trigger event (read from
 * `journey.triggerEvent`). An absent value never correlates: undefined equals undefined, so
 * presence is checked first.
 */
export function compileWaitEvent(config: WaitEventConfig, ctx: NodeCompileContext): NodeCompileOutput {
  if (config.conditions) ctx.checkConditions(config.conditions, 'conditions');
  const eventPath = config.correlate ? `properties.${config.correlate}` : null;
  const triggerEventPath = config.correlate ? `triggerEvent.properties.${config.correlate}` : null;
  const all: Condition[] = [eventNamed(config.event)];
  if (config.conditions) all.push(config.conditions);
  if (eventPath && triggerEventPath) {
    all.push(
      { fact: 'event', path: eventPath, operator: 'exists', value: true },
      {
        fact: 'event',
        path: eventPath,
        operator: 'equal',
        value: { fact: 'journey', path: triggerEventPath },
      },
    );
  }
  return {
    rules: [{ port: 'received', conditions: { all } }],
    defaultPort: null,
    wait: {
      kind: 'event',
      event: config.event,
      correlate: eventPath && triggerEventPath ? { eventPath, triggerEventPath } : null,
      timeoutMs: parseDuration(config.timeout),
      receivedPort: 'received',
      timeoutPort: 'timeout',
    },
  };
}
