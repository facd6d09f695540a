import { ApiError, request } from '../api';

export const channels = ['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook'] as const;
export type Channel = (typeof channels)[number];

export const channelLabels: Record<Channel, string> = {
  email: 'Email',
  sms: 'SMS',
  push: 'Push',
  whatsapp: 'WhatsApp',
  inapp: 'In-app',
  webhook: 'Webhook',
};

/** A template's content as stored: its channel and that channel's fields. */
export type TemplateContent = { channel: Channel } & Record<string, unknown>;

export interface Template {
  id: string;
  name: string;
  channel: Channel;
  version: number;
  content: TemplateContent;
  updatedAt: string;
  warnings?: string[];
}

export interface Preview {
  subject: string | null;
  preheader: string | null;
  html: string | null;
  text: string | null;
  fields: Record<string, unknown>;
  warnings: string[];
}

/** One problem in a field: `{ path: "body.mjml", message: "line 3: …", line: 3 }`. */
export interface TemplateIssue {
  path: string;
  message: string;
  line?: number;
}

export interface ProfileSummary {
  id: string;
  userId: string | null;
  email: string | null;
  phone: string | null;
}

export const templateKeys = {
  lists: ['templates', 'list'] as const,
  list: (channel: Channel | '') => ['templates', 'list', channel] as const,
  one: (id: string) => ['templates', 'one', id] as const,
};

export const listTemplates = (channel: Channel | '') =>
  request<{ templates: Template[] }>('GET', `/api/templates${channel ? `?channel=${channel}` : ''}`);
export const getTemplate = (id: string) => request<Template>('GET', `/api/templates/${id}`);
export const createTemplate = (name: string, content: TemplateContent) =>
  request<Template>('POST', '/api/templates', { name, ...content });
export const saveTemplate = (id: string, name: string, content: TemplateContent) =>
  request<Template>('PUT', `/api/templates/${id}`, { name, ...content });
export const previewTemplate = (body: {
  template: TemplateContent;
  userId?: string;
  event?: Record<string, unknown>;
}) => request<Preview>('POST', '/api/templates/preview', body);
export const sendTest = (
  id: string,
  body: { to?: string; userId?: string; event?: Record<string, unknown>; testProfiles?: boolean },
) =>
  request<{ messages: Array<{ id: string; userId: string | null; to: string | null; status: string }> }>(
    'POST',
    `/api/templates/${id}/test-send`,
    body,
  );
export const listProfiles = () => request<{ profiles: ProfileSummary[] }>('GET', '/api/profiles?limit=50');

/** The field issues of a 422, else one issue with the error's message. */
export function issuesOf(error: unknown): TemplateIssue[] {
  if (error instanceof ApiError) {
    const issues = (error.body as { issues?: TemplateIssue[] } | undefined)?.issues;
    if (issues && issues.length > 0) return issues;
  }
  return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
}

/** `body.template.mjml` and `body.mjml` name the field `mjml`; `body.parameters.0` names `parameters`. */
export const fieldOf = (issue: TemplateIssue) =>
  issue.path.replace(/^body\.(template\.)?/, '').split('.')[0] ?? '';
