import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldIssue, formatIssues } from '../errors.js';

export interface ErrorBody {
  error: string;
  code: string;
  message: string;
  issues?: FieldIssue[];
}

/**
 * One error handler for the whole API: 4xx answers say what was wrong and where (the field path),
 * 5xx answers hide their details, which go to the log.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues: FieldIssue[] = error.validation.map((v) => {
        const where = v.instancePath.split('/').filter(Boolean).join('.');
        const context = error.validationContext ?? 'body';
        return { path: where ? `${context}.${where}` : context, message: v.message ?? 'is invalid' };
      });
      return reply.status(400).send({
        error: 'Bad Request',
        code: 'validation_failed',
        message: formatIssues(issues),
        issues,
      } satisfies ErrorBody);
    }
    if (error instanceof AppError) {
      return reply.status(error.status).send({
        error: statusText(error.status),
        code: error.code,
        message: error.message,
        ...(error.issues ? { issues: error.issues } : {}),
      } satisfies ErrorBody);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 0;
      return reply.status(413).send({
        error: 'Payload Too Large',
        code: 'payload_too_large',
        message: `body: larger than the limit of ${limit} bytes for this endpoint (after decompression)`,
      } satisfies ErrorBody);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({
        error: statusText(status),
        code: (error.code ?? 'bad_request').toLowerCase(),
        message: error.message,
      } satisfies ErrorBody);
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({
      error: 'Internal Server Error',
      code: 'internal',
      message: 'something went wrong on our side; the error is logged',
    } satisfies ErrorBody);
  });
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Error';
}
