/** What went wrong in a template: its syntax, or rendering it for one message. */
export type TemplateErrorCode = 'template_syntax' | 'template_render' | 'template_limit';

/**
 * A template that cannot be compiled or rendered. `field` names the template field (`mjml`,
 * `subject`, …) and `line` the line in it, when known, so callers can answer
 * `body.mjml: line 3: …`.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    readonly field: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${field}: ${line !== undefined ? `line ${line}: ` : ''}${detail}`);
  }
}

/** A delivery that may succeed later (a timeout, a 4xx SMTP reply, a provider's 429 or 5xx). */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  /** How long the provider asked us to wait (its `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: ErrorOptions & { retryAfterMs?: number | undefined }) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** A delivery that will never succeed as it is (a rejected address, a 5xx SMTP reply to the recipient). */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}
