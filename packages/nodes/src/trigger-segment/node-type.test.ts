import { describe, expect, it } from 'vitest';
import { bind, recordingContext } from '../../test/node-kit.js';
import { triggerSegmentNodeType } from './node-type.js';

describe('trigger.segment', () => {
  it('enters on "enter" by default and checks the segment exists', () => {
    const { ctx, issues } = recordingContext({ segments: ['seg_other'] });
    const instance = bind(triggerSegmentNodeType, { segmentId: 'seg_vip' });
    expect(instance.compile(ctx).trigger).toEqual({ kind: 'segment', segmentId: 'seg_vip', on: 'enter' });
    expect(issues).toEqual([{ code: 'unknown_segment', message: 'seg_vip', path: 'segmentId' }]);
    expect(instance.summary()).toBe('When a profile enters segment seg_vip');
  });
});
