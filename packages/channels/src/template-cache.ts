import {
  type CompiledEmailTemplate,
  compileEmailTemplate,
  type EmailTemplateContent,
} from './email/compile.js';
import type { LiquidEngines } from './liquid.js';

/** A template version: versions are immutable, so this names one compiled template for good. */
export interface TemplateVersionKey {
  workspaceId: string;
  templateId: string;
  version: number;
}

/**
 * Compiled email templates by version, least recently used evicted past `max`. Concurrent
 * messages of a version not yet compiled wait on the same compilation; a failed one is not kept.
 */
export class CompiledTemplateCache {
  readonly #entries = new Map<string, Promise<CompiledEmailTemplate>>();
  readonly #max: number;
  #compilations = 0;

  constructor(
    readonly engines: LiquidEngines,
    options: { max?: number } = {},
  ) {
    this.#max = options.max ?? 500;
  }

  /** Template versions compiled so far (MJML runs once for each). */
  get compilations(): number {
    return this.#compilations;
  }

  email(key: TemplateVersionKey, content: () => EmailTemplateContent): Promise<CompiledEmailTemplate> {
    const id = `${key.workspaceId}:${key.templateId}:${key.version}`;
    const cached = this.#entries.get(id);
    if (cached) {
      this.#entries.delete(id);
      this.#entries.set(id, cached);
      return cached;
    }
    this.#compilations += 1;
    const compiled = compileEmailTemplate(content(), this.engines);
    compiled.catch(() => this.#entries.delete(id));
    this.#entries.set(id, compiled);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return compiled;
  }
}
