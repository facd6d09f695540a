import {
  compileEmailTemplate,
  type LiquidEngines,
  profileForTemplates,
  renderEmail,
  renderTextFields,
  TemplateError,
} from '@touchline/channels';
import { type Db, findProfileByIdentifier } from '@touchline/db';
import { createDelivery, recommendedProducts } from '@touchline/worker';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { previewBody, previewResponse, templateErrorResponse } from './template-schemas.js';
import { assertValidTemplate, templateErrorIssue } from './template-validation.js';

type TemplateContent = z.infer<typeof previewBody>['template'];
type Preview = z.infer<typeof previewResponse>;

/** Links as delivery makes them before tracking is configured: straight to their targets. */
const untrackedLinks = { clickUrl: (href: string) => href, unsubscribeUrl: '' };
/** How many recommendations, over which window: what a worker delivers with by default. */
const recommendationSettings = createDelivery();

/** The profile `profile` reads in Liquid: a chosen person's, or nobody's (every trait empty). */
export async function templateProfile(
  db: Db,
  workspaceId: string,
  userId: string | undefined,
): Promise<Record<string, unknown>> {
  if (userId === undefined) return {};
  const profile = await findProfileByIdentifier(db, workspaceId, userId);
  if (!profile) throw notFound(`body.userId: no profile with user id "${userId}"`);
  return profileForTemplates(profile);
}

/**
 * A template rendered for one person and event exactly as delivery renders it (MJML compiled,
 * then the same sandboxed Liquid), with untracked links. A render error is a 422 naming the
 * field and line.
 */
export async function renderPreview(
  db: Db,
  engines: LiquidEngines,
  workspaceId: string,
  content: TemplateContent,
  profile: Record<string, unknown>,
  event: Record<string, unknown> | null,
): Promise<Omit<Preview, 'warnings'>> {
  const context = { profile, event, journey: {}, products: [] as Array<Record<string, unknown>> };
  try {
    if (content.channel !== 'email') {
      const fields = renderTextFields(content, { ...context, unsubscribe_url: '' }, engines);
      const text = fields.text ?? fields.body;
      const subject = fields.title;
      return {
        subject: typeof subject === 'string' ? subject : null,
        preheader: null,
        html: null,
        text: typeof text === 'string' ? text : null,
        fields,
      };
    }
    const compiled = await compileEmailTemplate(content, engines);
    if (compiled.usesProducts) {
      context.products = await recommendedProducts(db, recommendationSettings, workspaceId, event);
    }
    const email = renderEmail(compiled, context, untrackedLinks, engines);
    return { ...email, fields: { ...email } };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const issue = templateErrorIssue(error, 'body.template');
    throw new AppError('unprocessable', `${issue.path}: ${issue.message}`, [issue]);
  }
}

/** `POST /api/templates/preview`: what a template being edited looks like for a chosen person. */
export async function templatePreviewRoutes(
  app: FastifyInstance,
  services: Services,
  engines: LiquidEngines,
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;
  r.post(
    '/templates/preview',
    {
      schema: {
        tags: ['templates'],
        summary: 'Render unsaved template content for a profile and a sample event',
        description:
          'Renders as delivery does: MJML compiled to HTML, then sandboxed Liquid over `profile` (the profile of ' +
          '`userId`, else empty), `event` (the sample event) and `products`; links are not tracked. A template that ' +
          'does not compile or render answers 422 naming the field and line, as saving does.',
        body: previewBody,
        response: { 200: previewResponse, 404: templateErrorResponse, 422: templateErrorResponse },
      },
    },
    async (request) => {
      const workspaceId = requirePrincipal(request).workspaceId;
      const { template, userId, event } = request.body;
      const warnings = await assertValidTemplate(template, engines, 'body.template');
      const profile = await templateProfile(db, workspaceId, userId);
      const rendered = await renderPreview(db, engines, workspaceId, template, profile, event ?? null);
      return { ...rendered, warnings };
    },
  );
}
