import { useSegments, useTemplates } from '../data/lookups';
import type { WidgetProps } from '../fields/SchemaField';
import { useFormContext } from '../form-context';

/** The channel a send node's templates must be for: a `channel` hint, else `send.<channel>`. */
export function channelOf(nodeType: string, hint: unknown): string | null {
  if (typeof hint === 'string') return hint;
  const match = /^send\.([a-z]+)$/.exec(nodeType);
  return match ? (match[1] ?? null) : null;
}

/** A template of the node's channel, with a link to edit it. */
export function TemplatePicker({ input, value, onChange, model }: WidgetProps) {
  const { lookups, nodeType } = useFormContext();
  const channel = channelOf(nodeType.type, model.schema.channel);
  const templates = useTemplates(lookups, channel);
  const id = typeof value === 'string' ? value : '';
  const list = templates.data ?? [];
  const missing = id !== '' && templates.data !== undefined && !list.some((template) => template.id === id);
  return (
    <>
      <span className="tl-picker">
        <select
          id={input.id}
          className="tl-input"
          aria-describedby={input.describedBy}
          aria-invalid={input.invalid || missing || undefined}
          aria-busy={templates.isPending || undefined}
          value={id}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">{templates.isPending ? 'Loading templates…' : 'Choose a template…'}</option>
          {missing ? <option value={id}>Unknown template ({id})</option> : null}
          {list.map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </select>
        {id !== '' && !missing ? (
          <a className="tl-link" href={`/templates/${encodeURIComponent(id)}`} target="_blank" rel="noopener">
            Edit template
          </a>
        ) : null}
      </span>
      {templates.data && list.length === 0 ? (
        <p className="tl-field__note">
          No {channel ?? ''} templates yet.{' '}
          <a className="tl-link" href="/templates" target="_blank" rel="noopener">
            Create one
          </a>
        </p>
      ) : null}
      {templates.isError ? <p className="tl-field__note">Templates could not be loaded.</p> : null}
    </>
  );
}

/** A segment by name; `allowAll` in the schema adds "All profiles" (the id `all`). */
export function SegmentPicker({ input, value, onChange, model }: WidgetProps) {
  const { lookups } = useFormContext();
  const segments = useSegments(lookups);
  const id = typeof value === 'string' ? value : '';
  const list = segments.data ?? [];
  const allowAll = model.schema.allowAll === true;
  const missing =
    id !== '' && !(allowAll && id === 'all') && segments.data !== undefined && !list.some((s) => s.id === id);
  return (
    <select
      id={input.id}
      className="tl-input"
      aria-describedby={input.describedBy}
      aria-invalid={input.invalid || missing || undefined}
      value={id}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{segments.isPending ? 'Loading segments…' : 'Choose a segment…'}</option>
      {allowAll ? <option value="all">All profiles</option> : null}
      {missing ? <option value={id}>Unknown segment ({id})</option> : null}
      {list.map((segment) => (
        <option key={segment.id} value={segment.id}>
          {segment.name}
        </option>
      ))}
    </select>
  );
}
