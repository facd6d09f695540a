import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * Segment's API takes gzip bodies (`Content-Encoding: gzip`). The body limit applies to the
 * decompressed bytes, so a small compressed bomb is refused with 413 like any large body.
 */
export function decompressBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return payload;
    if (encoding !== 'gzip' && encoding !== 'deflate' && encoding !== 'x-gzip') {
      throw new AppError(
        'unsupported_media_type',
        `headers.content-encoding: "${encoding}" is not supported; send gzip, deflate or no encoding`,
      );
    }
    const decoder = encoding === 'deflate' ? createInflate() : createGunzip();
    const decoded = decoder as unknown as Readable & { receivedEncodedLength: number };
    // Fastify compares this with Content-Length, which counts the compressed bytes.
    decoded.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      decoded.receivedEncodedLength += chunk.length;
    });
    payload.on('error', (error) => decoder.destroy(error));
    // Registered before Fastify's own listener, so its 400 carries this message.
    decoder.on('error', (error: Error & { statusCode?: number; code?: string }) => {
      error.message = `body: not valid ${encoding} data (${error.message})`;
      error.statusCode = 400;
      error.code = 'bad_request';
    });
    return payload.pipe(decoder);
  });
}
