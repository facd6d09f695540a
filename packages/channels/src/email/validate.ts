import mjml2html from 'mjml';
import { TemplateError } from '../errors.js';
import { type LiquidEngines, parseLiquid } from '../liquid.js';
import type { EmailTemplateContent } from './compile.js';
import { protectLiquid } from './protect-liquid.js';

/**
 * One problem in a template, by field and line: `mjml: line 3: <mj-colum> is not a known tag`.
 * An `error` stops the template from being saved (Liquid that does not parse, a tag MJML does
 * not know, MJML it cannot read); a `warning` is a rule MJML still renders past (an element
 * where it does not belong, an attribute value it ignores), as MJML's own "soft" mode does.
 */
export interface TemplateIssue {
  field: string;
  line?: number | undefined;
  message: string;
  severity: 'error' | 'warning';
}

export const formatTemplateIssue = (issue: TemplateIssue) =>
  `${issue.field}: ${issue.line !== undefined ? `line ${issue.line}: ` : ''}${issue.message}`;

const unknownTag = /doesn't exist or is not registered/;

function mjmlMessage(tagName: string, message: string): string {
  if (unknownTag.test(message)) return `<${tagName}> is not a known tag`;
  return `<${tagName}>: ${message}`;
}

/** Every Liquid syntax error (one per field: the parser stops at the first) and every MJML error. */
export async function validateEmailTemplate(
  content: EmailTemplateContent,
  engines: LiquidEngines,
): Promise<TemplateIssue[]> {
  const issues: TemplateIssue[] = [];
  const fields: Array<[string, string | undefined, 'html' | 'text']> = [
    ['subject', content.subject, 'text'],
    ['preheader', content.preheader, 'text'],
    ['mjml', content.mjml, 'html'],
    ['text', content.text, 'text'],
  ];
  for (const [field, source, engine] of fields) {
    if (source === undefined) continue;
    try {
      parseLiquid(engines[engine], field, source);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      issues.push({ field, line: error.line, message: error.detail, severity: 'error' });
    }
  }
  try {
    const result = await mjml2html(protectLiquid(content.mjml).source, { validationLevel: 'soft' });
    for (const error of result.errors) {
      issues.push({
        field: 'mjml',
        line: error.line,
        message: mjmlMessage(error.tagName, error.message),
        severity: unknownTag.test(error.message) ? 'error' : 'warning',
      });
    }
  } catch (error) {
    issues.push({
      field: 'mjml',
      message: error instanceof Error ? error.message : String(error),
      severity: 'error',
    });
  }
  return issues;
}
