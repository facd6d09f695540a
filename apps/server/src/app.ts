import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminHook, writeKeyHook } from './plugins/auth.js';
import { registerEditor } from './plugins/editor.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerOpenApi } from './plugins/openapi.js';
import { channelSettingsRoutes } from './routes/api/channel-settings.js';
import { eventNameRoutes } from './routes/api/event-names.js';
import { importRoutes } from './routes/api/imports.js';
import { ingestRoutes } from './routes/api/ingest.js';
import { journeyEnrollRoutes } from './routes/api/journey-enroll.js';
import { journeySimulateRoutes } from './routes/api/journey-simulate.js';
import { journeyStatsRoutes } from './routes/api/journey-stats.js';
import { journeyRoutes } from './routes/api/journeys.js';
import { messageRoutes } from './routes/api/messages.js';
import { productRoutes } from './routes/api/products.js';
import { profileTraitRoutes } from './routes/api/profile-traits.js';
import { profileRoutes } from './routes/api/profiles.js';
import { segmentRoutes } from './routes/api/segments.js';
import { sessionRoutes } from './routes/api/session.js';
import { suppressionRoutes } from './routes/api/suppressions.js';
import { templateRoutes } from './routes/api/templates.js';
import { workspaceRoutes } from './routes/api/workspace.js';
import { healthRoutes } from './routes/health.js';
import { trackingLinkRoutes } from './routes/tracking-links.js';
import { deliveryStatusRoutes, deliveryStatusSecretRoutes } from './routes/v1/delivery-status.js';
import { inAppRoutes } from './routes/v1/inapp.js';
import { trackingRoutes } from './routes/v1/tracking.js';
import type { Services } from './services.js';

// A missing field reads "body.name: is required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
});

export interface BuildAppOptions {
  services: Services;
  logger: FastifyBaseLogger | false;
}

/**
 * The HTTP application, in fastify/demo's order: external plugins, then app-wide hooks, then
 * routes grouped by prefix, each group behind its own authentication.
 */
export async function buildApp({ services, logger }: BuildAppOptions): Promise<FastifyInstance> {
  const common = {
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    return503OnClosing: true,
    // A click token carries its target URL, so it may be long.
    routerOptions: { maxParamLength: 8192 },
  };
  const app: FastifyInstance = logger
    ? Fastify({ ...common, loggerInstance: logger })
    : Fastify({ ...common, logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await registerOpenApi(app);

  await healthRoutes(app, services);
  // Open pixel, click redirect and unsubscribe: the signed token is the authentication.
  await trackingLinkRoutes(app, services);

  await app.register(
    async (api) => {
      api.addHook('onRequest', adminHook(services.keys, services.db));
      await sessionRoutes(api, services);
      await journeyRoutes(api, services);
      await journeyStatsRoutes(api, services);
      await journeyEnrollRoutes(api, services);
      await journeySimulateRoutes(api, services);
      await templateRoutes(api, services);
      await segmentRoutes(api, services);
      await profileRoutes(api, services);
      await profileTraitRoutes(api, services);
      await eventNameRoutes(api, services);
      await messageRoutes(api, services);
      await suppressionRoutes(api, services);
      await deliveryStatusSecretRoutes(api, services);
      await productRoutes(api, services);
      await importRoutes(api, services);
      await ingestRoutes(api, services);
      await workspaceRoutes(api, services);
      await channelSettingsRoutes(api, services);
    },
    { prefix: '/api' },
  );

  await app.register(
    async (v1) => {
      v1.addHook('onRequest', writeKeyHook(services.keys));
      await trackingRoutes(v1, services);
      await inAppRoutes(v1, services);
      // Its own scope: it reads the raw body to verify the signature.
      await v1.register(async (status) => deliveryStatusRoutes(status, services));
    },
    { prefix: '/v1' },
  );

  await registerEditor(app, services.config.editorDir);
  return app;
}
