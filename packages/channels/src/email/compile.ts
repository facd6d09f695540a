import mjml2html from 'mjml';
import { TemplateError } from '../errors.js';
import { compileFastLiquid } from '../fast-liquid.js';
import { type LiquidEngines, type LiquidField, parseLiquid } from '../liquid.js';
import { htmlToPlainText } from './plain-text.js';
import { protectLiquid } from './protect-liquid.js';

/** An email template version as stored (`template_versions.content` of an email template). */
export interface EmailTemplateContent {
  subject: string;
  preheader?: string | undefined;
  mjml: string;
  /** The plain-text part; derived from the HTML when absent. */
  text?: string | undefined;
}

/**
 * One template version, compiled: MJML turned into HTML once, and every field parsed as Liquid
 * once, so rendering a message only runs Liquid. Immutable; shared by every message of the version.
 */
export interface CompiledEmailTemplate {
  readonly subject: LiquidField;
  readonly preheader: LiquidField | null;
  readonly html: LiquidField;
  readonly text: LiquidField;
  /** Whether any field reads `products` (recommendations are looked up only for these). */
  readonly usesProducts: boolean;
}

/** Where the preheader goes: the first thing in the body, hidden, as inbox previews read it. */
const bodyOpen = /<body[^>]*>/i;
const preheaderDiv = (liquid: string) =>
  `<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">${liquid}</div>`;

/**
 * Compiles an email template version (8–19 ms of MJML; call it once per version, see
 * {@link CompiledTemplateCache}). Throws a {@link TemplateError} when MJML cannot make HTML of
 * it at all or a field is not valid Liquid; {@link validateEmailTemplate} reports every problem.
 */
export async function compileEmailTemplate(
  content: EmailTemplateContent,
  engines: LiquidEngines,
): Promise<CompiledEmailTemplate> {
  // Syntax first, against the source lines a marketer wrote.
  parseLiquid(engines.html, 'mjml', content.mjml);
  const liquid = protectLiquid(content.mjml);
  let html: string;
  try {
    html = (await mjml2html(liquid.source, { validationLevel: 'soft', keepComments: false })).html;
  } catch (error) {
    throw new TemplateError(
      'template_syntax',
      'mjml',
      error instanceof Error ? error.message : String(error),
    );
  }
  const textSource = content.text ?? liquid.restore(htmlToPlainText(html));
  let htmlSource = liquid.restore(html);
  if (content.preheader)
    htmlSource = htmlSource.replace(bodyOpen, (open) => `${open}${preheaderDiv(content.preheader!)}`);
  const sources = [content.subject, content.preheader ?? '', content.mjml, content.text ?? ''];
  const field = (name: string, source: string, html: boolean): LiquidField => ({
    field: name,
    templates: parseLiquid(html ? engines.html : engines.text, name, source),
    fast: compileFastLiquid(source, { escapeOutput: html }),
  });
  return Object.freeze({
    subject: field('subject', content.subject, false),
    preheader: content.preheader ? field('preheader', content.preheader, false) : null,
    html: field('mjml', htmlSource, true),
    text: field('text', textSource, false),
    usesProducts: sources.some((source) => /\bproducts\b/.test(source)),
  });
}
