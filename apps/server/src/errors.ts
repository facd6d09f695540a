/** The closed set of error codes the API answers with, and the HTTP status of each. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  /** Where the problem is, e.g. `body.email` or `headers.authorization`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

/** Issues as one line, `path: message; path: message` (a message without a path stands alone). */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

export const unauthorized = (message: string) => new AppError('unauthorized', message);
export const notFound = (message: string) => new AppError('not_found', message);
