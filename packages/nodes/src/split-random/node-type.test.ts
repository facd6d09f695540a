import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { splitRandomNodeType } from './node-type.js';

describe('split.random', () => {
  const config = {
    branches: [
      { port: 'a', weight: 45 },
      { port: 'b', weight: 45 },
      { port: 'holdout', weight: 10, holdout: true },
    ],
  };

  it('turns weights into cumulative bucket thresholds, the last branch being the default', () => {
    const output = bind(splitRandomNodeType, config).compile(recordingContext().ctx);
    expect(output.rules).toEqual([
      { port: 'a', conditions: { all: [{ fact: 'bucket', operator: 'lessThan', value: 0.45 }] } },
      { port: 'b', conditions: { all: [{ fact: 'bucket', operator: 'lessThan', value: 0.9 }] } },
    ]);
    expect(output.defaultPort).toBe('holdout');
  });

  it('summarises the weights and the holdout', () => {
    expect(bind(splitRandomNodeType, config).summary()).toBe(
      'Random split a 45% / b 45% / holdout 10% (holdout)',
    );
  });

  it('requires weights adding up to 100 and two branches', () => {
    expect(
      problems(splitRandomNodeType, {
        branches: [
          { port: 'a', weight: 60 },
          { port: 'b', weight: 60 },
        ],
      }),
    ).toEqual(['branches: weights must add up to 100 (they add up to 120)']);
    expect(problems(splitRandomNodeType, { branches: [{ port: 'a', weight: 100 }] })).toEqual([
      'branches: a random split needs at least two branches',
    ]);
  });
});
