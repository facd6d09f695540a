import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { triggerApiNodeType } from './node-type.js';

describe('trigger.api', () => {
  it('enrolls by out and takes no settings', () => {
    expect(bind(triggerApiNodeType, {}).compile(recordingContext().ctx)).toEqual({
      defaultPort: 'out',
      trigger: { kind: 'api' },
    });
    expect(problems(triggerApiNodeType, { event: 'x' })).toEqual([': Unrecognized key: "event"']);
  });
});
