import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { waitDurationNodeType } from './node-type.js';

describe('wait.duration', () => {
  it('compiles to a wait in milliseconds that stays until the job fires', () => {
    const instance = bind(waitDurationNodeType, { duration: 'PT90M' });
    expect(instance.compile(recordingContext().ctx)).toEqual({
      defaultPort: null,
      wait: { kind: 'duration', durationMs: 5_400_000, port: 'out' },
    });
    expect(instance.summary()).toBe('Wait 1 hour 30 minutes');
  });

  it('refuses zero and malformed durations', () => {
    expect(problems(waitDurationNodeType, { duration: 'PT0S' })).toEqual([
      'duration: duration must be longer than zero',
    ]);
    expect(problems(waitDurationNodeType, { duration: '24h' })[0]).toMatch(
      /^duration: "24h" is not a valid ISO-8601/,
    );
  });
});
