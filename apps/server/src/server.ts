import { createDefaultChannels } from '@touchline/channels';
import { createDb, type DbHandle, type OpenDatabase, openDatabase } from '@touchline/db';
import { IngestPipeline } from '@touchline/ingest';
import type { NodeTypeRegistry } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { JourneyRuntime } from '@touchline/runtime';
import { createDelivery, startWorker, type TouchlineWorker, trackingLinks } from '@touchline/worker';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { buildApp } from './app.js';
import { bootstrap, formatGeneratedCredentials } from './auth/bootstrap.js';
import { KeyResolver } from './auth/key-resolver.js';
import type { Config } from './config.js';

export interface RunningServer {
  app: FastifyInstance;
  database: OpenDatabase;
  url: string;
  /** Drains requests, stops the worker, closes the pool and stops the embedded PostgreSQL. */
  stop(): Promise<void>;
}

/** Starts everything one Touchline process runs: database, worker, HTTP server. */
export async function startServer(
  config: Config,
  options: { logger?: Logger; printCredentials?: (text: string) => void; registry?: NodeTypeRegistry } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ name: 'touchline', level: config.logLevel });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: (line) => logger.debug({ component: 'postgres' }, line),
    applicationName: 'touchline-server',
  });
  let worker: TouchlineWorker | undefined;
  let workerDb: DbHandle | undefined;
  let runtime: JourneyRuntime | undefined;
  let app: FastifyInstance | undefined;
  try {
    const { generated, trackingSecrets } = await bootstrap(database.db, config);
    const banner = formatGeneratedCredentials(generated);
    if (banner) (options.printCredentials ?? ((text) => process.stdout.write(`${text}\n`)))(banner);

    const registry = options.registry ?? createBuiltinRegistry();
    runtime = new JourneyRuntime({
      pool: database.pool,
      connection: { connectionString: database.url },
      registry,
      logger: logger.child({ component: 'runtime' }),
      horizonMs: config.waitHorizonMs,
      lanes: config.runtimeLanes,
      overdueAfterMs: config.overdueAfterMs,
      ...(config.faultKillAfter ? { killAfter: config.faultKillAfter } : {}),
    });
    await runtime.start();
    if (config.worker) {
      // Deliveries (64 at once by default) get connections of their own: on the shared pool they
      // queued ingestion and the runtime's inbox transactions behind them.
      workerDb = createDb(database.url, {
        max: 10,
        applicationName: 'touchline-worker',
        // pg attaches the whole client to a connection's error: log what it says, not the client.
        onError: (error) =>
          logger.warn(
            { error: error.message, code: (error as { code?: string }).code },
            'worker database connection error',
          ),
      });
      worker = await startWorker({
        db: workerDb.db,
        pool: workerDb.pool,
        logger: logger.child({ component: 'worker' }),
        concurrency: config.workerConcurrency,
        runtime,
        ...(config.faultKillAfter ? { killAfter: config.faultKillAfter } : {}),
        delivery: createDelivery({
          // Webhooks are signed with the tracking secret that signs links.
          channels: createDefaultChannels({ ...config, webhookSigningSecret: trackingSecrets[0] }),
          links: trackingLinks(config.publicUrl, trackingSecrets),
          // Workspace channel settings: credentials decrypt with a key derived from the same secrets.
          secrets: trackingSecrets,
          adapterEnv: { allowPrivate: config.webhookAllowPrivate, webhookSigningSecret: trackingSecrets[0] },
        }),
      });
    }
    const ingest = new IngestPipeline({
      pool: database.pool,
      logger: logger.child({ component: 'ingest' }),
      journeys: runtime,
    });
    const services = {
      config,
      db: database.db,
      keys: new KeyResolver(database.db),
      trackingSecrets,
      ingest,
      registry,
      runtime,
      worker: () => worker,
    };
    app = await buildApp({ services, logger });
    const url = await app.listen({ port: config.port, host: config.host });
    logger.info({ url, database: database.embedded ? 'embedded' : 'external' }, 'Touchline is ready');
    const running = app;
    let stopping: Promise<void> | undefined;
    return {
      app: running,
      database,
      url,
      stop() {
        stopping ??= (async () => {
          // Requests drain first; each waits for its events to commit before it answers.
          await running.close();
          await ingest.close();
          // Timers in progress finish (they wait on the runtime) before the runtime stops.
          await worker?.stop();
          await workerDb?.close();
          await runtime?.close();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await worker?.stop().catch(() => {});
    await workerDb?.close().catch(() => {});
    await runtime?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
