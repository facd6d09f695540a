import { describe, expect, it } from 'vitest';
import { WakeFloor } from './wake-floor.js';

const at = (ms: number) => new Date(ms);

describe('WakeFloor', () => {
  it('starts at the beginning of the index and rises to the earliest timer taken, less the margin', () => {
    const floor = new WakeFloor({ marginMs: 1_000, now: () => 0 });
    expect(floor.value).toBeNull();
    floor.advance([{ wakeAt: at(50_000) }, { wakeAt: at(40_000) }, {}]);
    expect(floor.value).toEqual(at(39_000));
  });

  it('never falls on a claim of earlier timers, and ignores claims of jobs alone', () => {
    const floor = new WakeFloor({ marginMs: 0, now: () => 0 });
    floor.advance([{ wakeAt: at(40_000) }]);
    floor.advance([{ wakeAt: at(10_000) }]);
    floor.advance([{}]);
    expect(floor.value).toEqual(at(40_000));
  });

  it('is dropped by a rollback, and every resetMs in any case', () => {
    let now = 0;
    const floor = new WakeFloor({ marginMs: 0, resetMs: 10_000, now: () => now });
    floor.advance([{ wakeAt: at(40_000) }]);
    floor.drop();
    expect(floor.value).toBeNull();
    floor.advance([{ wakeAt: at(40_000) }]);
    now = 9_999;
    expect(floor.value).toEqual(at(40_000));
    now = 10_000;
    expect(floor.value).toBeNull();
  });
});
