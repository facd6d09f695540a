import { describe, expect, it } from 'vitest';
import { bind, problems } from '../../test/node-kit.js';
import { notifyTeamNodeType } from './node-type.js';

describe('notify.team', () => {
  it('names the channel and the message', () => {
    expect(bind(notifyTeamNodeType, { channel: 'slack:#vip', message: 'Big order' }).summary()).toBe(
      'Notify slack:#vip: Big order',
    );
    expect(problems(notifyTeamNodeType, { channel: 'slack:#vip', message: '' })).toEqual([
      'message: write the message',
    ]);
  });
});
