import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { triggerEventNodeType } from './node-type.js';

describe('trigger.event', () => {
  it('compiles to a rule that checks the event name, then the conditions', () => {
    const conditions = {
      all: [{ fact: 'event', path: 'properties.cart_value', operator: 'greaterThan', value: 0 }],
    };
    const output = bind(triggerEventNodeType, { event: 'cart_updated', conditions }).compile(
      recordingContext().ctx,
    );
    expect(output.trigger).toEqual({ kind: 'event', event: 'cart_updated' });
    expect(output.rules).toEqual([
      {
        port: 'out',
        conditions: {
          all: [{ fact: 'event', path: 'event', operator: 'equal', value: 'cart_updated' }, conditions],
        },
      },
    ]);
    expect(output.defaultPort).toBeNull();
  });

  it('summarises the event and its conditions', () => {
    const instance = bind(triggerEventNodeType, {
      event: 'signed_up',
      conditions: { all: [{ fact: 'profile', path: 'traits.email', operator: 'exists', value: true }] },
    });
    expect(instance.summary()).toBe('When signed_up where profile.traits.email exists true');
  });

  it('requires an event name', () => {
    expect(problems(triggerEventNodeType, { event: '' })).toEqual([
      'event: name the event that starts the journey',
    ]);
  });
});
