import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { splitAudienceNodeType } from './node-type.js';

const vip = {
  any: [{ fact: 'inSegment', params: { segmentId: 'seg_vip' }, operator: 'equal', value: true }],
};
const loyal = {
  all: [{ fact: 'profile', path: 'computed.orders_count', operator: 'greaterThan', value: 2 }],
};

describe('split.audience', () => {
  it('has one port per branch, then else', () => {
    const instance = bind(splitAudienceNodeType, {
      branches: [
        { port: 'vip', conditions: vip },
        { port: 'loyal', conditions: loyal },
      ],
    });
    expect(instance.ports).toEqual(['vip', 'loyal', 'else']);
  });

  it('compiles branches to rules in order, with else as the default', () => {
    const output = bind(splitAudienceNodeType, {
      branches: [
        { port: 'vip', conditions: vip },
        { port: 'loyal', conditions: loyal },
      ],
    }).compile(recordingContext().ctx);
    expect(output.rules?.map((rule) => rule.port)).toEqual(['vip', 'loyal']);
    expect(output.defaultPort).toBe('else');
  });

  it('refuses duplicate ports and a branch named else', () => {
    expect(
      problems(splitAudienceNodeType, {
        branches: [
          { port: 'a', conditions: vip },
          { port: 'a', conditions: vip },
        ],
      }),
    ).toEqual(['branches: each branch needs its own port name']);
    expect(problems(splitAudienceNodeType, { branches: [{ port: 'else', conditions: vip }] })).toEqual([
      'branches.0.port: "else" is reserved for the fallback',
    ]);
  });
});
