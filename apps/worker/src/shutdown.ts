import type { Logger } from 'pino';

/**
 * Stops the process cleanly on SIGINT/SIGTERM: `stop` runs once (a second signal does not
 * interrupt it), and a shutdown that hangs past `timeoutMs` ends the process with exit code 1.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, timeoutMs = 30_000): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, timeoutMs).unref();
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
