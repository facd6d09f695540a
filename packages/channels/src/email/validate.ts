import mjml2html from 'mjml';
import { TemplateError } from '../errors.js';
import { type LiquidEngines, parseLiquid } from '../liquid.js';
import type { EmailTemplateContent } from './compile.js';
import { protectLiquid } from './protect-liquid.js';

/** One problem in a template, by field and line: `mjml: line 3: <mj-colum> is not a known tag`. */
export interface TemplateIssue {
  field: string;
  line?: number | undefined;
  message: string;
}

export const formatTemplateIssue = (issue: TemplateIssue) =>
  `${issue.field}: ${issue.line !== undefined ? `line ${issue.line}: ` : ''}${issue.message}`;

function mjmlMessage(tagName: string, message: string): string {
  if (/doesn't exist or is not registered/.test(message)) return `<${tagName}> is not a known tag`;
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
      issues.push({ field, line: error.line, message: error.detail });
    }
  }
  try {
    const result = await mjml2html(protectLiquid(content.mjml).source, { validationLevel: 'soft' });
    for (const error of result.errors) {
      issues.push({ field: 'mjml', line: error.line, message: mjmlMessage(error.tagName, error.message) });
    }
  } catch (error) {
    issues.push({ field: 'mjml', message: error instanceof Error ? error.message : String(error) });
  }
  return issues;
}
