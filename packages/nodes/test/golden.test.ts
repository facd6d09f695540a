import { canonicalJson, compile } from '@touchline/journey';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../src/index.js';
import { fixtureNames, knownReferences, loadFixture, readGolden, writeGolden } from './fixtures.js';

// Regenerate after an intended change with: UPDATE_GOLDEN=1 pnpm vitest run packages/nodes
const update = process.env.UPDATE_GOLDEN === '1';
const registry = createBuiltinRegistry();

function compiledText(graph: unknown): string {
  const result = compile(graph, registry, knownReferences);
  if (!result.ok) throw new Error(`fixture does not compile: ${JSON.stringify(result.errors, null, 2)}`);
  return `${canonicalJson(result.compiled, 2)}\n`;
}

function shuffled<T>(items: readonly T[]): T[] {
  // Reversal plus rotation: a fixed, different order; no randomness in a golden test.
  const reversed = [...items].reverse();
  return [...reversed.slice(1), ...reversed.slice(0, 1)];
}

describe('golden compiled journeys', () => {
  it('has the four product fixtures', () => {
    expect(fixtureNames).toEqual(['abandoned-cart', 'vip-split', 'welcome-series', 'win-back']);
  });

  for (const name of fixtureNames) {
    it(`${name} compiles to its golden JSON`, () => {
      const text = compiledText(loadFixture(name));
      if (update) writeGolden(name, text);
      const golden = readGolden(name);
      expect(golden, `missing ${name}.golden.json; run with UPDATE_GOLDEN=1`).not.toBeNull();
      expect(text).toBe(golden);
    });

    it(`${name} compiles to the same bytes whatever the order of nodes, edges and keys`, () => {
      const graph = loadFixture(name);
      const reordered = {
        settings: Object.fromEntries(Object.entries(graph.settings).reverse()),
        edges: shuffled(graph.edges),
        nodes: shuffled(graph.nodes).map((node) => Object.fromEntries(Object.entries(node).reverse())),
        schemaVersion: graph.schemaVersion,
      };
      expect(compiledText(reordered)).toBe(compiledText(loadFixture(name)));
    });
  }
});
