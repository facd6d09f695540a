/**
 * Loaded into the Touchline process by the runtime suite (`--import`): how long its event loop
 * was held up. SIGUSR2 prints what was seen since the previous SIGUSR2 (or start-up) as one
 * stderr line `[loop-probe] {json}` and starts again, so the bench brackets its measured window
 * with two signals. Delay: perf_hooks' event-loop delay histogram (10 ms resolution: a loop never
 * held up reads 10 ms); busy: the event loop utilisation over the window.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let utilisation = performance.eventLoopUtilization();

process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const busy = performance.eventLoopUtilization(utilisation);
  const report = {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
    mean: ms(histogram.mean),
    busy: Math.round(busy.utilization * 1000) / 1000,
  };
  process.stderr.write(`[loop-probe] ${JSON.stringify(report)}\n`);
  histogram.reset();
  utilisation = performance.eventLoopUtilization();
});
