// `pnpm start`: the whole of Touchline in one process.
import { stopOnSignals } from '@touchline/worker';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

const SHUTDOWN_TIMEOUT_MS = 30_000;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
const logger = pino({ name: 'touchline', level: config.logLevel });
const server = await startServer(config, { logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'Touchline could not start');
  process.exit(1);
});

stopOnSignals(() => server.stop(), logger, SHUTDOWN_TIMEOUT_MS);
