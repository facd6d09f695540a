import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IngestPipeline } from '@touchline/ingest';
import type { NodeTypeRegistry } from '@touchline/journey';
import { createBuiltinRegistry } from '@touchline/nodes';
import { JourneyRuntime } from '@touchline/runtime';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { type Delivery, startWorker, type TouchlineWorker } from '@touchline/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { bootstrap } from '../src/auth/bootstrap.js';
import { KeyResolver } from '../src/auth/key-resolver.js';
import { type Config, loadConfig } from '../src/config.js';
import type { Services } from '../src/services.js';

export const credentials = {
  writeKey: 'tl_write_test_key_0123456789',
  adminToken: 'tl_admin_test_token_0123456789',
  adminEmail: 'ada@example.com',
  adminPassword: 'correct horse battery staple',
};

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  workspaceId: string;
  services: Services;
  close(): Promise<void>;
}

/** The HTTP app over a fresh database of its own, with known credentials; driven by inject(). */
export async function createTestApp(
  overrides: Partial<Config> = {},
  registry: NodeTypeRegistry = createBuiltinRegistry(),
  options: {
    /** Run a real graphile-worker (journey timers, deliveries) as the server does. */
    worker?: boolean;
    /** The runtime's clock (journey tests move time forward). */
    now?: () => Date;
    horizonMs?: number;
    /** Another app's database: a second process on the same PostgreSQL (not dropped on close). */
    database?: TestDatabase;
    /** How the worker delivers messages (default: every channel into the sandbox). */
    delivery?: Delivery;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const editorDir = mkdtempSync(path.join(tmpdir(), 'touchline-editor-'));
  mkdirSync(path.join(editorDir, 'assets'));
  writeFileSync(
    path.join(editorDir, 'index.html'),
    '<!doctype html><title>Touchline</title><div id="root"></div>',
  );
  const config: Config = {
    ...loadConfig({
      TOUCHLINE_WRITE_KEY: credentials.writeKey,
      TOUCHLINE_ADMIN_TOKEN: credentials.adminToken,
      TOUCHLINE_ADMIN_EMAIL: credentials.adminEmail,
      TOUCHLINE_ADMIN_PASSWORD: credentials.adminPassword,
      TOUCHLINE_WORKER: 'off',
    }),
    editorDir,
    ...overrides,
  };
  const { workspace, trackingSecrets } = await bootstrap(database.db, config);
  const runtime = new JourneyRuntime({
    pool: database.pool,
    connection: { connectionString: database.url },
    registry,
    ...(options.now ? { now: options.now } : {}),
    ...(options.horizonMs !== undefined ? { horizonMs: options.horizonMs } : {}),
  });
  await runtime.start();
  let worker: TouchlineWorker | undefined;
  if (options.worker) {
    const { pino } = await import('pino');
    worker = await startWorker({
      db: database.db,
      pool: database.pool,
      logger: pino({ level: 'warn' }),
      concurrency: 8,
      pollInterval: 100,
      runtime,
      ...(options.delivery ? { delivery: options.delivery } : {}),
    });
  }
  const services: Services = {
    config,
    db: database.db,
    keys: new KeyResolver(database.db),
    trackingSecrets,
    ingest: new IngestPipeline({ pool: database.pool, journeys: runtime }),
    registry,
    runtime,
    worker: () => worker,
  };
  const app = await buildApp({ services, logger: false });
  await app.ready();
  return {
    app,
    database,
    config,
    workspaceId: workspace.id,
    services,
    async close() {
      await app.close();
      await services.ingest.close();
      await worker?.stop();
      await runtime.close();
      if (!options.database) await database.drop();
    },
  };
}

export const adminHeaders = { authorization: `Bearer ${credentials.adminToken}` };
export const writeKeyHeaders = {
  authorization: `Basic ${Buffer.from(`${credentials.writeKey}:`).toString('base64')}`,
};
