import { describe, expect, it } from 'vitest';
import { bind, recordingContext } from '../../test/node-kit.js';
import { exitNodeType } from './node-type.js';

describe('exit', () => {
  it('has no ports and stays put', () => {
    const instance = bind(exitNodeType, {});
    expect(instance.ports).toEqual([]);
    expect(instance.compile(recordingContext().ctx)).toEqual({ defaultPort: null });
  });
});
