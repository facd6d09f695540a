import { Liquid, LiquidError, type Template } from 'liquidjs';
import { TemplateError } from './errors.js';
import type { FastTemplate } from './fast-liquid.js';

/** Bounds on what one template may cost: its size, the memory its loops allocate, its render time. */
export interface LiquidLimits {
  /** Characters a template may have. */
  parseLimit: number;
  /** Bytes that loops, ranges and filters may allocate while rendering one message. */
  memoryLimit: number;
  /** Milliseconds one render may take. */
  renderLimit: number;
}

export const defaultLiquidLimits: LiquidLimits = {
  parseLimit: 1_000_000,
  memoryLimit: 20_000_000,
  renderLimit: 200,
};

/**
 * The two sandboxed Liquid engines: `html` escapes what `{{ }}` prints (a trait holding markup
 * cannot inject it; `| raw` opts out), `text` prints as is (subjects, plain-text parts, SMS).
 * Both read own properties only (no `constructor`, `__proto__`), know no file system and refuse
 * unknown filters when parsing, so a typo fails on save rather than per message.
 */
export interface LiquidEngines {
  html: Liquid;
  text: Liquid;
}

export function createLiquidEngines(limits: LiquidLimits = defaultLiquidLimits): LiquidEngines {
  const options = {
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    templates: {},
    cache: false,
    ...limits,
  };
  return {
    html: new Liquid({ ...options, outputEscape: 'escape' }),
    text: new Liquid(options),
  };
}

/**
 * A third sandboxed engine for URLs: what `{{ }}` prints is URL-encoded (`encodeURIComponent`),
 * so a trait cannot add a path segment, a query parameter or another host; `| raw` opts out.
 */
export function createUrlLiquidEngine(limits: LiquidLimits = defaultLiquidLimits): Liquid {
  return new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    templates: {},
    cache: false,
    ...limits,
    outputEscape: (value: unknown) =>
      value === undefined || value === null ? '' : encodeURIComponent(String(value)),
  });
}

function lineOf(error: unknown): number | undefined {
  if (!(error instanceof LiquidError)) return undefined;
  return error.token?.getPosition()[0];
}

function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // liquidjs appends ", line:3, col:1"; the line is reported separately.
  return message.replace(/, line:\d+, col:\d+$/, '');
}

/** Parses one field, or throws a {@link TemplateError} naming it and the line. */
export function parseLiquid(engine: Liquid, field: string, source: string): Template[] {
  try {
    return engine.parse(source);
  } catch (error) {
    throw new TemplateError('template_syntax', field, detailOf(error), lineOf(error));
  }
}

const limitMessages = /limit exceeded/;

/** Renders parsed Liquid for one message, or throws a {@link TemplateError}. */
export function renderLiquid(
  engine: Liquid,
  field: string,
  templates: Template[],
  scope: Record<string, unknown>,
): string {
  try {
    return engine.renderSync(templates, scope) as string;
  } catch (error) {
    const detail = detailOf(error);
    throw new TemplateError(
      limitMessages.test(detail) ? 'template_limit' : 'template_render',
      field,
      detail,
      lineOf(error),
    );
  }
}

/**
 * A field parsed by liquidjs, and compiled to closures too when it keeps to the fast subset
 * (`fast-liquid.ts`); rendering uses the closures when there are any.
 */
export interface LiquidField {
  readonly field: string;
  readonly templates: Template[];
  readonly fast: FastTemplate | null;
}

export function renderField(engine: Liquid, field: LiquidField, scope: Record<string, unknown>): string {
  if (!field.fast) return renderLiquid(engine, field.field, field.templates, scope);
  try {
    return field.fast(scope);
  } catch (error) {
    if (error instanceof TemplateError)
      throw new TemplateError(error.code, field.field, error.detail, error.line);
    throw new TemplateError('template_render', field.field, detailOf(error));
  }
}
