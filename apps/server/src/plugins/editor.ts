import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built editor at `/`. Client-side routes (e.g. /journeys/123) get index.html; API
 * paths keep their JSON 404s.
 */
export async function registerEditor(app: FastifyInstance, editorDir: string): Promise<void> {
  const index = path.join(editorDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    await app.register(fastifyStatic, { root: editorDir, prefix: '/', wildcard: false, index: 'index.html' });
  } else {
    app.log.warn({ editorDir }, 'the editor is not built; run `pnpm build` to serve it');
  }
  app.setNotFoundHandler((request, reply) => {
    const apiPath = /^\/(api|v1|t|u|docs|health)(\/|$)/.test(request.url);
    if (request.method === 'GET' && !apiPath && request.headers.accept?.includes('text/html')) {
      if (built) return reply.type('text/html').sendFile('index.html');
      return reply
        .type('text/plain')
        .send('The Touchline editor is not built. Run `pnpm build`, then restart.');
    }
    return reply.status(404).send({
      error: 'Not Found',
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    });
  });
}
