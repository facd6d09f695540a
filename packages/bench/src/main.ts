import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSuite } from './suite.js';

function isSuite(value: unknown): value is BenchSuite {
  return (
    value !== null &&
    typeof value === 'object' &&
    'name' in value &&
    'run' in value &&
    typeof value.run === 'function'
  );
}

// Three decimals, or three significant digits below 0.1 ms (per-event rule times are ~0.0001 ms).
const ms = (value: number) => (value > 0 && value < 0.1 ? value.toPrecision(3) : value.toFixed(3));

function table(rows: readonly BenchRow[]): string {
  // The throughput column appears only when a suite that measures one ran.
  const withThroughput = rows.some((row) => row.throughput);
  const throughput = (row: BenchRow) =>
    row.throughput
      ? `${Math.round(row.throughput.perSecond).toLocaleString('en-US')} ${row.throughput.unit}/s`
      : '';
  const header = [
    'suite',
    'case',
    'median ms',
    'p95 ms',
    'runs',
    ...(withThroughput ? ['throughput'] : []),
    'note',
  ];
  const cells = rows.map((row) => [
    row.suite,
    row.case,
    ms(row.medianMs),
    ms(row.p95Ms),
    String(row.runs),
    ...(withThroughput ? [throughput(row)] : []),
    row.note,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const format = (line: readonly string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...cells.map(format)].join('\n');
}

// Suites are the files in src/suites; `pnpm bench compile` runs only the named ones. Arguments
// starting with `--` are options for the suites (see options.ts).
const only = new Set(process.argv.slice(2).filter((arg) => !arg.startsWith('--')));
const directory = fileURLToPath(new URL('./suites/', import.meta.url));
const rows: BenchRow[] = [];
for (const file of readdirSync(directory)
  .filter((name) => /\.ts$/.test(name) && !name.endsWith('.test.ts'))
  .sort()) {
  const module: unknown = await import(new URL(`./suites/${file}`, import.meta.url).href);
  const suite = module !== null && typeof module === 'object' && 'suite' in module ? module.suite : undefined;
  if (!isSuite(suite)) throw new Error(`${file} does not export a suite`);
  if (only.size > 0 && !only.has(suite.name)) continue;
  rows.push(...(await suite.run()));
}
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
console.log(table(rows));
