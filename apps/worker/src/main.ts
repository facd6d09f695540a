// `pnpm --filter @touchline/worker start`: a worker process on its own, to scale job processing
// out. It shares the server's database: DATABASE_URL, or the embedded PostgreSQL under
// TOUCHLINE_DATA_DIR (attaching to it when the server already runs it).

import { randomBytes } from 'node:crypto';
import { createDefaultChannels } from '@touchline/channels';
import { ensureInstanceSecret, openDatabase, resolveDataDir } from '@touchline/db';
import { createBuiltinRegistry } from '@touchline/nodes';
import { JourneyRuntime } from '@touchline/runtime';
import { pino } from 'pino';
import { createDelivery, trackingLinks } from './delivery/delivery.js';
import { stopOnSignals } from './shutdown.js';
import { startWorker } from './worker.js';

const logger = pino({ name: 'touchline-worker', level: process.env.LOG_LEVEL ?? 'info' });
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: resolveDataDir(),
  log: (line) => logger.debug({ component: 'postgres' }, line),
  applicationName: 'touchline-worker',
});
// Journey timers run here; events are run by the servers that accept them, and by this
// worker's inbox sweep when a server could not.
const runtime = new JourneyRuntime({
  pool: database.pool,
  connection: { connectionString: database.url },
  registry: createBuiltinRegistry(),
  logger: logger.child({ component: 'runtime' }),
});
await runtime.start();
// Tracking links are signed as the server signs them: TOUCHLINE_SECRET, else the stored secret.
const secrets = process.env.TOUCHLINE_SECRET?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const trackingSecrets = secrets?.length
  ? secrets
  : [
      await ensureInstanceSecret(
        database.db,
        'tracking',
        () => `tl_secret_${randomBytes(24).toString('base64url')}`,
      ),
    ];
const publicUrl = (
  process.env.TOUCHLINE_PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`
).replace(/\/+$/, '');
const worker = await startWorker({
  db: database.db,
  pool: database.pool,
  logger,
  runtime,
  // Email by SMTP when TOUCHLINE_SMTP_URL is set (as the server reads it), else the sandbox;
  // webhooks by HTTP, signed with the tracking secret.
  delivery: createDelivery({
    channels: createDefaultChannels({
      smtpUrl: process.env.TOUCHLINE_SMTP_URL || undefined,
      emailFrom: process.env.TOUCHLINE_EMAIL_FROM || undefined,
      unsubscribeMailto: process.env.TOUCHLINE_UNSUBSCRIBE_MAILTO || undefined,
      webhookSigningSecret: trackingSecrets[0],
      webhookAllowPrivate: process.env.TOUCHLINE_WEBHOOK_ALLOW_PRIVATE === 'true',
    }),
    links: trackingLinks(publicUrl, trackingSecrets),
    // Workspace channel settings override the environment per channel; their credentials
    // decrypt with a key derived from the same secrets as the server's.
    secrets: trackingSecrets,
    adapterEnv: {
      allowPrivate: process.env.TOUCHLINE_WEBHOOK_ALLOW_PRIVATE === 'true',
      webhookSigningSecret: trackingSecrets[0],
    },
  }),
  concurrency: Number(process.env.TOUCHLINE_WORKER_CONCURRENCY ?? 64),
});
logger.info('worker started');

stopOnSignals(async () => {
  await worker.stop();
  await runtime.close();
  await database.close();
}, logger);
