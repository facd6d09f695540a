import { compile, journeyGraphSchema } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { generateJourney } from '../generate-journey.js';
import { measure } from '../measure.js';
import type { BenchRow, BenchSuite } from '../suite.js';

const sizes: readonly [number, number][] = [
  [10, 1],
  [100, 5],
  [1000, 50],
];

/**
 * Compile time of generated journeys against the targets, with the same-run reference: a copy
 * plus the document schema parse, the least any validating load of the JSON has to do.
 */
export const suite: BenchSuite = {
  name: 'compile',
  run() {
    const registry = createBuiltinRegistry();
    const rows: BenchRow[] = [];
    for (const [size, targetMs] of sizes) {
      const graph = generateJourney(size);
      const check = compile(graph, registry);
      if (!check.ok)
        throw new Error(
          `generated ${size}-node journey does not compile: ${JSON.stringify(check.errors[0])}`,
        );
      const baseline = measure(() => journeyGraphSchema.parse(JSON.parse(JSON.stringify(graph))));
      const timing = measure(() => compile(graph, registry));
      rows.push({
        suite: 'compile',
        case: `baseline ${size} nodes (copy + schema parse)`,
        ...baseline,
        note: '',
      });
      rows.push({
        suite: 'compile',
        case: `compile ${size} nodes`,
        ...timing,
        note: `target ≤ ${targetMs} ms: ${timing.medianMs <= targetMs ? 'met' : 'MISSED'}; ${(timing.medianMs / baseline.medianMs).toFixed(1)}× baseline`,
      });
    }
    return rows;
  },
};
