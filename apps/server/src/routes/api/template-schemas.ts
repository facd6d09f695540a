import { z } from 'zod';

const name = z.string().trim().min(1, { error: 'is required' }).max(200);
const liquid = (max: number) => z.string().max(max);

/**
 * Template content per channel, as stored. On save, the MJML and Liquid are also checked
 * (`template-validation.ts`): a 422 names the field and line.
 */
export const templateContent = z.discriminatedUnion('channel', [
  z.object({
    channel: z.literal('email'),
    subject: liquid(998).min(1, { error: 'is required' }),
    preheader: liquid(500).optional(),
    mjml: liquid(500_000).min(1, { error: 'is required' }),
    text: liquid(500_000).optional(),
  }),
  z.object({ channel: z.literal('sms'), text: liquid(1600).min(1, { error: 'is required' }) }),
  z.object({
    channel: z.literal('push'),
    title: liquid(200).min(1, { error: 'is required' }),
    body: liquid(2000),
    deepLink: z.string().max(2000).optional(),
    image: z.string().max(2000).optional(),
  }),
  z.object({
    channel: z.literal('whatsapp'),
    templateName: z.string().min(1, { error: 'is required' }).max(512),
    language: z.string().max(20).optional(),
    parameters: z.array(liquid(1024)).max(20).optional(),
  }),
  z.object({
    channel: z.literal('inapp'),
    title: liquid(200).optional(),
    body: liquid(5000).min(1, { error: 'is required' }),
  }),
  z.object({
    channel: z.literal('webhook'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().min(1, { error: 'is required' }).max(2000),
    headers: z.record(z.string(), z.string()).optional(),
    body: liquid(100_000).optional(),
  }),
]);

export const createTemplateBody = z.intersection(z.object({ name }), templateContent);
export const updateTemplateBody = z.intersection(z.object({ name: name.optional() }), templateContent);

export const templateResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  channel: z.string(),
  version: z.number().int(),
  content: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  /** On save: MJML rules the template breaks that MJML renders past (`body.mjml: line 4: …`). */
  warnings: z.array(z.string()).optional(),
});

/** A template whose MJML or Liquid does not compile: each issue names the field and line. */
export const templateErrorResponse = z.object({
  error: z.string(),
  code: z.string(),
  message: z.string(),
  issues: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        line: z.number().int().optional().describe('the line of the field the problem is on'),
      }),
    )
    .optional(),
});

export const templateChannel = z.enum(['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook']);

/** What Liquid reads in a preview or a test send besides the template. */
const personalisation = {
  userId: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .optional()
    .describe('a user id, anonymous id or alias: the profile whose data fills `profile`'),
  event: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('a sample trigger event, `{ event, properties }`: what `event` reads'),
};

export const previewBody = z.object({
  template: templateContent.describe('the template as being edited (not saved)'),
  ...personalisation,
});

export const previewResponse = z.object({
  subject: z.string().nullable().describe('email subject, push or in-app title'),
  preheader: z.string().nullable(),
  html: z.string().nullable().describe('email HTML as delivered, untracked'),
  text: z.string().nullable().describe('email plain-text part, SMS text, push or in-app body'),
  fields: z.record(z.string(), z.unknown()).describe('every field rendered'),
  warnings: z.array(z.string()),
});

export const testSendBody = z
  .object({
    to: z
      .string()
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(320)
      .optional()
      .describe('the address to send to (email, phone, device or user id); default: the profile’s'),
    testProfiles: z
      .boolean()
      .optional()
      .describe('also send to every test profile (trait `test_profile: true`), each with its own data'),
    ...personalisation,
  })
  .refine((body) => body.to !== undefined || body.userId !== undefined || body.testProfiles === true, {
    error: 'send `to`, `userId` or `testProfiles: true`',
  });

export const testSendResponse = z.object({
  messages: z.array(
    z.object({
      id: z.uuid(),
      userId: z.string().nullable(),
      to: z.string().nullable(),
      status: z.string(),
    }),
  ),
});
