import { describe, expect, it } from 'vitest';
import { bind, problems } from '../../test/node-kit.js';
import { profileUpdateNodeType } from './node-type.js';

describe('profile.update', () => {
  it('summarises traits set and tags changed', () => {
    const instance = bind(profileUpdateNodeType, {
      set: { loyalty_tier: 'silver' },
      addTags: ['vip'],
      removeTags: ['lead'],
    });
    expect(instance.summary()).toBe('set loyalty_tier, tag vip, untag lead');
  });

  it('refuses an update that changes nothing', () => {
    expect(problems(profileUpdateNodeType, { set: {} })).toEqual([': set a trait or add or remove a tag']);
  });
});
