import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { conditionNodeType } from './node-type.js';

const conditions = {
  all: [
    { fact: 'eventCount', params: { name: 'order_completed', within: 'P2D' }, operator: 'equal', value: 0 },
    { not: { fact: 'profile', path: 'traits.vip', operator: 'equal', value: true } },
  ],
};

describe('condition', () => {
  it('goes yes when its rule holds and no otherwise', () => {
    const output = bind(conditionNodeType, { conditions }).compile(recordingContext().ctx);
    expect(output).toEqual({ rules: [{ port: 'yes', conditions }], defaultPort: 'no' });
  });

  it('summarises the conditions in words', () => {
    const summary = bind(conditionNodeType, { conditions }).summary();
    expect(summary).toMatch(/^If count of order_completed in 2 days equal 0 and not profile\.traits\.vip/);
    expect(summary.length).toBeLessThanOrEqual(80);
  });

  it('names the leaf whose value does not suit its operator', () => {
    expect(
      problems(conditionNodeType, {
        conditions: { any: [{ fact: 'profile', path: 'traits.seen_at', operator: 'withinLast', value: 7 }] },
      }),
    ).toEqual(['conditions.any.0.value: operator withinLast needs a duration such as P7D']);
  });
});
