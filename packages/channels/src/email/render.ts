import { type LiquidEngines, renderField } from '../liquid.js';
import type { CompiledEmailTemplate } from './compile.js';
import { applyTracking, type EmailLinks } from './tracking-html.js';
import { trackTextLinks } from './tracking-text.js';

/** What Liquid sees (DESIGN.md, "Messages"), less `unsubscribe_url`, which comes from the links. */
export interface MessageContext {
  /** Traits at the top level (`profile.first_name`), plus `user_id`, `email`, `traits`, `computed`. */
  profile: Record<string, unknown>;
  /** The journey's trigger event, with `properties` (a cart's `items`). */
  event: Record<string, unknown> | null;
  /** Name, id, version, variables, A/B branch. */
  journey: Record<string, unknown>;
  /** Recommended products. */
  products: ReadonlyArray<Record<string, unknown>>;
}

export interface RenderedEmail {
  subject: string;
  preheader: string | null;
  html: string;
  text: string;
}

/**
 * Personalises one message from a compiled template version: Liquid only, then tracked links
 * (in the HTML and in the plain text) and the open pixel. Throws a {@link TemplateError} (a missing trait renders empty; a loop past
 * the limits or a render past its time does not).
 */
export function renderEmail(
  template: CompiledEmailTemplate,
  context: MessageContext,
  links: EmailLinks,
  engines: LiquidEngines,
): RenderedEmail {
  const scope = { ...context, unsubscribe_url: links.unsubscribeUrl };
  // A header cannot hold a line break.
  const subject = renderField(engines.text, template.subject, scope)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  const preheader = template.preheader ? renderField(engines.text, template.preheader, scope).trim() : null;
  const html = applyTracking(renderField(engines.html, template.html, scope), links);
  const text = trackTextLinks(renderField(engines.text, template.text, scope).trim(), links);
  return { subject, preheader, html, text };
}
