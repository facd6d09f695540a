import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "source" condition, so tests
// run against src/ with no build step.
const conditions = ['source', 'module', 'node', 'development|production'];

export const globalSetup = fileURLToPath(new URL('./src/global-setup.ts', import.meta.url));

export function vitestConfig(include: string[]) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['source'] } },
    test: {
      include,
      globalSetup: [globalSetup],
      environment: 'node',
      pool: 'forks',
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
