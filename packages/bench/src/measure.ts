export interface Timing {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * Times `task`: warms it up first (so the JIT has compiled it), then runs it until both
 * `minRuns` and `minMs` are reached, and reports the median and 95th percentile.
 */
export function measure(
  task: () => unknown,
  options: { warmup?: number; minRuns?: number; minMs?: number } = {},
): Timing {
  const { warmup = 50, minRuns = 200, minMs = 1000 } = options;
  for (let index = 0; index < warmup; index += 1) task();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRuns || performance.now() - started < minMs) {
    const before = performance.now();
    task();
    samples.push(performance.now() - before);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), runs: samples.length };
}
