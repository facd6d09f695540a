/**
 * Options for the suites, from the command line: `pnpm bench runtime --quick` runs a smaller
 * version of the load suites; `--enrollments=200000` sets the number of waiting enrollments, `--wake-rate=20000` how many come due per second.
 */
export interface BenchOptions {
  readonly quick: boolean;
  /** Waiting enrollments for the runtime's wake benchmark (default 1,000,000; 100,000 quick). */
  readonly enrollments: number;
  /**
   * `--parts=events,wakes,poll,rules`: run only these parts of the runtime suite (default all);
   * `latency`: only the latency cases of `events`.
   */
  readonly parts: ReadonlySet<string>;
  /**
   * `--wake-rate=20000`: how many waits come due per second in the wake benchmark (default 10,000,
   * the goal's rate). Above the goal it shows the headroom: at 10,000/s a runtime that keeps up
   * reports about 10,000/s however much faster it could go.
   */
  readonly wakeRate: number;
}

export function benchOptions(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const quick = argv.includes('--quick');
  const value = argv.find((arg) => arg.startsWith('--enrollments='))?.split('=')[1];
  const enrollments = value === undefined ? (quick ? 100_000 : 1_000_000) : Number(value.replace(/_/g, ''));
  if (!Number.isInteger(enrollments) || enrollments < 1_000)
    throw new Error(`--enrollments must be an integer ≥ 1000, not ${value}`);
  const parts = argv.find((arg) => arg.startsWith('--parts='))?.split('=')[1];
  const rate = argv.find((arg) => arg.startsWith('--wake-rate='))?.split('=')[1];
  const wakeRate = rate === undefined ? 10_000 : Number(rate.replace(/_/g, ''));
  if (!Number.isInteger(wakeRate) || wakeRate < 100)
    throw new Error(`--wake-rate must be an integer ≥ 100, not ${rate}`);
  return {
    wakeRate,
    quick,
    enrollments,
    parts: new Set(parts ? parts.split(',') : ['events', 'wakes', 'poll', 'rules']),
  };
}
