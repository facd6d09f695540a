import { describe, expect, it } from 'vitest';
import { edge, node, testRegistry } from '../../test/node-types.js';
import { compile } from './compile.js';

const always = { all: [{ fact: 'profile', path: 'x', operator: 'exists', value: true }] };

describe('loops', () => {
  it('a loop of conditions with no wait is refused, naming its members', () => {
    const result = compile(
      {
        schemaVersion: 1,
        nodes: [
          node('s', 'test.start'),
          node('a', 'test.check', { conditions: always }),
          node('b', 'test.check', { conditions: always }),
          node('z', 'test.end'),
        ],
        edges: [
          edge('s', 'out', 'a'),
          edge('a', 'yes', 'b'),
          edge('a', 'no', 'z'),
          edge('b', 'yes', 'a'),
          edge('b', 'no', 'z'),
        ],
      },
      testRegistry,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          nodeId: 'a',
          code: 'cycle_without_wait',
          message: expect.stringContaining('"a", "b"'),
        }),
      ],
    });
  });

  it('a node looping on itself is a loop', () => {
    const result = compile(
      {
        schemaVersion: 1,
        nodes: [
          node('s', 'test.start'),
          node('a', 'test.check', { conditions: always }),
          node('z', 'test.end'),
        ],
        edges: [edge('s', 'out', 'a'), edge('a', 'yes', 'a'), edge('a', 'no', 'z')],
      },
      testRegistry,
    );
    expect(result.ok === false && result.errors.map((error) => error.code)).toEqual(['cycle_without_wait']);
  });

  it('a loop through a wait compiles', () => {
    const result = compile(
      {
        schemaVersion: 1,
        nodes: [
          node('s', 'test.start'),
          node('a', 'test.check', { conditions: always }),
          node('w', 'test.pause', { duration: 'P1D' }),
          node('z', 'test.end'),
        ],
        edges: [edge('s', 'out', 'a'), edge('a', 'yes', 'w'), edge('w', 'out', 'a'), edge('a', 'no', 'z')],
      },
      testRegistry,
    );
    expect(result.ok).toBe(true);
  });

  it('handles a 5,000-node chain without overflowing the stack', () => {
    const ids = Array.from({ length: 5000 }, (_, index) => `n${index}`);
    const result = compile(
      {
        schemaVersion: 1,
        nodes: [
          node('s', 'test.start'),
          ...ids.map((id) => node(id, 'test.pause', { duration: 'PT1M' })),
          node('z', 'test.end'),
        ],
        edges: [edge('s', 'out', 'n0'), ...ids.map((id, index) => edge(id, 'out', ids[index + 1] ?? 'z'))],
      },
      testRegistry,
    );
    expect(result.ok).toBe(true);
  });
});
