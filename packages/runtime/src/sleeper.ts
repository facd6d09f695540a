/**
 * Sleeps that a polling loop's stop can cut short: `sleep(ms)` waits, `wakeAll()` ends every
 * sleep in progress at once, so stopping a loop does not wait out its idle interval.
 */
export function interruptibleSleep(): { sleep(ms: number): Promise<void>; wakeAll(): void } {
  const sleeping = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleeping.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleeping.add(done);
      }),
    wakeAll() {
      for (const done of [...sleeping]) done();
    },
  };
}
