import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { timeAgo } from '../journeys/time-ago';
import { NewTemplateDialog } from './NewTemplateDialog';
import { type Channel, channelLabels, channels, listTemplates, templateKeys } from './templates-api';
import './templates.css';

const channelOf = (value: string | null): Channel | '' => channels.find((c) => c === value) ?? '';

/** Every message template, by channel; each opens in the template editor. */
export function TemplatesPage() {
  const [params, setParams] = useSearchParams();
  const channel = channelOf(params.get('channel'));
  const [creating, setCreating] = useState<Channel | null>(null);
  const templates = useQuery({
    queryKey: templateKeys.list(channel),
    queryFn: () => listTemplates(channel),
    placeholderData: keepPreviousData,
  });
  const rows = templates.data?.templates ?? [];

  return (
    <main className="content templates-page">
      <div className="page-head">
        <h1>Templates</h1>
        <button type="button" onClick={() => setCreating(channel || 'email')}>
          New template
        </button>
      </div>
      <fieldset className="toolbar chips">
        <legend className="visually-hidden">Channel</legend>
        {(['', ...channels] as const).map((c) => (
          <button
            key={c || 'all'}
            type="button"
            className={`chip${channel === c ? ' chip-on' : ''}`}
            aria-pressed={channel === c}
            onClick={() =>
              setParams(
                (current) => {
                  const next = new URLSearchParams(current);
                  if (c) next.set('channel', c);
                  else next.delete('channel');
                  return next;
                },
                { replace: true },
              )
            }
          >
            {c ? channelLabels[c] : 'All channels'}
          </button>
        ))}
      </fieldset>
      {templates.error ? (
        <p className="error" role="alert">
          {templates.error.message}
        </p>
      ) : null}
      <table className="list" aria-label="Templates">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Channel</th>
            <th scope="col" className="num">
              Version
            </th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((template) => (
            <tr key={template.id}>
              <td>
                <Link className="row-title" to={`/templates/${template.id}`}>
                  {template.name}
                </Link>
              </td>
              <td>
                <span className={`badge channel-${template.channel}`}>{channelLabels[template.channel]}</span>
              </td>
              <td className="num">v{template.version}</td>
              <td>
                <time dateTime={template.updatedAt} title={new Date(template.updatedAt).toLocaleString()}>
                  {timeAgo(template.updatedAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {templates.isSuccess && rows.length === 0 ? (
        <p className="empty">
          {channel ? `No ${channelLabels[channel]} templates yet.` : 'No templates yet.'}
        </p>
      ) : null}
      {creating ? <NewTemplateDialog channel={creating} onClose={() => setCreating(null)} /> : null}
    </main>
  );
}
