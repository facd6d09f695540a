import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Workspace packages export their TypeScript sources under the "source" condition. Vitest's
 * runners do not all honour custom conditions, so each workspace package's source entry points
 * are turned into aliases: tests run against src/ with no build step.
 */
function workspaceAliases(): Array<{ find: RegExp; replacement: string }> {
  const aliases: Array<{ find: RegExp; replacement: string }> = [];
  for (const group of ['apps', 'packages']) {
    for (const dir of readdirSync(path.join(root, group))) {
      const manifestPath = path.join(root, group, dir, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        name: string;
        exports?: Record<string, { source?: string } | string>;
      };
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (typeof target !== 'object' || !target.source) continue;
        const specifier = path.posix.join(manifest.name, subpath);
        const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        aliases.push({
          find: new RegExp(`^${escaped}$`),
          replacement: path.join(root, group, dir, target.source),
        });
      }
    }
  }
  return aliases;
}

export const globalSetup = fileURLToPath(new URL('./src/global-setup.ts', import.meta.url));

export function vitestConfig(include: string[]) {
  return defineConfig({
    resolve: { alias: workspaceAliases() },
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
