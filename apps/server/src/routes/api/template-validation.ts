import {
  type LiquidEngines,
  parseLiquid,
  TemplateError,
  type TemplateIssue,
  validateEmailTemplate,
} from '@touchline/channels';
import type { z } from 'zod';
import { AppError, type FieldIssue, formatIssues } from '../../errors.js';
import type { templateContent } from './template-schemas.js';

type TemplateContent = z.infer<typeof templateContent>;

/** Liquid in every string field of a non-email template (SMS text, push title and body, …). */
function textIssues(content: TemplateContent, engines: LiquidEngines): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const [field, value] of Object.entries(content)) {
    const sources =
      typeof value === 'string'
        ? [[field, value]]
        : Array.isArray(value)
          ? value.map((v, i) => [`${field}.${i}`, v])
          : [];
    for (const [path, source] of sources) {
      if (typeof source !== 'string' || path === 'channel') continue;
      try {
        parseLiquid(engines.text, path as string, source);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        issues.push({ field: path as string, line: error.line, message: error.detail, severity: 'error' });
      }
    }
  }
  return issues;
}

/** A field's problem with the line it is on, so that an editor can mark the line. */
export interface TemplateFieldIssue extends FieldIssue {
  line?: number;
}

/** A render-time template error as the 422 of a preview or validation answers it. */
export function templateErrorIssue(error: TemplateError, at = 'body'): TemplateFieldIssue {
  return {
    path: `${at}.${error.field}`,
    message: `${error.line !== undefined ? `line ${error.line}: ` : ''}${error.detail}`,
    ...(error.line !== undefined ? { line: error.line } : {}),
  };
}

/**
 * Checks a template's MJML and Liquid before it is saved, so that a broken template fails here
 * and not once per message: 422 with `body.mjml: line 3: <mj-colum> is not a known tag`.
 * Returns the warnings (MJML rules it renders past), `body.mjml: line 1: <mj-text>: …`.
 * `at` is where the content sits in the request (`body.template` for a preview).
 */
export async function assertValidTemplate(
  content: TemplateContent,
  engines: LiquidEngines,
  at = 'body',
): Promise<string[]> {
  const found =
    content.channel === 'email'
      ? await validateEmailTemplate(content, engines)
      : textIssues(content, engines);
  const toIssue = (issue: TemplateIssue): TemplateFieldIssue => ({
    path: `${at}.${issue.field}`,
    message: `${issue.line !== undefined ? `line ${issue.line}: ` : ''}${issue.message}`,
    ...(issue.line !== undefined ? { line: issue.line } : {}),
  });
  const issues = found.filter((issue) => issue.severity === 'error').map(toIssue);
  // Only warnings left.
  if (issues.length === 0)
    return found.map((issue) => {
      const { path, message } = toIssue(issue);
      return formatIssues([{ path, message }]);
    });
  throw new AppError('unprocessable', formatIssues(issues), issues);
}
