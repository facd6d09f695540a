#!/usr/bin/env node
// `pnpm test`: every check a change must pass, in order of speed — lint, types, unit and
// integration tests (vitest, real PostgreSQL), end-to-end tests (Playwright, Debian's Chromium) —
// then one closing line that counts the tests of both runners.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const reports = mkdtempSync(path.join(tmpdir(), 'touchline-test-reports-'));
const vitestReport = path.join(reports, 'vitest.json');
const playwrightReport = path.join(reports, 'playwright.json');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const only = process.argv[2];

const steps = [
  ['lint', ['exec', 'biome', 'check', '.']],
  ['typecheck', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']],
  [
    'unit + integration',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  ],
  [
    'e2e',
    ['exec', 'playwright', 'test', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
  ],
].filter(([name]) => !only || name.startsWith(only));

const started = Date.now();
let failedStep;
for (const [name, args, extraEnv] of steps) {
  process.stdout.write(`\n▶ ${name}\n`);
  const result = spawnSync('pnpm', args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    failedStep = name;
    process.stdout.write(`\n✖ ${name} failed (exit ${result.status ?? result.signal})\n`);
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestReport)) {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync(playwrightReport)) {
  const p = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += p.stats?.expected ?? 0;
  failed += (p.stats?.unexpected ?? 0) + (p.stats?.flaky ?? 0);
  skipped += p.stats?.skipped ?? 0;
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(`\nall checks ${failedStep ? `stopped at ${failedStep}` : 'done'} in ${seconds} s\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failedStep || failed > 0 ? 1 : 0);
