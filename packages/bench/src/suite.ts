/** One line of the results table. */
export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
  /** Free text: the target, the ratio to the baseline. */
  readonly note: string;
  /** For load tests: how much work per second the case sustained (e.g. events). */
  readonly throughput?: { readonly perSecond: number; readonly unit: string };
}

/** A benchmark suite: `src/suites/<name>.ts` exports one as `suite`. */
export interface BenchSuite {
  readonly name: string;
  run(): BenchRow[] | Promise<BenchRow[]>;
}
