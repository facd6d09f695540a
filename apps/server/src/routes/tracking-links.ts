import { isTrackableUrl, type TrackingKind, verifyTrackingToken } from '@touchline/channels';
import { findTrackedMessage, type TrackedMessage } from '@touchline/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../services.js';
import { consentChannels, recordClick, recordOpen, unsubscribe, type Visit } from '../tracking/engagement.js';
import { confirmPage, failedPage, invalidLinkPage, unsubscribedPage } from '../tracking/pages.js';

/** A 1×1 transparent GIF. */
const pixel = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const tags = ['tracking'];
const params = z.object({ token: z.string().describe('the signed token of the link') });
const html = z.string().describe('an HTML page');
const gif = z.any().describe('image/gif: a 1×1 transparent GIF');

const visitOf = (request: FastifyRequest): Visit => ({
  at: new Date(),
  userAgent: request.headers['user-agent'],
  ip: request.ip,
});

/**
 * Open pixel, click redirect and unsubscribe (DESIGN.md, "HTTP surface"). No authentication:
 * the signed token is the credential. A token that does not verify, or whose message is gone,
 * answers 404 with nothing said about why, before any database work.
 */
export async function trackingLinkRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(async (scope) => {
    // RFC 8058's POST is form-encoded (or multipart, or empty); nothing in it matters but the
    // URL, so any body is read as text and ignored, and none is refused for its type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const deps = { db: services.db, ingest: services.ingest };

    /** The message a token names, if the token verifies and the message still exists. */
    async function messageOf(token: string, kind: TrackingKind) {
      const verified = verifyTrackingToken(services.trackingSecrets, token, kind);
      if (!verified) return undefined;
      const message = await findTrackedMessage(services.db, verified.messageId);
      return message ? { verified, message } : undefined;
    }

    r.get(
      '/t/o/:token',
      {
        logLevel: 'warn',
        schema: {
          tags,
          summary: 'Open pixel: records the first open of a message',
          description:
            'Always answers the GIF (also with 404 for a link that is not valid), so no broken image shows. A HEAD request records nothing.',
          params,
          response: { 200: gif, 404: gif },
        },
      },
      async (request, reply) => {
        reply.header('content-type', 'image/gif').header('cache-control', 'no-store');
        const found = await messageOf(request.params.token, 'open').catch((error) => {
          request.log.error({ err: error }, 'open pixel: message lookup failed');
          return undefined;
        });
        if (!found) return reply.status(404).send(pixel);
        if (request.method === 'GET') {
          // The reader sees the image whatever happens here; a lost open is only logged.
          await recordOpen(deps, found.message, visitOf(request)).catch((error) =>
            request.log.error({ err: error, messageId: found.message.id }, 'open not recorded'),
          );
        }
        return reply.send(pixel);
      },
    );

    r.get(
      '/t/c/:token',
      {
        logLevel: 'warn',
        schema: {
          tags,
          summary: 'Click redirect: records the click and sends the reader to the link',
          description:
            'Redirects only to the URL signed into the token (no open redirect). A HEAD request redirects and records nothing.',
          params,
          response: {
            302: z.null().describe('to the link (Location)'),
            404: z.string().describe('the link is not valid'),
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        const found = await messageOf(request.params.token, 'click');
        if (found?.verified.kind !== 'click' || !isTrackableUrl(found.verified.url)) {
          return reply.status(404).type('text/plain; charset=utf-8').send('This link is not valid.');
        }
        if (request.method === 'GET') {
          // The reader must reach the link even if the click cannot be stored.
          await recordClick(deps, found.message, found.verified.url, visitOf(request)).catch((error) =>
            request.log.error({ err: error, messageId: found.message.id }, 'click not recorded'),
          );
        }
        return reply.redirect(found.verified.url, 302);
      },
    );

    const unsubscribable = async (token: string): Promise<TrackedMessage | undefined> => {
      const found = await messageOf(token, 'unsubscribe');
      const channel = found?.message.channel;
      return channel && (consentChannels as readonly string[]).includes(channel) ? found.message : undefined;
    };
    const sendPage = (reply: FastifyReply, status: number, body: string) =>
      reply
        .status(status)
        .headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
        .type('text/html; charset=utf-8')
        .send(body);

    r.get(
      '/u/:token',
      {
        schema: {
          tags,
          summary: 'Unsubscribe page: asks to confirm (a GET changes nothing)',
          params,
          response: { 200: html, 404: html },
        },
      },
      async (request, reply) => {
        const message = await unsubscribable(request.params.token);
        if (!message) return sendPage(reply, 404, invalidLinkPage);
        return sendPage(reply, 200, confirmPage(message.channel));
      },
    );

    r.post(
      '/u/:token',
      {
        bodyLimit: 16 * 1024,
        schema: {
          tags,
          summary: 'Unsubscribe (RFC 8058 one-click, and the confirm button)',
          description:
            "Sets the profile's `subscriptions.<channel>` trait to false and records `unsubscribed`. The body (`List-Unsubscribe=One-Click`, or none) is not read. Idempotent.",
          params,
          response: { 200: html, 404: html, 503: html },
        },
      },
      async (request, reply) => {
        const message = await unsubscribable(request.params.token);
        if (!message) return sendPage(reply, 404, invalidLinkPage);
        try {
          await unsubscribe(deps, message, visitOf(request));
        } catch (error) {
          // Unlike an open, an unsubscribe must not be lost: say so, and the sender retries.
          request.log.error({ err: error, messageId: message.id }, 'unsubscribe failed');
          return sendPage(reply.header('retry-after', '5'), 503, failedPage);
        }
        return sendPage(reply, 200, unsubscribedPage(message.channel));
      },
    );
  });
}
