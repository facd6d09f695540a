import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { waitEventNodeType } from './node-type.js';

describe('wait.event', () => {
  it('correlates the awaited event with the trigger event by property', () => {
    const output = bind(waitEventNodeType, {
      event: 'order_completed',
      correlate: 'cart_id',
      timeout: 'PT1H',
    }).compile(recordingContext().ctx);
    expect(output.rules).toEqual([
      {
        port: 'received',
        conditions: {
          all: [
            { fact: 'event', path: 'event', operator: 'equal', value: 'order_completed' },
            { fact: 'event', path: 'properties.cart_id', operator: 'exists', value: true },
            {
              fact: 'event',
              path: 'properties.cart_id',
              operator: 'equal',
              value: { fact: 'journey', path: 'triggerEvent.properties.cart_id' },
            },
          ],
        },
      },
    ]);
    expect(output.defaultPort).toBeNull();
    expect(output.wait).toEqual({
      kind: 'event',
      event: 'order_completed',
      correlate: { eventPath: 'properties.cart_id', triggerEventPath: 'triggerEvent.properties.cart_id' },
      timeoutMs: 3_600_000,
      receivedPort: 'received',
      timeoutPort: 'timeout',
    });
  });

  it('reads as one line on the canvas', () => {
    expect(
      bind(waitEventNodeType, { event: 'order_completed', correlate: 'cart_id', timeout: 'PT1H' }).summary(),
    ).toBe('Wait 1 hour for order_completed (same cart_id)');
  });

  it('needs a timeout', () => {
    expect(problems(waitEventNodeType, { event: 'order_completed' })).toEqual([
      'timeout: Invalid input: expected string, received undefined',
    ]);
  });
});
