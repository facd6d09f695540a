import { MjmlEditor } from './MjmlEditor';
import { type Channel, fieldOf, type TemplateContent, type TemplateIssue } from './templates-api';

type FieldKind = 'input' | 'textarea' | 'lines' | 'method';
interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  hint?: string;
}

/** The fields each text channel edits (email has its own layout, with MJML in CodeMirror). */
const textFields: Record<Exclude<Channel, 'email'>, FieldSpec[]> = {
  sms: [{ key: 'text', label: 'Text', kind: 'textarea', hint: 'Liquid; 160 characters make one SMS part' }],
  push: [
    { key: 'title', label: 'Title', kind: 'input' },
    { key: 'body', label: 'Body', kind: 'textarea' },
    { key: 'deepLink', label: 'Deep link', kind: 'input' },
    { key: 'image', label: 'Image URL', kind: 'input' },
  ],
  whatsapp: [
    { key: 'templateName', label: 'Approved template name', kind: 'input' },
    { key: 'language', label: 'Language', kind: 'input' },
    { key: 'parameters', label: 'Parameters', kind: 'lines', hint: 'one per line, Liquid' },
  ],
  inapp: [
    { key: 'title', label: 'Title', kind: 'input' },
    { key: 'body', label: 'Body', kind: 'textarea' },
  ],
  webhook: [
    { key: 'method', label: 'Method', kind: 'method' },
    { key: 'url', label: 'URL', kind: 'input' },
    { key: 'body', label: 'Body', kind: 'textarea', hint: 'Liquid' },
  ],
};

function FieldIssues({ issues }: { issues: TemplateIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="field-issues">
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
      ))}
    </ul>
  );
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : '');

/** The content form of a template; `issues` are the server's, shown under their fields. */
export function TemplateFields({
  content,
  onChange,
  issues,
  focusLine,
}: {
  content: TemplateContent;
  onChange: (content: TemplateContent) => void;
  issues: TemplateIssue[];
  focusLine: { line: number } | null;
}) {
  const set = (key: string, value: unknown) => onChange({ ...content, [key]: value });
  const issuesOf = (key: string) => issues.filter((issue) => fieldOf(issue) === key);

  if (content.channel === 'email') {
    const mjmlIssues = issuesOf('mjml');
    return (
      <div className="template-fields">
        <label>
          Subject
          <input value={stringOf(content.subject)} onChange={(e) => set('subject', e.target.value)} />
        </label>
        <FieldIssues issues={issuesOf('subject')} />
        <label>
          Preheader
          <input
            value={stringOf(content.preheader)}
            placeholder="The line inboxes show after the subject"
            onChange={(e) => set('preheader', e.target.value)}
          />
        </label>
        <FieldIssues issues={issuesOf('preheader')} />
        <div className="field">
          <span className="field-label">MJML</span>
          <MjmlEditor
            value={stringOf(content.mjml)}
            onChange={(mjml) => set('mjml', mjml)}
            errorLines={mjmlIssues.flatMap((issue) => (issue.line !== undefined ? [issue.line] : []))}
            focusLine={focusLine}
          />
        </div>
      </div>
    );
  }

  return (
    <div className="template-fields">
      {textFields[content.channel].map((field) => (
        <div key={field.key} className="field">
          <label className="field-label" htmlFor={`field-${field.key}`}>
            {field.label}
          </label>
          {field.kind === 'input' ? (
            <input
              id={`field-${field.key}`}
              value={stringOf(content[field.key])}
              onChange={(e) => set(field.key, e.target.value)}
            />
          ) : field.kind === 'method' ? (
            <select
              id={`field-${field.key}`}
              value={stringOf(content[field.key]) || 'POST'}
              onChange={(e) => set(field.key, e.target.value)}
            >
              {['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          ) : field.kind === 'lines' ? (
            <textarea
              id={`field-${field.key}`}
              rows={5}
              value={Array.isArray(content[field.key]) ? (content[field.key] as string[]).join('\n') : ''}
              onChange={(e) => set(field.key, e.target.value === '' ? [] : e.target.value.split('\n'))}
            />
          ) : (
            <textarea
              id={`field-${field.key}`}
              rows={field.key === 'text' ? 6 : 8}
              value={stringOf(content[field.key])}
              onChange={(e) => set(field.key, e.target.value)}
            />
          )}
          {field.hint ? <p className="hint">{field.hint}</p> : null}
          <FieldIssues issues={issuesOf(field.key)} />
        </div>
      ))}
    </div>
  );
}
