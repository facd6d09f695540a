import { describe, expect, it } from 'vitest';
import { priorityDecision } from './priority-guard.js';

const now = Date.UTC(2026, 0, 1, 12);
const hour = 3_600_000;
const send = { channel: 'email', journeyId: 'low', priority: 10 };

describe('priority between journeys', () => {
  it('suppresses a send when a higher-priority journey sent on the channel within the window', () => {
    const recent = [{ channel: 'email', journeyId: 'high', at: now - 10 * 60_000, priority: 50 }];
    expect(priorityDecision(send, recent, hour, now)).toMatchObject({
      send: false,
      reason: 'lower_priority',
    });
  });

  it('lets it through for equal or lower priority, another channel, outside the window, or no window', () => {
    const at = now - 60_000;
    expect(
      priorityDecision(send, [{ channel: 'email', journeyId: 'b', at, priority: 10 }], hour, now),
    ).toBeNull();
    expect(
      priorityDecision(send, [{ channel: 'email', journeyId: 'b', at, priority: 5 }], hour, now),
    ).toBeNull();
    expect(
      priorityDecision(send, [{ channel: 'sms', journeyId: 'b', at, priority: 90 }], hour, now),
    ).toBeNull();
    const old = [{ channel: 'email', journeyId: 'b', at: now - 2 * hour, priority: 90 }];
    expect(priorityDecision(send, old, hour, now)).toBeNull();
    expect(
      priorityDecision(send, [{ channel: 'email', journeyId: 'b', at, priority: 90 }], null, now),
    ).toBeNull();
  });

  it('counts a journey without a priority as 0', () => {
    const recent = [{ channel: 'email', journeyId: 'b', at: now - 60_000, priority: 1 }];
    expect(priorityDecision({ channel: 'email', journeyId: 'a' }, recent, hour, now)).toMatchObject({
      reason: 'lower_priority',
    });
  });
});
