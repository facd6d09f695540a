import { compile } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { describe, expect, it } from 'vitest';
import { generateJourney } from './generate-journey.js';

describe('generateJourney', () => {
  it.each([10, 100, 1000])('makes a valid %i-node journey', (size) => {
    const graph = generateJourney(size);
    expect(graph.nodes).toHaveLength(size);
    expect(compile(graph, createBuiltinRegistry()).ok).toBe(true);
  });
});
